/**
 * Measuring functions for `npm run bench:crypto` (crypto-bench.ts) and its smoke test: PQXDH
 * handshakes, Double Ratchet messages on one chain and in strict ping-pong, and the raw cost of
 * the primitives they call, so each protocol figure can be compared with the sum of its parts.
 * Nothing here asserts on timing; it only measures.
 */
import {
  initRatchetAsInitiator,
  initRatchetAsResponder,
  loadCrypto,
  pqxdhInitiate,
  pqxdhRespond,
  ratchetDecrypt,
  ratchetEncrypt,
  type BackendChoice,
  type CryptoSuite,
  type LocalDeviceIdentity,
  type PqxdhPrekeyStore,
  type RatchetState,
  type VerifiedPrekeyBundle,
  type X25519KeyPair,
} from '@sealpost/crypto';

export interface MeasureOptions {
  /** Run each measurement a few times only (for the smoke test): figures are not meaningful. */
  readonly smoke?: boolean;
  readonly backend?: BackendChoice;
  /** Minimum time per measurement in milliseconds (default 1000, smoke 0). */
  readonly minMs?: number;
}

export interface PrimitiveFigure {
  readonly name: string;
  readonly microsPerOp: number;
  readonly opsPerSecond: number;
}

export interface ProtocolFigure extends PrimitiveFigure {
  /** Sum of the raw primitive costs one operation performs, in microseconds. */
  readonly rawMicros: number;
  /** microsPerOp / rawMicros: 1.0 means no protocol overhead at all. */
  readonly ratio: number;
  /** The primitive calls counted in rawMicros. */
  readonly composition: string;
}

export interface CryptoBenchResult {
  readonly backend: string;
  readonly primitives: readonly PrimitiveFigure[];
  readonly protocol: readonly ProtocolFigure[];
}

export const MESSAGE_BYTES = 200;

interface Timer {
  run(fn: () => unknown): number;
  runAsync(fn: () => Promise<unknown>): Promise<number>;
}

/** Microseconds per call: warm up, then repeat in growing batches until minMs passed. */
function timer(minMs: number, smoke: boolean): Timer {
  const warmup = smoke ? 1 : 20;
  const floor = smoke ? 2 : 20;
  return {
    run(fn) {
      for (let i = 0; i < warmup; i++) fn();
      let count = 0;
      let batch = 1;
      const start = performance.now();
      let elapsed = 0;
      while (count < floor || elapsed < minMs) {
        for (let i = 0; i < batch; i++) fn();
        count += batch;
        batch = Math.min(batch * 2, 4096);
        elapsed = performance.now() - start;
      }
      return (elapsed * 1000) / count;
    },
    async runAsync(fn) {
      for (let i = 0; i < warmup; i++) await fn();
      let count = 0;
      const start = performance.now();
      let elapsed = 0;
      while (count < floor || elapsed < minMs) {
        await fn();
        count += 1;
        elapsed = performance.now() - start;
      }
      return (elapsed * 1000) / count;
    },
  };
}

function keyPair(suite: CryptoSuite): X25519KeyPair {
  const secretKey = suite.randomBytes(32);
  return { secretKey, publicKey: suite.x25519PublicKey(secretKey) };
}

interface Fixture {
  readonly alice: LocalDeviceIdentity;
  readonly bob: LocalDeviceIdentity;
  readonly bundle: VerifiedPrekeyBundle;
  readonly store: PqxdhPrekeyStore;
}

