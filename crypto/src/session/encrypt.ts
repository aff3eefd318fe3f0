/**
 * Encrypting to a peer device on its record's active session (Sesame §3.3 "sending"): a prekey
 * message while the PQXDH fields are still pending, a normal message afterwards.
 */
import { CryptoError } from '../errors.js';
import type { CryptoSuite } from '../primitives/index.js';
import { ratchetEncrypt } from '../ratchet/encrypt.js';
import { encodeNormalMessage, encodePrekeyMessage } from './message-format.js';
import type { SessionRecord } from './session-record.js';

/** Encrypts `plaintext` and advances the active session (persist the record afterwards). */
export function encryptForDevice(suite: CryptoSuite, record: SessionRecord, plaintext: Uint8Array): Uint8Array {
  const session = record.active;
  if (session === undefined) {
    throw new CryptoError('CRYPTO_ERR_NO_SESSION', `no active session with ${record.peer.accountId}/${record.peer.deviceId}`);
  }
  const ratchetMessage = ratchetEncrypt(suite, session.ratchet, plaintext);
  return session.pendingPrekeyFields === undefined
    ? encodeNormalMessage(ratchetMessage)
    : encodePrekeyMessage(session.pendingPrekeyFields, ratchetMessage);
}
