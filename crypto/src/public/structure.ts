/**
 * The envelope shared by Sealpost's signed public structures:
 * `version (u8) || structure type (u8) || fields… || Ed25519 signature (64)`, where the signature
 * covers `context || 0x00 || version || type || fields…` (see signature.ts). Decoding is strict:
 * unknown version, wrong type, truncation and trailing bytes are all refused.
 */
import { CryptoError } from '../errors.js';
import { concatBytes } from '../primitives/bytes.js';
import { ByteReader } from './bytes-io.js';
import { SIGNATURE_BYTES, signedMessage, verifyEd25519, type Ed25519Verifier, type SignatureContext } from './signature.js';

export const STRUCTURE_VERSION = 1;

/** Structure type bytes, disjoint from the key type bytes in keys.ts. */
export const STRUCTURE_TYPE = {
  DEVICE_CERTIFICATE: 0x10,
  DEVICE_LIST: 0x11,
  SIGNED_PREKEY: 0x12,
  ONE_TIME_PREKEY: 0x13,
} as const;

export type StructureType = (typeof STRUCTURE_TYPE)[keyof typeof STRUCTURE_TYPE];

/** Opens a reader on a structure after checking its version and type bytes. */
export function openStructure(bytes: Uint8Array, type: StructureType, what: string): ByteReader {
  if (!(bytes instanceof Uint8Array)) throw new CryptoError('CRYPTO_ERR_INVALID_ENCODING', `${what}: expected bytes`);
  const reader = new ByteReader(bytes, what);
  const version = reader.u8('version');
  if (version !== STRUCTURE_VERSION) throw new CryptoError('CRYPTO_ERR_UNSUPPORTED_VERSION', `${what}: version ${version}`);
  const actualType = reader.u8('structure type');
  if (actualType !== type) {
    throw new CryptoError('CRYPTO_ERR_INVALID_ENCODING', `${what}: structure type 0x${actualType.toString(16)} where 0x${type.toString(16)} was expected`);
  }
  return reader;
}

/**
 * Reads the trailing signature of a structure whose fields `reader` has just consumed, checks
 * that nothing follows it, and verifies it under `signerKey` (raw Ed25519) with `verify` (noble
 * when omitted). Throws CRYPTO_ERR_BAD_SIGNATURE when it does not verify.
 */
export function verifyTrailingSignature(reader: ByteReader, context: SignatureContext, signerKey: Uint8Array, what: string, verify?: Ed25519Verifier): Uint8Array {
  const body = reader.consumed();
  const signature = reader.raw(SIGNATURE_BYTES, 'signature');
  reader.end();
  if (!verifyEd25519(signature, signedMessage(context, body), signerKey, verify)) {
    throw new CryptoError('CRYPTO_ERR_BAD_SIGNATURE', what);
  }
  return signature;
}

/** Appends a signature to a body (used by the signing side in crypto/src/identity). */
export function withSignature(body: Uint8Array, signature: Uint8Array): Uint8Array {
  if (signature.length !== SIGNATURE_BYTES) throw new CryptoError('CRYPTO_ERR_INVALID_LENGTH', 'signature: expected 64 bytes');
  return concatBytes(body, signature);
}
