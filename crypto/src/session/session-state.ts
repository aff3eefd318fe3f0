/**
 * One session with one peer device: a Double Ratchet state plus what Sesame needs to manage it
 * (signal.org/docs/specifications/sesame §3): both identity keys, the PQXDH base key that names
 * the handshake, a digest of its initial-message fields, and, on the initiator's side, the fields
 * still to attach to outgoing messages until the peer has answered (PQXDH §3.3, Sesame §5.2).
 *
 *   u8  version (0x01)
 *   u8  role (0x01 initiator, 0x02 responder)
 *   33  EncodeEC(local IK) || 33 EncodeEC(remote IK) || 33 EncodeEC(EK_A, the base key)
 *   32  SHA-256 of the encoded PQXDH initial-message fields
 *   u8  pending flag (0x00 / 0x01, initiator only) [u16 length || encoded PQXDH fields]
 *   u32 length || ratchet state (its own versioned encoding)
 */
import { CryptoError } from '../errors.js';
import { ByteReader, ByteWriter } from '../public/bytes-io.js';
import { KEY_TYPE, encodedKeyLength } from '../public/keys.js';
import { decodePqxdhInitialMessage } from '../pqxdh/initial-message.js';
import { decodeX25519, encodeX25519 } from '../pqxdh/x25519-key.js';
import { decodeRatchetState, encodeRatchetState } from '../ratchet/serialize.js';
import type { RatchetState } from '../ratchet/state.js';
import { SESSION_STATE_VERSION } from './constants.js';

export type SessionRole = 'initiator' | 'responder';

export interface SessionState {
  readonly role: SessionRole;
  readonly localIdentityDhKey: Uint8Array;
  readonly remoteIdentityDhKey: Uint8Array;
  /** EK_A: identifies the PQXDH run (Sesame matches repeated prekey messages by it). */
  readonly baseKey: Uint8Array;
  /** SHA-256 of the encoded initial-message fields: a repeat must carry exactly these. */
  readonly initialFieldsDigest: Uint8Array;
  /** Initiator only: the encoded PQXDH fields, attached until the first reply decrypts. */
  pendingPrekeyFields: Uint8Array | undefined;
  readonly ratchet: RatchetState;
}

const ROLE_BYTE: Record<SessionRole, number> = { initiator: 0x01, responder: 0x02 };
const X25519_ENCODED = encodedKeyLength(KEY_TYPE.X25519);
const MAX_RATCHET_STATE_BYTES = 1 << 20;
const WHAT = 'session state';

export function encodeSessionState(state: SessionState): Uint8Array {
  const writer = new ByteWriter()
    .u8(SESSION_STATE_VERSION)
    .u8(ROLE_BYTE[state.role])
    .raw(encodeX25519(state.localIdentityDhKey))
    .raw(encodeX25519(state.remoteIdentityDhKey))
    .raw(encodeX25519(state.baseKey))
    .raw(state.initialFieldsDigest);
  if (state.pendingPrekeyFields === undefined) writer.u8(0x00);
  else writer.u8(0x01).bytes16(state.pendingPrekeyFields);
  return writer.bytes32(encodeRatchetState(state.ratchet)).finish();
}

function invalid(detail: string): CryptoError {
  return new CryptoError('CRYPTO_ERR_INVALID_ENCODING', `${WHAT}: ${detail}`);
}

export function decodeSessionState(bytes: Uint8Array): SessionState {
  const reader = new ByteReader(bytes, WHAT);
  const version = reader.u8('version');
  if (version !== SESSION_STATE_VERSION) {
    throw new CryptoError('CRYPTO_ERR_UNSUPPORTED_VERSION', `${WHAT} version 0x${version.toString(16).padStart(2, '0')}`);
  }
  const roleByte = reader.u8('role');
  const role: SessionRole | undefined = roleByte === 0x01 ? 'initiator' : roleByte === 0x02 ? 'responder' : undefined;
  if (role === undefined) throw invalid(`unknown role 0x${roleByte.toString(16)}`);
  const localIdentityDhKey = decodeX25519(reader.raw(X25519_ENCODED, 'local identity key'), 'local identity key');
  const remoteIdentityDhKey = decodeX25519(reader.raw(X25519_ENCODED, 'remote identity key'), 'remote identity key');
  const baseKey = decodeX25519(reader.raw(X25519_ENCODED, 'base key'), 'base key');
  const initialFieldsDigest = reader.raw(32, 'initial fields digest');
  const pendingFlag = reader.u8('pending flag');
  if (pendingFlag !== 0x00 && pendingFlag !== 0x01) throw invalid(`pending flag 0x${pendingFlag.toString(16)}`);
  let pendingPrekeyFields: Uint8Array | undefined;
  if (pendingFlag === 0x01) {
    if (role !== 'initiator') throw invalid('a responder session has no pending prekey fields');
    pendingPrekeyFields = reader.bytes16('pending prekey fields');
    // The fields must parse on their own and name this session's base key.
    const decoded = decodePqxdhInitialMessage(pendingPrekeyFields);
    if (decoded.ratchetMessage.length !== 0) throw invalid('pending prekey fields have trailing bytes');
    if (!sameBytes(decoded.fields.ephemeralKey, baseKey)) throw invalid('pending prekey fields name another base key');
  }
  const ratchet = decodeRatchetState(reader.bytes32('ratchet state', MAX_RATCHET_STATE_BYTES));
  reader.end();
  return { role, localIdentityDhKey, remoteIdentityDhKey, baseKey, initialFieldsDigest, pendingPrekeyFields, ratchet };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
