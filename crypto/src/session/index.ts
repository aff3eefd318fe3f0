/**
 * Per-device-pair sessions managed the Sesame way (signal.org/docs/specifications/sesame): the
 * session record, the outer message format, and encrypt/decrypt to and from one peer device.
 */
export { createSessionRecord, hasActiveSession, activateSession, encodeSessionRecord, decodeSessionRecord } from './session-record.js';
export type { SessionRecord } from './session-record.js';
export type { SessionState, SessionRole } from './session-state.js';
export { encodeSessionState, decodeSessionState } from './session-state.js';
export { initiateSession } from './initiate.js';
export { encryptForDevice } from './encrypt.js';
export { decryptFromDevice } from './decrypt.js';
export type { DecryptContext, SessionDecryptResult } from './decrypt.js';
export { parseSessionMessage, sessionMessageKind, encodePrekeyMessage, encodeNormalMessage } from './message-format.js';
export type { SessionMessageKind, ParsedSessionMessage } from './message-format.js';
export { SESSION_MESSAGE_TYPE, SESSION_STATE_VERSION, SESSION_RECORD_VERSION, MAX_PREVIOUS_SESSIONS } from './constants.js';
