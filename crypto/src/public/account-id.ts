/**
 * Account ids: a readable name for an account identity key that the relay cannot forge.
 *
 * id = "sp1" || base32(H || C) where H = SHA-256("Sealpost account id v1" || 0x00 || encoded
 * account key)[0..20] and C = SHA-256("sp1" || H)[0..3], in a 32-letter alphabet without the
 * look-alikes l, o, 0 and 1. 23 bytes give 37 letters; the one spare bit must be zero. Swapping a
 * contact's key changes the id (a 160-bit second preimage is out of reach), and a mistyped id fails
 * the 24-bit checksum.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, constantTimeEqual, utf8 } from '../primitives/bytes.js';
import { KEY_TYPE, encodePublicKey } from './keys.js';

export const ACCOUNT_ID_PREFIX = 'sp1';
const ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';
const HASH_BYTES = 20;
const CHECKSUM_BYTES = 3;
const ID_LETTERS = 37;
const HASH_LABEL = utf8('Sealpost account id v1\0');

function base32(bytes: Uint8Array): string {
  let out = '';
  let acc = 0;
  let bits = 0;
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(acc >>> bits) & 31];
    }
    acc &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(acc << (5 - bits)) & 31];
  return out;
}

function checksum(hash: Uint8Array): Uint8Array {
  return sha256(concatBytes(utf8(ACCOUNT_ID_PREFIX), hash)).subarray(0, CHECKSUM_BYTES);
}

/** The account id of a raw 32-byte Ed25519 account identity key. */
export function accountIdFromAccountKey(accountKey: Uint8Array): string {
  const hash = sha256(concatBytes(HASH_LABEL, encodePublicKey(KEY_TYPE.ACCOUNT_ED25519, accountKey))).subarray(0, HASH_BYTES);
  return ACCOUNT_ID_PREFIX + base32(concatBytes(hash, checksum(hash)));
}

/** True when `text` is a well-formed account id with a valid checksum. */
export function isAccountId(text: unknown): text is string {
  if (typeof text !== 'string' || text.length !== ACCOUNT_ID_PREFIX.length + ID_LETTERS || !text.startsWith(ACCOUNT_ID_PREFIX)) {
    return false;
  }
  const bytes = new Uint8Array(HASH_BYTES + CHECKSUM_BYTES);
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = ACCOUNT_ID_PREFIX.length; i < text.length; i++) {
    const v = ALPHABET.indexOf(text[i] as string);
    if (v < 0) return false;
    acc = ((acc << 5) | v) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes[o++] = (acc >>> bits) & 0xff;
    }
  }
  if ((acc & ((1 << bits) - 1)) !== 0) return false; // the spare bit must be zero (one spelling per id)
  const hash = bytes.subarray(0, HASH_BYTES);
  return constantTimeEqual(checksum(hash), bytes.subarray(HASH_BYTES));
}

/** True when `accountKey` is the key this account id was derived from. */
export function accountIdMatchesKey(accountId: string, accountKey: Uint8Array): boolean {
  return accountId === accountIdFromAccountKey(accountKey);
}
