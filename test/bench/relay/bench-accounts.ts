/**
 * Real accounts for the relay benchmark, made through the public HTTP routes exactly as a client
 * would (docs/api.md): register with a signed device list and a signed challenge, log every
 * device in (challenge → signed answer → session token), and fill one-time prekey pools. Uses
 * the full @sealpost/crypto package with the fastest backend, since setup is not what is timed
 * (except logins, which the bench reports as an informational rate).
 */
import { createAccountIdentity, createDeviceKeys, createOneTimePrekeys, createSignedX25519Prekey, loadCrypto, signAuthChallenge, signDeviceList } from '@sealpost/crypto';
import type { AccountIdentity, CryptoSuite, DeviceKeys } from '@sealpost/crypto';
import { KEY_TYPE, SIGNATURE_CONTEXT, encodePublicKey, encodeSignedPrekeyBody, fromBase64Url, signedMessage, toBase64Url, withSignature } from '@sealpost/crypto/public';
import type { PeerSpec } from './bench-peer.js';

export interface BenchDevice {
  readonly deviceId: number;
  readonly keys: DeviceKeys;
  token: string;
}

export interface BenchAccount {
  readonly identity: AccountIdentity;
  readonly accountId: string;
  readonly devices: BenchDevice[];
}

interface Challenge {
  readonly nonce: string;
  readonly origin: string;
  readonly issuedAt: number;
}

let suitePromise: Promise<CryptoSuite> | undefined;
export function benchSuite(): Promise<CryptoSuite> {
  suitePromise ??= loadCrypto({ backend: 'auto' });
  return suitePromise;
}