/** Bob's device with one signed prekey, one one-time prekey and one one-time KEM prekey, reused for every handshake. */
function fixture(suite: CryptoSuite): Fixture {
  const alice = { accountId: 'alice.bench', deviceId: 1, identityDhKeyPair: keyPair(suite) };
  const bob = { accountId: 'bob.bench', deviceId: 2, identityDhKeyPair: keyPair(suite) };
  const spk = keyPair(suite);
  const opk = keyPair(suite);
  const kem = suite.mlkem1024KeyPair(suite.randomBytes(64));
  const bundle: VerifiedPrekeyBundle = {
    accountId: bob.accountId,
    deviceId: bob.deviceId,
    identityDhKey: bob.identityDhKeyPair.publicKey,
    signedPrekey: { keyId: 1, publicKey: spk.publicKey },
    oneTimePrekey: { keyId: 2, publicKey: opk.publicKey },
    kemPrekey: { keyId: 3, publicKey: kem.publicKey, lastResort: false },
  };
  const store: PqxdhPrekeyStore = {
    loadSignedPrekey: () => spk,
    loadOneTimePrekey: () => opk,
    loadKemPrekey: () => ({ secretKey: kem.secretKey, lastResort: false }),
    hasAcceptedLastResortMessage: () => false,
    recordLastResortMessage: () => undefined,
  };
  return { alice, bob, bundle, store };
}

function ratchetPair(suite: CryptoSuite, associatedData: Uint8Array): { alice: RatchetState; bob: RatchetState } {
  const sharedSecret = suite.randomBytes(32);
  const prekey = keyPair(suite);
  return {
    alice: initRatchetAsInitiator(suite, sharedSecret, associatedData, prekey.publicKey),
    bob: initRatchetAsResponder(sharedSecret, associatedData, prekey),
  };
}

function figure(name: string, micros: number): PrimitiveFigure {
  return { name, microsPerOp: micros, opsPerSecond: 1e6 / micros };
}

