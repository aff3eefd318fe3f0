/**
 * Safety numbers: what two users compare (read aloud or by QR code) to check that each holds the
 * other's real account key (DESIGN.md §2; the client pins the key it first saw, and this is how a
 * user verifies it). Modelled on Signal's numeric fingerprint (libsignal NumericFingerprintGenerator).
 *
 * Per account: H_0 = empty, H_{i+1} = SHA-512(version (u8 = 1) || typed account key (33) ||
 * account id length (u16) || account id (UTF-8) || H_i) for i < 5200. The first 30 bytes of
 * H_5200 give 6 chunks of 5 bytes; each chunk, as a 40-bit big-endian integer mod 100000, gives
 * 5 digits: 30 digits per account. The two 30-digit halves are put in ascending (string) order, so
 * both users see the same 60 digits, displayed as 12 groups of 5.
 *
 * Why 5200 iterations: an attacker (say, a relay) who wants to pass off its own key must find one
 * whose 30 digits equal the victim's, a second preimage of ~2^99.7 candidates; each candidate also
 * costs 5200 hashes (~2^12.3), raising the work to ~2^112 hash calls, while one computation takes a
 * few milliseconds. It is the figure Signal chose for the same 30-digit halves.
 *
 * QR payload: version (u8 = 1) || own fingerprint (32) || peer fingerprint (32), where a
 * fingerprint is the first 32 bytes of H_5200. It is directional, so a scanner knows which half is
 * whose and a user who scans their own screen does not see a match.
 */
import { CryptoError } from '../errors.js';
import { concatBytes, constantTimeEqual, utf8 } from '../primitives/bytes.js';
import type { CryptoSuite } from '../primitives/index.js';
import { accountIdFromAccountKey } from '../public/account-id.js';
import { ByteWriter } from '../public/bytes-io.js';
import { KEY_TYPE, encodePublicKey } from '../public/keys.js';

export const SAFETY_NUMBER_VERSION = 1;
export const SAFETY_NUMBER_ITERATIONS = 5200;
/** 60 digits in 12 groups of 5. */
export const SAFETY_NUMBER_DIGITS = 60;

const CHUNKS_PER_SIDE = 6;
const CHUNK_BYTES = 5;
const CHUNK_MODULUS = 100_000;
const QR_FINGERPRINT_BYTES = 32;
const QR_PAYLOAD_BYTES = 1 + 2 * QR_FINGERPRINT_BYTES;
const SHA512_BYTES = 64;

export interface SafetyNumber {
  /** The 60 digits, identical for both users. */
  readonly digits: string;
  /** The same digits in 12 groups of 5, for display. */
  readonly groups: readonly string[];
  /** What this user shows as a QR code: version || own fingerprint || peer fingerprint. */
  readonly qrPayload: Uint8Array;
}

/** The iterated SHA-512 hash H_5200 for one account key. */
function iteratedHash(suite: CryptoSuite, accountKey: Uint8Array): Uint8Array {
  const prefix = new ByteWriter()
    .u8(SAFETY_NUMBER_VERSION)
    .raw(encodePublicKey(KEY_TYPE.ACCOUNT_ED25519, accountKey))
    .bytes16(utf8(accountIdFromAccountKey(accountKey)))
    .finish();
  // One buffer, prefix || previous hash, rewritten in place: H_0 is empty, so round 0 hashes the prefix alone.
  const buffer = new Uint8Array(prefix.length + SHA512_BYTES);
  buffer.set(prefix);
  let hash = suite.sha512(prefix);
  for (let i = 1; i < SAFETY_NUMBER_ITERATIONS; i++) {
    buffer.set(hash, prefix.length);
    hash = suite.sha512(buffer);
  }
  return hash;
}

/** 30 digits: six 5-byte big-endian chunks, each mod 100000, zero-padded to 5 digits. */
function digitsOf(hash: Uint8Array): string {
  let out = '';
  for (let c = 0; c < CHUNKS_PER_SIDE; c++) {
    let value = 0;
    // 40-bit values stay exact in a double (below 2^53).
    for (let b = 0; b < CHUNK_BYTES; b++) value = value * 256 + (hash[c * CHUNK_BYTES + b] as number);
    out += String(value % CHUNK_MODULUS).padStart(5, '0');
  }
  return out;
}

/** The safety number between this user's account key and a peer's (raw 32-byte Ed25519 keys). */
export function computeSafetyNumber(suite: CryptoSuite, localAccountKey: Uint8Array, remoteAccountKey: Uint8Array): SafetyNumber {
  const local = iteratedHash(suite, localAccountKey);
  const remote = iteratedHash(suite, remoteAccountKey);
  const localDigits = digitsOf(local);
  const remoteDigits = digitsOf(remote);
  const digits = localDigits <= remoteDigits ? localDigits + remoteDigits : remoteDigits + localDigits;
  const groups: string[] = [];
  for (let i = 0; i < SAFETY_NUMBER_DIGITS; i += 5) groups.push(digits.slice(i, i + 5));
  const qrPayload = concatBytes(
    Uint8Array.of(SAFETY_NUMBER_VERSION),
    local.subarray(0, QR_FINGERPRINT_BYTES),
    remote.subarray(0, QR_FINGERPRINT_BYTES),
  );
  return { digits, groups, qrPayload };
}

/**
 * Checks a QR payload scanned from the peer's screen against this user's safety number: it must
 * name the peer's fingerprint as its own and ours as its peer's. True on a match, false on a
 * mismatch (compared in constant time); throws CRYPTO_ERR_UNSUPPORTED_VERSION when the peer uses
 * another safety-number version (the UI should say so rather than report a mismatch) and
 * CRYPTO_ERR_INVALID_ENCODING for anything that is not a safety-number payload.
 */
export function compareScannedSafetyNumber(mine: SafetyNumber, scanned: Uint8Array): boolean {
  if (!(scanned instanceof Uint8Array) || scanned.length < 1) {
    throw new CryptoError('CRYPTO_ERR_INVALID_ENCODING', 'safety number payload: empty');
  }
  if (scanned[0] !== SAFETY_NUMBER_VERSION) {
    throw new CryptoError('CRYPTO_ERR_UNSUPPORTED_VERSION', `safety number payload: version ${scanned[0] as number}`);
  }
  if (scanned.length !== QR_PAYLOAD_BYTES) {
    throw new CryptoError('CRYPTO_ERR_INVALID_ENCODING', `safety number payload: expected ${QR_PAYLOAD_BYTES} bytes, got ${scanned.length}`);
  }
  const ownFingerprint = mine.qrPayload.subarray(1, 1 + QR_FINGERPRINT_BYTES);
  const peerFingerprint = mine.qrPayload.subarray(1 + QR_FINGERPRINT_BYTES, QR_PAYLOAD_BYTES);
  const expected = concatBytes(Uint8Array.of(SAFETY_NUMBER_VERSION), peerFingerprint, ownFingerprint);
  return constantTimeEqual(expected, scanned);
}