async function call<T>(baseUrl: string, method: string, path: string, expected: number, options: { token?: string; json?: unknown } = {}): Promise<T> {
  const headers: Record<string, string> = {};
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (options.json !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(baseUrl + path, { method, headers, ...(options.json === undefined ? {} : { body: JSON.stringify(options.json) }) });
  const text = await response.text();
  if (response.status !== expected) throw new Error(`${method} ${path}: HTTP ${response.status} (expected ${expected}): ${text.slice(0, 300)}`);
  return (text.length === 0 ? null : JSON.parse(text)) as T;
}

function answer(suite: CryptoSuite, challenge: Challenge, accountId: string, device: BenchDevice): string {
  const signature = signAuthChallenge(suite, device.keys, { origin: challenge.origin, nonce: fromBase64Url(challenge.nonce), issuedAt: challenge.issuedAt, accountId, deviceId: device.deviceId });
  return toBase64Url(signature);
}

async function register(baseUrl: string, suite: CryptoSuite, deviceCount: number): Promise<BenchAccount> {
  const identity = createAccountIdentity(suite);
  const devices: BenchDevice[] = Array.from({ length: deviceCount }, (_, i) => ({ deviceId: i + 1, keys: createDeviceKeys(suite), token: '' }));
  const deviceList = signDeviceList(suite, identity, {
    version: 1,
    issuedAt: Date.now(),
    devices: devices.map((d) => ({ deviceId: d.deviceId, deviceSigningKey: d.keys.signingKey, deviceIdentityKey: d.keys.identityDhKey })),
  });
  const first = devices[0] as BenchDevice;
  const challenge = await call<Challenge>(baseUrl, 'POST', '/v1/auth/challenge', 200);
  await call(baseUrl, 'POST', '/v1/accounts', 201, {
    json: {
      accountKey: toBase64Url(encodePublicKey(KEY_TYPE.ACCOUNT_ED25519, identity.accountKey)),
      deviceList: toBase64Url(deviceList),
      deviceId: first.deviceId,
      nonce: challenge.nonce,
      signature: answer(suite, challenge, identity.accountId, first),
    },
  });
  return { identity, accountId: identity.accountId, devices };
}

async function login(baseUrl: string, suite: CryptoSuite, account: BenchAccount, device: BenchDevice): Promise<void> {
  const challenge = await call<Challenge>(baseUrl, 'POST', '/v1/auth/challenge', 200);
  const session = await call<{ token: string }>(baseUrl, 'POST', '/v1/auth/session', 200, {
    json: { accountId: account.accountId, deviceId: device.deviceId, nonce: challenge.nonce, signature: answer(suite, challenge, account.accountId, device) },
  });
  device.token = session.token;
}

/** Runs `task` over `items` with at most `concurrency` at once. */
async function pool<T>(items: readonly T[], concurrency: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
}

export interface RegisteredAccounts {
  readonly accounts: BenchAccount[];
  readonly logins: number;
  readonly loginMs: number;
}

/** Registers `accountCount` accounts of `devicesPerAccount` devices each, then logs every device in. */
export async function registerAccounts(baseUrl: string, accountCount: number, devicesPerAccount: number, concurrency: number): Promise<RegisteredAccounts> {
  const suite = await benchSuite();
  const accounts: BenchAccount[] = [];
  await pool(
    Array.from({ length: accountCount }, (_, i) => i),
    concurrency,
    async () => void accounts.push(await register(baseUrl, suite, devicesPerAccount)),
  );
  const devices = accounts.flatMap((account) => account.devices.map((device) => ({ account, device })));
  const start = performance.now();
  await pool(devices, concurrency, ({ account, device }) => login(baseUrl, suite, account, device));
  return { accounts, logins: devices.length, loginMs: performance.now() - start };
}

export function peerSpecs(accounts: readonly BenchAccount[]): PeerSpec[] {
  return accounts.flatMap((account) => account.devices.map((device) => ({ address: account.accountId, deviceId: device.deviceId, token: device.token })));
}

/**
 * Fills the first device's one-time pools with `count` keys of each kind, in uploads of
 * `perUpload`. Every one-time ML-KEM prekey is properly signed by the device, but they share one
 * ML-KEM public key: generating thousands of ML-KEM key pairs would only slow the setup, and the
 * relay treats the key bytes as opaque.
 */
export async function fillPrekeyPools(baseUrl: string, account: BenchAccount, count: number, perUpload: number): Promise<void> {
  const suite = await benchSuite();
  const device = account.devices[0] as BenchDevice;
  const kemPublicKey = suite.mlkem1024KeyPair(suite.randomBytes(64)).publicKey;
  const signedKem = (keyId: number, lastResort: boolean) => {
    const body = encodeSignedPrekeyBody({ kind: 'mlkem1024', keyId, publicKey: kemPublicKey, lastResort });
    return toBase64Url(withSignature(body, suite.ed25519Sign(device.keys.signingSeed, signedMessage(SIGNATURE_CONTEXT.SIGNED_PREKEY, body))));
  };
  await call(baseUrl, 'PUT', '/v1/prekeys', 200, {
    token: device.token,
    json: { signedPrekey: toBase64Url(createSignedX25519Prekey(suite, device.keys, 1).upload), lastResortKem: signedKem(1_000_000_000, true) },
  });
  for (let first = 1; first <= count; first += perUpload) {
    const n = Math.min(perUpload, count - first + 1);
    await call(baseUrl, 'PUT', '/v1/prekeys', 200, {
      token: device.token,
      json: {
        oneTimeX25519: createOneTimePrekeys(suite, first, n).map((key) => toBase64Url(key.upload)),
        oneTimeKem: Array.from({ length: n }, (_, i) => signedKem(first + i, false)),
      },
    });
  }
}

/** One real bundle answer, so the node:http baseline serves a body of the same size. */
export async function sampleBundleBody(baseUrl: string, token: string, target: string): Promise<string> {
  const response = await fetch(`${baseUrl}/v1/accounts/${target}/bundles`, { headers: { authorization: `Bearer ${token}` } });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`sample bundle fetch: HTTP ${response.status}: ${text.slice(0, 300)}`);
  return text;
}
