import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAccountIdentity, type AccountIdentity } from '../../src/identity/account.js';
import { SAFETY_NUMBER_ITERATIONS, compareScannedSafetyNumber, computeSafetyNumber } from '../../src/identity/safety-number.js';
import { loadCrypto, type CryptoSuite } from '../../src/primitives/index.js';
import { accountIdFromAccountKey } from '../../src/public/account-id.js';
import { expectCode, flip, seededRandom, setByte } from '../public/fixtures.js';

let suite: CryptoSuite;
let alice: AccountIdentity;
let bob: AccountIdentity;
let carol: AccountIdentity;

/** Second implementation of the documented algorithm on Node's SHA-512: H_5200 for one key. */
function referenceHash(accountKey: Uint8Array): Buffer {
  const id = Buffer.from(accountIdFromAccountKey(accountKey), 'utf8');
  const idLength = Buffer.alloc(2);
  idLength.writeUInt16BE(id.length);
  let hash = Buffer.alloc(0);
  for (let i = 0; i < 5200; i++) {
    hash = createHash('sha512').update(Buffer.from([1, 0x01])).update(accountKey).update(idLength).update(id).update(hash).digest();
  }
  return hash;
}

function referenceDigits(hash: Buffer): string {
  let out = '';
  for (let c = 0; c < 6; c++) out += (hash.readUIntBE(c * 5, 5) % 100000).toString().padStart(5, '0');
  return out;
}

beforeAll(async () => {
  suite = await loadCrypto({ random: seededRandom('safety-number') });
  alice = createAccountIdentity(suite);
  bob = createAccountIdentity(suite);
  carol = createAccountIdentity(suite);
});

describe('safety numbers', () => {
  it('are 60 digits in 12 groups of 5, the same for both users', () => {
    const ab = computeSafetyNumber(suite, alice.accountKey, bob.accountKey);
    const ba = computeSafetyNumber(suite, bob.accountKey, alice.accountKey);
    expect(ab.digits).toMatch(/^[0-9]{60}$/);
    expect(ab.groups).toHaveLength(12);
    for (const g of ab.groups) expect(g).toMatch(/^[0-9]{5}$/);
    expect(ab.groups.join('')).toBe(ab.digits);
    expect(ba.digits).toBe(ab.digits);
    expect(ba.groups).toEqual(ab.groups);
  });

  it('match a second implementation of the documented algorithm (5200 iterations, sorted halves)', () => {
    expect(SAFETY_NUMBER_ITERATIONS).toBe(5200);
    const a = referenceHash(alice.accountKey);
    const b = referenceHash(bob.accountKey);
    const halves = [referenceDigits(a), referenceDigits(b)].sort();
    const mine = computeSafetyNumber(suite, alice.accountKey, bob.accountKey);
    expect(mine.digits).toBe(halves.join(''));
    expect(Array.from(mine.qrPayload)).toEqual([1, ...a.subarray(0, 32), ...b.subarray(0, 32)]);
  });

  it('change when either account key changes', () => {
    const ab = computeSafetyNumber(suite, alice.accountKey, bob.accountKey).digits;
    const ac = computeSafetyNumber(suite, alice.accountKey, carol.accountKey).digits;
    const cb = computeSafetyNumber(suite, carol.accountKey, bob.accountKey).digits;
    const tweaked = computeSafetyNumber(suite, alice.accountKey, flip(bob.accountKey, 31)).digits;
    expect(new Set([ab, ac, cb, tweaked]).size).toBe(4);
    // Each user's half is their own: Alice's 30 digits appear in both of her numbers.
    const aliceHalf = [ab.slice(0, 30), ab.slice(30)].find((h) => ac.includes(h));
    expect(aliceHalf).toBeDefined();
    expect(cb.includes(aliceHalf as string)).toBe(false);
  });

  it('refuses an account key of the wrong length', () => {
    expectCode(() => computeSafetyNumber(suite, alice.accountKey.subarray(0, 31), bob.accountKey), 'CRYPTO_ERR_INVALID_LENGTH');
  });
});

describe('scanned safety number payloads', () => {
  it('accept the peer code, each way', () => {
    const aliceView = computeSafetyNumber(suite, alice.accountKey, bob.accountKey);
    const bobView = computeSafetyNumber(suite, bob.accountKey, alice.accountKey);
    expect(aliceView.qrPayload.length).toBe(65);
    expect(compareScannedSafetyNumber(aliceView, bobView.qrPayload)).toBe(true);
    expect(compareScannedSafetyNumber(bobView, aliceView.qrPayload)).toBe(true);
  });

  it("refuse one's own code, a third party and a man in the middle", () => {
    const aliceView = computeSafetyNumber(suite, alice.accountKey, bob.accountKey);
    expect(compareScannedSafetyNumber(aliceView, aliceView.qrPayload)).toBe(false);
    expect(compareScannedSafetyNumber(aliceView, computeSafetyNumber(suite, carol.accountKey, alice.accountKey).qrPayload)).toBe(false);
    expect(compareScannedSafetyNumber(aliceView, computeSafetyNumber(suite, bob.accountKey, carol.accountKey).qrPayload)).toBe(false);
    // Mallory (carol) sits between them: Alice sees Mallory's key as Bob's, Bob sees it as Alice's.
    const aliceUnderMitm = computeSafetyNumber(suite, alice.accountKey, carol.accountKey);
    const bobUnderMitm = computeSafetyNumber(suite, bob.accountKey, carol.accountKey);
    expect(compareScannedSafetyNumber(aliceUnderMitm, bobUnderMitm.qrPayload)).toBe(false);
    expect(compareScannedSafetyNumber(bobUnderMitm, aliceUnderMitm.qrPayload)).toBe(false);
  });

  it('refuse any changed byte', () => {
    const aliceView = computeSafetyNumber(suite, alice.accountKey, bob.accountKey);
    const bobPayload = computeSafetyNumber(suite, bob.accountKey, alice.accountKey).qrPayload;
    for (let i = 1; i < bobPayload.length; i++) expect(compareScannedSafetyNumber(aliceView, flip(bobPayload, i))).toBe(false);
  });

  it('report another version or a malformed payload as errors, not as a mismatch', () => {
    const aliceView = computeSafetyNumber(suite, alice.accountKey, bob.accountKey);
    const bobPayload = computeSafetyNumber(suite, bob.accountKey, alice.accountKey).qrPayload;
    expectCode(() => compareScannedSafetyNumber(aliceView, setByte(bobPayload, 0, 2)), 'CRYPTO_ERR_UNSUPPORTED_VERSION');
    expectCode(() => compareScannedSafetyNumber(aliceView, bobPayload.subarray(0, 64)), 'CRYPTO_ERR_INVALID_ENCODING');
    expectCode(() => compareScannedSafetyNumber(aliceView, Uint8Array.of(...bobPayload, 0)), 'CRYPTO_ERR_INVALID_ENCODING');
    expectCode(() => compareScannedSafetyNumber(aliceView, new Uint8Array(0)), 'CRYPTO_ERR_INVALID_ENCODING');
  });
});
