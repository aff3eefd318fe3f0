/**
 * All sessions with one peer device, the Sesame way (signal.org/docs/specifications/sesame §3.2):
 * one active session used for sending and up to MAX_PREVIOUS_SESSIONS inactive ones that can
 * still receive. A new session becomes active and pushes the old active one down; a session that
 * decrypts a message becomes active again (Sesame §3.4), so two devices that initiated at the
 * same time converge on one session.
 *
 *   u8  version (0x01)
 *   u8 length || peer account id (UTF-8) || u32 peer device id
 *   u8  active flag (0x00 / 0x01) [u32 length || session state]
 *   u8  previous count (≤ 5), each u32 length || session state, most recent first
 */
import { CryptoError } from '../errors.js';
import { ByteReader, ByteWriter } from '../public/bytes-io.js';
import { checkDeviceAddress, readDeviceAddress, writeDeviceAddress } from '../pqxdh/address.js';
import type { DeviceAddress } from '../pqxdh/types.js';
import { MAX_PREVIOUS_SESSIONS, SESSION_RECORD_VERSION } from './constants.js';
import { decodeSessionState, encodeSessionState, type SessionState } from './session-state.js';

export interface SessionRecord {
  readonly peer: DeviceAddress;
  active: SessionState | undefined;
  /** Most recent first. */
  previous: SessionState[];
}

const MAX_SESSION_STATE_BYTES = 1 << 20;
const WHAT = 'session record';

export function createSessionRecord(peer: DeviceAddress): SessionRecord {
  checkDeviceAddress(peer, 'peer device');
  return { peer: { accountId: peer.accountId, deviceId: peer.deviceId }, active: undefined, previous: [] };
}

/** Whether the record can encrypt (it has an active session). */
export function hasActiveSession(record: SessionRecord): boolean {
  return record.active !== undefined;
}

/** Makes `state` active; the former active session becomes the most recent inactive one. */
export function activateSession(record: SessionRecord, state: SessionState): void {
  if (record.active === state) return;
  const previous = record.previous.filter((s) => s !== state);
  if (record.active !== undefined) previous.unshift(record.active);
  // Sesame §3.2: keep a bounded number of inactive sessions; the oldest is dropped.
  record.previous = previous.slice(0, MAX_PREVIOUS_SESSIONS);
  record.active = state;
}

/** Active first, then inactive ones from most to least recent. */
export function sessionsOf(record: SessionRecord): SessionState[] {
  return record.active === undefined ? [...record.previous] : [record.active, ...record.previous];
}

export function encodeSessionRecord(record: SessionRecord): Uint8Array {
  const writer = new ByteWriter().u8(SESSION_RECORD_VERSION);
  writeDeviceAddress(writer, record.peer, 'peer device');
  if (record.active === undefined) writer.u8(0x00);
  else writer.u8(0x01).bytes32(encodeSessionState(record.active));
  writer.u8(record.previous.length);
  for (const state of record.previous) writer.bytes32(encodeSessionState(state));
  return writer.finish();
}

export function decodeSessionRecord(bytes: Uint8Array): SessionRecord {
  const reader = new ByteReader(bytes, WHAT);
  const version = reader.u8('version');
  if (version !== SESSION_RECORD_VERSION) {
    throw new CryptoError('CRYPTO_ERR_UNSUPPORTED_VERSION', `${WHAT} version 0x${version.toString(16).padStart(2, '0')}`);
  }
  const peer = readDeviceAddress(reader, 'peer device');
  const activeFlag = reader.u8('active flag');
  if (activeFlag !== 0x00 && activeFlag !== 0x01) {
    throw new CryptoError('CRYPTO_ERR_INVALID_ENCODING', `${WHAT}: active flag 0x${activeFlag.toString(16)}`);
  }
  const active = activeFlag === 0x01 ? decodeSessionState(reader.bytes32('active session', MAX_SESSION_STATE_BYTES)) : undefined;
  const count = reader.u8('previous session count');
  if (count > MAX_PREVIOUS_SESSIONS) {
    throw new CryptoError('CRYPTO_ERR_INVALID_ENCODING', `${WHAT}: ${count} previous sessions, limit ${MAX_PREVIOUS_SESSIONS}`);
  }
  const previous: SessionState[] = [];
  for (let i = 0; i < count; i++) previous.push(decodeSessionState(reader.bytes32('previous session', MAX_SESSION_STATE_BYTES)));
  reader.end();
  return { peer, active, previous };
}
