/**
 * The PQXDH initial message (PQXDH §3.3 "Alice then sends Bob an initial message containing ...").
 * Layout, all integers big-endian (docs/protocol-sessions.md §4):
 *
 *   u8   version (0x01)
 *   33   EncodeEC(IK_A)            typed X25519 key (0x05 || 32 bytes)
 *   33   EncodeEC(EK_A)
 *   u32  signed prekey id
 *   u8   one-time prekey flag (0x00 absent, 0x01 present)
 *   u32  one-time prekey id        (only when the flag is 0x01)
 *   u32  KEM prekey id
 *   1568 ML-KEM-1024 ciphertext (FIPS 203)
 *   ...  the first Double Ratchet message (everything that follows)
 *
 * The fields part is self-delimiting; the decoder is strict (unknown version, bad flag or
 * non-canonical key are refused) so every accepted byte string has one meaning.
 */
import { CryptoError } from '../errors.js';
import { MLKEM1024_CIPHERTEXT_BYTES } from '../primitives/backend.js';
import { ByteReader, ByteWriter } from '../public/bytes-io.js';
import { encodedKeyLength, KEY_TYPE } from '../public/keys.js';
import { checkKeyId } from './address.js';
import { PQXDH_VERSION } from './constants.js';
import { decodeX25519, encodeX25519, expectX25519PublicKey } from './x25519-key.js';

export interface PqxdhInitialFields {
  /** IK_A, raw X25519. */
  readonly identityDhKey: Uint8Array;
  /** EK_A, raw X25519: the "base key" that names this handshake. */
  readonly ephemeralKey: Uint8Array;
  readonly signedPrekeyId: number;
  readonly oneTimePrekeyId?: number;
  readonly kemPrekeyId: number;
  readonly kemCiphertext: Uint8Array;
}

export interface DecodedPqxdhInitialMessage {
  readonly fields: PqxdhInitialFields;
  /** The exact bytes of the version byte and fields (what the initiator attaches to each message). */
  readonly encodedFields: Uint8Array;
  /** The Double Ratchet message that follows the fields. */
  readonly ratchetMessage: Uint8Array;
}

const X25519_ENCODED = encodedKeyLength(KEY_TYPE.X25519);

/** Encodes the version byte and fields; the initial message is this followed by a ratchet message. */
export function encodePqxdhInitialFields(fields: PqxdhInitialFields): Uint8Array {
  checkKeyId(fields.signedPrekeyId, 'signed prekey id');
  checkKeyId(fields.kemPrekeyId, 'KEM prekey id');
  if (fields.kemCiphertext.length !== MLKEM1024_CIPHERTEXT_BYTES) {
    throw new CryptoError('CRYPTO_ERR_INVALID_LENGTH', `KEM ciphertext: expected ${MLKEM1024_CIPHERTEXT_BYTES} bytes`);
  }
  const writer = new ByteWriter()
    .u8(PQXDH_VERSION)
    .raw(encodeX25519(expectX25519PublicKey(fields.identityDhKey, 'IK_A')))
    .raw(encodeX25519(expectX25519PublicKey(fields.ephemeralKey, 'EK_A')))
    .u32(fields.signedPrekeyId);
  if (fields.oneTimePrekeyId === undefined) {
    writer.u8(0x00);
  } else {
    checkKeyId(fields.oneTimePrekeyId, 'one-time prekey id');
    writer.u8(0x01).u32(fields.oneTimePrekeyId);
  }
  return writer.u32(fields.kemPrekeyId).raw(fields.kemCiphertext).finish();
}

/** Decodes an initial message into its fields and the ratchet message that follows. */
export function decodePqxdhInitialMessage(bytes: Uint8Array): DecodedPqxdhInitialMessage {
  const reader = new ByteReader(bytes, 'PQXDH initial message');
  const version = reader.u8('version');
  if (version !== PQXDH_VERSION) {
    throw new CryptoError('CRYPTO_ERR_UNSUPPORTED_VERSION', `PQXDH initial message version 0x${version.toString(16).padStart(2, '0')}`);
  }
  const identityDhKey = decodeX25519(reader.raw(X25519_ENCODED, 'IK_A'), 'IK_A');
  const ephemeralKey = decodeX25519(reader.raw(X25519_ENCODED, 'EK_A'), 'EK_A');
  const signedPrekeyId = reader.u32('signed prekey id');
  const flag = reader.u8('one-time prekey flag');
  if (flag !== 0x00 && flag !== 0x01) {
    throw new CryptoError('CRYPTO_ERR_INVALID_ENCODING', `PQXDH initial message: one-time prekey flag 0x${flag.toString(16)}`);
  }
  const oneTimePrekeyId = flag === 0x01 ? reader.u32('one-time prekey id') : undefined;
  const kemPrekeyId = reader.u32('KEM prekey id');
  const kemCiphertext = reader.raw(MLKEM1024_CIPHERTEXT_BYTES, 'KEM ciphertext');
  const encodedFields = reader.consumed().slice();
  const ratchetMessage = reader.raw(reader.remaining, 'ratchet message');
  const fields: PqxdhInitialFields = oneTimePrekeyId === undefined
    ? { identityDhKey, ephemeralKey, signedPrekeyId, kemPrekeyId, kemCiphertext }
    : { identityDhKey, ephemeralKey, signedPrekeyId, oneTimePrekeyId, kemPrekeyId, kemCiphertext };
  return { fields, encodedFields, ratchetMessage };
}
