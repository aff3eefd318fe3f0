/**
 * The envelope of the private-key records a device keeps in its own (encrypted) store:
 * `version (u8 = 1) || record type (u8) || fields…`, with no signature (the store's encryption
 * at rest authenticates it). Decoding is as strict as for the public structures: an unknown
 * version, another record type, truncation and trailing bytes are all refused, so a record is
 * never read as a different kind of key.
 *
 * Record types are disjoint from the key type bytes (0x01–0x08) and the public structure type
 * bytes (0x10–0x13) in crypto/src/public, so no secret record can be mistaken for a public one.
 */
import { CryptoError } from '../errors.js';
import { ByteReader, ByteWriter } from '../public/bytes-io.js';

export const SECRET_RECORD_VERSION = 1;

export const SECRET_RECORD_TYPE = {
  ACCOUNT: 0x20,
  DEVICE_KEYS: 0x21,
  SIGNED_PREKEY: 0x22,
  ONE_TIME_PREKEY: 0x23,
  KEM_PREKEY: 0x24,
} as const;

export type SecretRecordType = (typeof SECRET_RECORD_TYPE)[keyof typeof SECRET_RECORD_TYPE];

/** A writer with the version and record type already written. */
export function secretRecordWriter(type: SecretRecordType): ByteWriter {
  return new ByteWriter().u8(SECRET_RECORD_VERSION).u8(type);
}

/** Opens a reader on a secret record after checking its version and type bytes. */
export function openSecretRecord(bytes: Uint8Array, type: SecretRecordType, what: string): ByteReader {
  if (!(bytes instanceof Uint8Array)) throw new CryptoError('CRYPTO_ERR_INVALID_ENCODING', `${what}: expected bytes`);
  const reader = new ByteReader(bytes, what);
  const version = reader.u8('version');
  if (version !== SECRET_RECORD_VERSION) throw new CryptoError('CRYPTO_ERR_UNSUPPORTED_VERSION', `${what}: version ${version}`);
  const actualType = reader.u8('record type');
  if (actualType !== type) {
    throw new CryptoError('CRYPTO_ERR_INVALID_ENCODING', `${what}: record type 0x${actualType.toString(16)} where 0x${type.toString(16)} was expected`);
  }
  return reader;
}
