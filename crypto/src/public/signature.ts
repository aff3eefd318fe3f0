/**
 * Strict Ed25519 verification for the public structures (RFC 8032 §5.1.7 without ZIP-215
 * leniency: non-canonical S or A, and small-order keys, are refused), plus the domain-separated
 * message every Sealpost signature covers: `context || 0x00 || body`. A distinct context per
 * structure means a signature over one kind of structure never verifies as another.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { concatBytes, utf8 } from '../primitives/bytes.js';

/** Signature contexts. Never reuse one for a different structure. */
export const SIGNATURE_CONTEXT = {
  DEVICE_CERTIFICATE: 'Sealpost device certificate v1',
  DEVICE_LIST: 'Sealpost device list v1',
  SIGNED_PREKEY: 'Sealpost signed prekey v1',
  RELAY_AUTH: 'Sealpost relay auth v1',
} as const;

export type SignatureContext = (typeof SIGNATURE_CONTEXT)[keyof typeof SIGNATURE_CONTEXT];

export const SIGNATURE_BYTES = 64;

/** The exact bytes a signature covers. */
export function signedMessage(context: SignatureContext, body: Uint8Array): Uint8Array {
  return concatBytes(utf8(context), Uint8Array.of(0), body);
}

/**
 * An Ed25519 verifier with the semantics of `verifyEd25519`'s default: strict RFC 8032 §5.1.7
 * (non-canonical S, A or R and small-order keys refused), true only for a valid signature. The
 * client passes its primitives suite's `ed25519Verify` (libsodium, already loaded for Argon2id),
 * which skips noble's first-use table build; the relay never passes one, so it never loads
 * libsodium.
 */
export type Ed25519Verifier = (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array) => boolean;

/** noble, strict mode: the default verifier. */
function nobleVerify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  return ed25519.verify(signature, message, publicKey, { zip215: false });
}

/**
 * Strict Ed25519 verification; false (never a throw) for any malformed input. `verify` replaces
 * noble (see Ed25519Verifier); sizes are checked and throws turned into false either way.
 */
export function verifyEd25519(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array, verify: Ed25519Verifier = nobleVerify): boolean {
  if (signature.length !== SIGNATURE_BYTES || publicKey.length !== 32) return false;
  try {
    return verify(signature, message, publicKey) === true;
  } catch {
    return false;
  }
}
