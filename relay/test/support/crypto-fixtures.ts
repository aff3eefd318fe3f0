/**
 * Real Sealpost identities for relay tests, made with the full @sealpost/crypto package (tests
 * may use it; relay/src may not): accounts, devices, signed device lists, prekeys, and answers
 * to auth challenges.
 */
import {
  createAccountIdentity,
  createDeviceKeys,
  createLastResortKemPrekey,
  createOneTimePrekeys,
  createSignedKemPrekeys,
  createSignedX25519Prekey,
  loadCrypto,
  signAuthChallenge,
  signDeviceList,
} from '@sealpost/crypto';
import type { AccountIdentity, CryptoSuite, DeviceKeys } from '@sealpost/crypto';
import { KEY_TYPE, encodePublicKey, fromBase64Url, toBase64Url } from '@sealpost/crypto/public';

let suitePromise: Promise<CryptoSuite> | undefined;
export function suite(): Promise<CryptoSuite> {
  suitePromise ??= loadCrypto({ backend: 'noble' });
  return suitePromise;
}

export interface TestDevice {
  readonly deviceId: number;
  readonly keys: DeviceKeys;
}

export interface TestIdentity {
  readonly account: AccountIdentity;
  /** base64url of the typed account key, as registration sends it. */
  readonly accountKeyText: string;
  devices: TestDevice[];
}

export async function newIdentity(deviceIds: readonly number[] = [1]): Promise<TestIdentity> {
  const s = await suite();
  const account = createAccountIdentity(s);
  return {
    account,
    accountKeyText: toBase64Url(encodePublicKey(KEY_TYPE.ACCOUNT_ED25519, account.accountKey)),
    devices: deviceIds.map((deviceId) => ({ deviceId, keys: createDeviceKeys(s) })),
  };
}

export async function newDevice(deviceId: number): Promise<TestDevice> {
  return { deviceId, keys: createDeviceKeys(await suite()) };
}

/** A signed device list (base64url) naming the given devices. */
export async function deviceListText(identity: TestIdentity, version: number, devices: readonly TestDevice[] = identity.devices): Promise<string> {
  const s = await suite();
  const bytes = signDeviceList(s, identity.account, {
    version,
    issuedAt: 1_700_000_000_000 + version,
    devices: devices.map((d) => ({ deviceId: d.deviceId, deviceSigningKey: d.keys.signingKey, deviceIdentityKey: d.keys.identityDhKey })),
  });
  return toBase64Url(bytes);
}

export interface ChallengeJson {
  readonly nonce: string;
  readonly origin: string;
  readonly issuedAt: number;
}

/** The base64url signature answering a challenge for (accountId, deviceId). */
export async function answerChallenge(challenge: ChallengeJson, accountId: string, device: TestDevice): Promise<string> {
  const s = await suite();
  const signature = signAuthChallenge(s, device.keys, {
    origin: challenge.origin,
    nonce: fromBase64Url(challenge.nonce),
    issuedAt: challenge.issuedAt,
    accountId,
    deviceId: device.deviceId,
  });
  return toBase64Url(signature);
}

export interface PrekeySet {
  signedPrekey: string;
  lastResortKem: string;
  oneTimeX25519: string[];
  oneTimeKem: string[];
}

export async function prekeySet(device: TestDevice, oneTimeCount: number, firstId = 1): Promise<PrekeySet> {
  const s = await suite();
  return {
    signedPrekey: toBase64Url(createSignedX25519Prekey(s, device.keys, firstId).upload),
    lastResortKem: toBase64Url(createLastResortKemPrekey(s, device.keys, 1_000_000 + firstId).upload),
    oneTimeX25519: createOneTimePrekeys(s, firstId, oneTimeCount).map((k) => toBase64Url(k.upload)),
    oneTimeKem: createSignedKemPrekeys(s, device.keys, firstId, oneTimeCount).map((k) => toBase64Url(k.upload)),
  };
}