/** Runs every measurement; in smoke mode each runs only a couple of times. */
export async function measureCrypto(options: MeasureOptions = {}): Promise<CryptoBenchResult> {
  const smoke = options.smoke ?? false;
  const minMs = options.minMs ?? (smoke ? 0 : 1000);
  const suite = await loadCrypto({ backend: options.backend ?? 'auto' });
  const t = timer(minMs, smoke);
  const fx = fixture(suite);
  const init = pqxdhInitiate(suite, fx.alice, fx.bundle);
  const ad = init.associatedData;

  // Raw primitives, with the input sizes the protocol uses.
  const peer = keyPair(suite);
  const secret = suite.randomBytes(32);
  const kem = suite.mlkem1024KeyPair(suite.randomBytes(64));
  const kemCt = suite.mlkem1024Encapsulate(kem.publicKey, suite.randomBytes(32)).ciphertext;
  const key = suite.randomBytes(32);
  const nonce = suite.randomBytes(24);
  const plaintext = suite.randomBytes(MESSAGE_BYTES);
  const aeadAd = new Uint8Array(ad.length + 42);
  const sealed = suite.xchacha20poly1305Encrypt(key, nonce, plaintext, aeadAd);
  const one = Uint8Array.of(1);
  const salt = new Uint8Array(32);
  const pqxdhIkm = new Uint8Array(32 * 6);
  const info = new Uint8Array(45);
  const raw = {
    x25519: t.run(() => suite.x25519(secret, peer.publicKey)),
    x25519PublicKey: t.run(() => suite.x25519PublicKey(secret)),
    random32: t.run(() => suite.randomBytes(32)),
    mlkemEncapsulate: t.run(() => suite.mlkem1024Encapsulate(kem.publicKey, key)),
    mlkemDecapsulate: t.run(() => suite.mlkem1024Decapsulate(kemCt, kem.secretKey)),
    aeadEncrypt: t.run(() => suite.xchacha20poly1305Encrypt(key, nonce, plaintext, aeadAd)),
    aeadDecrypt: t.run(() => suite.xchacha20poly1305Decrypt(key, nonce, sealed, aeadAd)),
    hmac: t.run(() => suite.hmacSha256(key, one)),
    hkdf32: t.run(() => suite.hkdfSha256(pqxdhIkm, salt, info, 32)),
    hkdf56: t.run(() => suite.hkdfSha256(key, salt, info.subarray(0, 31), 56)),
    hkdf64: t.run(() => suite.hkdfSha256(key, key, info.subarray(0, 24), 64)),
  };
  const primitives = [
    figure('X25519 shared secret', raw.x25519),
    figure('X25519 public key', raw.x25519PublicKey),
    figure('random 32 bytes', raw.random32),
    figure('ML-KEM-1024 encapsulate', raw.mlkemEncapsulate),
    figure('ML-KEM-1024 decapsulate', raw.mlkemDecapsulate),
    figure(`XChaCha20-Poly1305 encrypt ${MESSAGE_BYTES} B`, raw.aeadEncrypt),
    figure(`XChaCha20-Poly1305 decrypt ${MESSAGE_BYTES} B`, raw.aeadDecrypt),
    figure('HMAC-SHA-256 (32 B key, 1 B)', raw.hmac),
    figure('HKDF-SHA-256 -> 32 B (PQXDH)', raw.hkdf32),
    figure('HKDF-SHA-256 -> 56 B (message key)', raw.hkdf56),
    figure('HKDF-SHA-256 -> 64 B (root step)', raw.hkdf64),
  ];

  const protocol: ProtocolFigure[] = [];
  const add = (name: string, micros: number, parts: readonly [number, number, string][]) => {
    const rawMicros = parts.reduce((sum, [count, cost]) => sum + count * cost, 0);
    const composition = parts.map(([count, , label]) => `${count}x ${label}`).join(' + ');
    protocol.push({ ...figure(name, micros), rawMicros, ratio: micros / rawMicros, composition });
  };

  const initiatorParts: [number, number, string][] = [
    [2, raw.random32, 'random32'], [1, raw.x25519PublicKey, 'X25519 pub'], [4, raw.x25519, 'X25519'],
    [1, raw.mlkemEncapsulate, 'encaps'], [1, raw.hkdf32, 'HKDF32'],
  ];
  const responderParts: [number, number, string][] = [[4, raw.x25519, 'X25519'], [1, raw.mlkemDecapsulate, 'decaps'], [1, raw.hkdf32, 'HKDF32']];
  const respond = (fields = init.fields) => pqxdhRespond(suite, { local: fx.bob, peer: fx.alice, fields, store: fx.store });
  add('PQXDH initiator', t.run(() => pqxdhInitiate(suite, fx.alice, fx.bundle)), initiatorParts);
  add('PQXDH responder', await t.runAsync(() => respond()), responderParts);
  add('PQXDH handshake (both sides)', await t.runAsync(() => respond(pqxdhInitiate(suite, fx.alice, fx.bundle).fields)), [...initiatorParts, ...responderParts]);

  // One chain: Alice encrypts, Bob decrypts, in order.
  const chain = ratchetPair(suite, ad);
  ratchetDecrypt(suite, chain.bob, ratchetEncrypt(suite, chain.alice, plaintext));
  add(`ratchet message, same chain (${MESSAGE_BYTES} B, encrypt + decrypt)`, t.run(() => ratchetDecrypt(suite, chain.bob, ratchetEncrypt(suite, chain.alice, plaintext))), [
    [4, raw.hmac, 'HMAC'], [2, raw.hkdf56, 'HKDF56'], [1, raw.aeadEncrypt, 'AEAD enc'], [1, raw.aeadDecrypt, 'AEAD dec'],
  ]);

  // Strict ping-pong: every message turns the DH ratchet at the receiver.
  const pp = ratchetPair(suite, ad);
  ratchetDecrypt(suite, pp.bob, ratchetEncrypt(suite, pp.alice, plaintext));
  let turn = 0;
  add(`ratchet message, ping-pong (${MESSAGE_BYTES} B, encrypt + decrypt + DH step)`, t.run(() => {
    const [from, to] = turn++ % 2 === 0 ? [pp.bob, pp.alice] : [pp.alice, pp.bob];
    ratchetDecrypt(suite, to, ratchetEncrypt(suite, from, plaintext));
  }), [
    [4, raw.hmac, 'HMAC'], [2, raw.hkdf56, 'HKDF56'], [1, raw.aeadEncrypt, 'AEAD enc'], [1, raw.aeadDecrypt, 'AEAD dec'],
    [2, raw.x25519, 'X25519'], [1, raw.x25519PublicKey, 'X25519 pub'], [1, raw.random32, 'random32'], [2, raw.hkdf64, 'HKDF64'],
  ]);

  return { backend: suite.backendName, primitives, protocol };
}
