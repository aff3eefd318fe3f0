/**
 * Golden transcripts (docs/test-vectors/). The normal run regenerates each transcript in memory and
 * requires it to equal the committed file byte for byte; `UPDATE_GOLDEN=1` rewrites the files.
 * A second test re-checks each committed file against the documented formats using only the raw
 * primitives, the way another implementation would.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCrypto, type CryptoSuite } from '../../src/primitives/index.js';
import { concatBytes, fromHex, toHex, utf8 } from '../../src/primitives/bytes.js';
import { GOLDEN_CASES, transcriptText } from './transcript.js';

const VECTOR_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../docs/test-vectors');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

let suite: CryptoSuite;
beforeAll(async () => {
  suite = await loadCrypto();
});

function firstDifference(a: string, b: string): string | undefined {
  if (a === b) return undefined;
  const left = a.split('\n');
  const right = b.split('\n');
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    if (left[i] !== right[i]) return `line ${i + 1}: generated ${JSON.stringify(left[i]?.slice(0, 120))}, committed ${JSON.stringify(right[i]?.slice(0, 120))}`;
  }
  return 'differs';
}

describe('golden transcripts', () => {
  for (const golden of GOLDEN_CASES) {
    it(`${golden.file} equals the regenerated transcript byte for byte`, async () => {
      const generated = await transcriptText(golden);
      const path = join(VECTOR_DIR, golden.file);
      if (UPDATE) {
        mkdirSync(VECTOR_DIR, { recursive: true });
        writeFileSync(path, generated);
      }
      expect(existsSync(path), `${path} is missing: run UPDATE_GOLDEN=1 npx vitest run crypto/test/golden`).toBe(true);
      expect(firstDifference(generated, readFileSync(path, 'utf8'))).toBeUndefined();
    });

    it(`${golden.file} is the same with every backend (noble, libsodium)`, async () => {
      const path = join(VECTOR_DIR, golden.file);
      expect(existsSync(path), `${path} is missing`).toBe(true);
      const committed = readFileSync(path, 'utf8');
      for (const backend of ['noble', 'libsodium'] as const) {
        expect(firstDifference(await transcriptText(golden, backend), committed), backend).toBeUndefined();
      }
    });

    it(`${golden.file} checks out against the documented formats using raw primitives`, () => {
      const path = join(VECTOR_DIR, golden.file);
      expect(existsSync(path), `${path} is missing`).toBe(true);
      verifyTranscript(suite, JSON.parse(readFileSync(path, 'utf8')) as Transcript);
    });
  }
});

interface SendEvent {
  action: 'send'; from: string; id: string; plaintext: string; draws: string[]; rootKey: string; chainKey: string; messageKey: string; aeadKey: string; aeadNonce: string;
  kind: 'prekey' | 'normal'; header: { ratchetKey: string; previousChainLength: number; messageNumber: number }; message: string;
}
interface ReceiveEvent { action: 'receive'; to: string; id: string; plaintext: string; draws: string[]; rootKey: string }
interface Transcript {
  labels: { pqxdhInfo: string; ratchetRoot: string; ratchetMessageKeys: string };
  alice: { accountId: string; deviceId: number; identityDhSecret: string; identityDhPublic: string };
  bob: {
    accountId: string; deviceId: number; identityDhSecret: string; identityDhPublic: string;
    signedPrekey: { keyId: number; secret: string; public: string };
    oneTimePrekey?: { keyId: number; secret: string; public: string };
    kemPrekey: { keyId: number; seed: string; public: string };
  };
  handshake: Record<string, string> & { aliceFirstRatchet: Record<string, string> };
  events: (SendEvent | ReceiveEvent)[];
}

const u32 = (n: number) => Uint8Array.of(n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
const x = fromHex;

/** Everything below follows docs/protocol-sessions.md, not the implementation's modules. */
function verifyTranscript(c: CryptoSuite, t: Transcript): void {
  const h = t.handshake;
  expect(toHex(c.x25519PublicKey(x(t.alice.identityDhSecret)))).toBe(t.alice.identityDhPublic);
  expect(toHex(c.x25519PublicKey(x(t.bob.signedPrekey.secret)))).toBe(t.bob.signedPrekey.public);
  expect(toHex(c.mlkem1024KeyPair(x(t.bob.kemPrekey.seed)).publicKey)).toBe(t.bob.kemPrekey.public);
  const ek = x(h.ephemeralSecret as string);
  const spk = x(t.bob.signedPrekey.public);
  const dhs = [
    c.x25519(x(t.alice.identityDhSecret), spk),
    c.x25519(ek, x(t.bob.identityDhPublic)),
    c.x25519(ek, spk),
    ...(t.bob.oneTimePrekey === undefined ? [] : [c.x25519(ek, x(t.bob.oneTimePrekey.public))]),
  ];
  expect(dhs.map(toHex)).toEqual([h.dh1, h.dh2, h.dh3, ...(h.dh4 === undefined ? [] : [h.dh4])]);
  const kem = c.mlkem1024Encapsulate(x(t.bob.kemPrekey.public), x(h.kemRandomness as string));
  expect(toHex(kem.ciphertext)).toBe(h.kemCiphertext);
  expect(toHex(c.mlkem1024Decapsulate(kem.ciphertext, c.mlkem1024KeyPair(x(t.bob.kemPrekey.seed)).secretKey))).toBe(h.kemSharedSecret);
  const sk = c.hkdfSha256(concatBytes(new Uint8Array(32).fill(0xff), ...dhs, kem.sharedSecret), new Uint8Array(32), utf8(t.labels.pqxdhInfo), 32);
  expect(toHex(sk)).toBe(h.sharedSecret);
  expect(h.draws).toEqual([h.ephemeralSecret, h.kemRandomness, h.aliceFirstRatchet.secret]);

  const address = (account: string, device: number) => concatBytes(Uint8Array.of(utf8(account).length), utf8(account), u32(device));
  const ad = concatBytes(Uint8Array.of(0x01, 0x05), x(t.alice.identityDhPublic), Uint8Array.of(0x05), x(t.bob.identityDhPublic),
    address(t.alice.accountId, t.alice.deviceId), address(t.bob.accountId, t.bob.deviceId));
  expect(toHex(ad)).toBe(h.associatedData);
  const opk = t.bob.oneTimePrekey === undefined ? Uint8Array.of(0x00) : concatBytes(Uint8Array.of(0x01), u32(t.bob.oneTimePrekey.keyId));
  const fields = concatBytes(Uint8Array.of(0x01, 0x05), x(t.alice.identityDhPublic), Uint8Array.of(0x05), c.x25519PublicKey(ek),
    u32(t.bob.signedPrekey.keyId), opk, u32(t.bob.kemPrekey.keyId), kem.ciphertext);
  expect(toHex(fields)).toBe(h.initialFields);

  const first = h.aliceFirstRatchet;
  const rootOut = c.hkdfSha256(c.x25519(x(first.secret as string), spk), sk, utf8(t.labels.ratchetRoot), 64);
  expect(toHex(rootOut)).toBe(`${first.rootKey}${first.sendingChainKey}`);

  // Double Ratchet §3.3-3.5 replayed from the draws: each party's DHs secret, RK and next CKs.
  interface RatchetView { secret: Uint8Array; rootKey: Uint8Array; remote: string | undefined; nextSendingChainKey: string | undefined }
  const views: Record<string, RatchetView> = {
    alice: { secret: x(first.secret as string), rootKey: x(first.rootKey as string), remote: t.bob.signedPrekey.public, nextSendingChainKey: first.sendingChainKey },
    bob: { secret: x(t.bob.signedPrekey.secret), rootKey: sk, remote: undefined, nextSendingChainKey: undefined },
  };
  const rootStep = (rootKey: Uint8Array, dh: Uint8Array) => c.hkdfSha256(dh, rootKey, utf8(t.labels.ratchetRoot), 64);
  const sends = new Map<string, SendEvent>();
  const lastSend = new Map<string, SendEvent>();
  for (const event of t.events) {
    if (event.action === 'receive') {
      const sent = sends.get(event.id) as SendEvent;
      expect(event.plaintext).toBe(sent.plaintext);
      const view = views[event.to] as RatchetView;
      if (sent.header.ratchetKey !== view.remote) {
        // DH ratchet step: (RK, CKr) = KDF_RK(RK, DH(DHs, DHr)); DHs = new; (RK, CKs) = KDF_RK(RK, DH(DHs, DHr)).
        expect(event.draws).toHaveLength(1);
        const theirs = x(sent.header.ratchetKey);
        const receiving = rootStep(view.rootKey, c.x25519(view.secret, theirs));
        view.secret = x(event.draws[0] as string);
        const sending = rootStep(receiving.subarray(0, 32), c.x25519(view.secret, theirs));
        view.rootKey = sending.subarray(0, 32);
        view.nextSendingChainKey = toHex(sending.subarray(32));
        view.remote = sent.header.ratchetKey;
      } else {
        expect(event.draws).toHaveLength(0);
      }
      expect(toHex(view.rootKey)).toBe(event.rootKey);
      continue;
    }
    sends.set(event.id, event);
    const view = views[event.from] as RatchetView;
    expect(event.header.ratchetKey).toBe(toHex(c.x25519PublicKey(view.secret)));
    expect(event.rootKey).toBe(toHex(view.rootKey));
    const previous = lastSend.get(event.from);
    if (view.nextSendingChainKey !== undefined) {
      expect(event.chainKey).toBe(view.nextSendingChainKey);
      expect(event.header.messageNumber).toBe(0);
      view.nextSendingChainKey = undefined;
    } else {
      // KDF_CK: the next chain key is HMAC(CK, 0x02).
      expect(previous?.header.ratchetKey).toBe(event.header.ratchetKey);
      expect(toHex(c.hmacSha256(x((previous as SendEvent).chainKey), Uint8Array.of(0x02)))).toBe(event.chainKey);
      expect(event.header.messageNumber).toBe((previous as SendEvent).header.messageNumber + 1);
    }
    lastSend.set(event.from, event);
    expect(toHex(c.hmacSha256(x(event.chainKey), Uint8Array.of(0x01)))).toBe(event.messageKey);
    const keyNonce = c.hkdfSha256(x(event.messageKey), new Uint8Array(32), utf8(t.labels.ratchetMessageKeys), 56);
    expect(toHex(keyNonce)).toBe(`${event.aeadKey}${event.aeadNonce}`);

    const message = x(event.message);
    expect(message[0]).toBe(event.kind === 'prekey' ? 0x01 : 0x02);
    let ratchet = message.subarray(1);
    if (event.kind === 'prekey') {
      expect(toHex(ratchet.subarray(0, fields.length))).toBe(h.initialFields);
      ratchet = ratchet.subarray(fields.length);
    }
    const header = ratchet.subarray(0, 42);
    expect(toHex(header)).toBe(toHex(concatBytes(Uint8Array.of(0x01, 0x05), x(event.header.ratchetKey),
      u32(event.header.previousChainLength), u32(event.header.messageNumber))));
    const plaintext = c.xchacha20poly1305Decrypt(x(event.aeadKey), x(event.aeadNonce), ratchet.subarray(42), concatBytes(ad, header));
    expect(toHex(plaintext)).toBe(event.plaintext);
  }
  expect(sends.size).toBeGreaterThan(5);
}
