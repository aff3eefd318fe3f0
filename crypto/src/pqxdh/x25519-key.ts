/**
 * Canonical X25519 public keys for the session protocol (RFC 7748 §5).
 *
 * RFC 7748 §5 makes X25519 ignore the top bit of a u-coordinate and reduce values ≥ p, so several
 * byte strings act as the same key. The session formats accept only the canonical string
 * (top bit clear, value < 2^255 - 19): otherwise a relay could flip the top bit of EK_A and the
 * responder would derive the same secret from a different-looking message. Every key we generate is
 * already canonical.
 */
import { CryptoError, expectBytes } from '../errors.js';
import { KEY_TYPE, decodePublicKey, encodePublicKey } from '../public/keys.js';

/** True when `raw` is the canonical encoding of a u-coordinate: < 2^255 - 19, top bit clear. */
export function isCanonicalX25519(raw: Uint8Array): boolean {
  if (raw.length !== 32) return false;
  const top = raw[31] as number;
  if (top > 0x7f) return false;
  if (top < 0x7f) return true;
  // top byte is 0x7f: the value is ≥ p only when bytes 1..30 are 0xff and byte 0 is ≥ 0xed.
  for (let i = 30; i >= 1; i--) if (raw[i] !== 0xff) return true;
  return (raw[0] as number) < 0xed;
}

/** Checks a raw X25519 public key (32 bytes, canonical) and returns it. */
export function expectX25519PublicKey(raw: Uint8Array, label: string): Uint8Array {
  expectBytes(raw, 32, label);
  if (!isCanonicalX25519(raw)) {
    throw new CryptoError('CRYPTO_ERR_INVALID_ENCODING', `${label}: non-canonical X25519 public key (RFC 7748 §5)`);
  }
  return raw;
}

/** `0x05 || raw` (KEY_TYPE.X25519). */
export function encodeX25519(raw: Uint8Array): Uint8Array {
  return encodePublicKey(KEY_TYPE.X25519, raw);
}

/** Decodes a typed X25519 key and requires the canonical form. */
export function decodeX25519(encoded: Uint8Array, label: string): Uint8Array {
  return expectX25519PublicKey(decodePublicKey(KEY_TYPE.X25519, encoded), label);
}
