/**
 * Decrypting a message from a peer device (Sesame §3.4 "receiving", PQXDH §3.4, Double Ratchet
 * §3.5). The record changes only when the message authenticated; a failed call leaves it as it
 * was. Calls for one record must not run concurrently (the caller serialises them per peer device).
 *
 * Prekey message: if a responder session already has its base key, the fields must equal the ones
 * that created it and its ratchet decrypts (the initiator repeats the fields until answered);
 * otherwise PQXDH runs, a new ratchet decrypts the message, the last-resort replay record is
 * written, and the new session becomes active. Normal message: the session that knows the
 * message's ratchet key decrypts it, or else each session tries a DH ratchet step, active first.
 * The session that decrypted becomes active (Sesame §3.4).
 */
import { CryptoError } from '../errors.js';
import { constantTimeEqual } from '../primitives/bytes.js';
import type { CryptoSuite } from '../primitives/index.js';
import { decodePqxdhInitialMessage } from '../pqxdh/initial-message.js';
import type { ConsumedPrekeys, PqxdhPrekeyStore } from '../pqxdh/prekey-store.js';
import { checkExpectedIdentity, pqxdhRespond, recordPqxdhAcceptance } from '../pqxdh/responder.js';
import type { LocalDeviceIdentity } from '../pqxdh/types.js';
import { ratchetDecryptParsed, ratchetRecognizes } from '../ratchet/decrypt.js';
import { parseRatchetMessage, type ParsedRatchetMessage } from '../ratchet/header.js';
import { initRatchetAsResponder } from '../ratchet/state.js';
import { parseSessionMessage, type SessionMessageKind } from './message-format.js';
import { activateSession, sessionsOf, type SessionRecord } from './session-record.js';
import type { SessionState } from './session-state.js';

export interface DecryptContext {
  /** This device: its address and identity DH key pair (needed for prekey messages). */
  readonly local: LocalDeviceIdentity;
  /** This device's private prekeys and last-resort replay record. */
  readonly prekeyStore: PqxdhPrekeyStore;
  /** The peer device's certified identity DH key, when known: anything else is refused. */
  readonly expectedPeerIdentityDhKey?: Uint8Array;
}

export interface SessionDecryptResult {
  readonly plaintext: Uint8Array;
  readonly kind: SessionMessageKind;
  /** The peer device's identity DH key the session is bound to (check it if you did not pass one). */
  readonly peerIdentityDhKey: Uint8Array;
  /** True when this message created a new session through PQXDH. */
  readonly newSession: boolean;
  /** One-time prekeys used up by a new session: delete them when you save the record. */
  readonly consumedPrekeys: ConsumedPrekeys;
}

const NOTHING_CONSUMED: ConsumedPrekeys = {};

function accepted(record: SessionRecord, session: SessionState, plaintext: Uint8Array, kind: SessionMessageKind): SessionDecryptResult {
  // The peer answered on this session, so it no longer needs the PQXDH fields (PQXDH §3.3, Sesame §5.2).
  session.pendingPrekeyFields = undefined;
  activateSession(record, session);
  return { plaintext, kind, peerIdentityDhKey: session.remoteIdentityDhKey, newSession: false, consumedPrekeys: NOTHING_CONSUMED };
}

function decryptNormal(suite: CryptoSuite, record: SessionRecord, body: Uint8Array, expected: Uint8Array | undefined): SessionDecryptResult {
  let sessions = sessionsOf(record);
  if (sessions.length === 0) {
    throw new CryptoError('CRYPTO_ERR_NO_SESSION', `no session with ${record.peer.accountId}/${record.peer.deviceId}`);
  }
  if (expected !== undefined) {
    sessions = sessions.filter((s) => constantTimeEqual(s.remoteIdentityDhKey, expected));
    if (sessions.length === 0) throw new CryptoError('CRYPTO_ERR_UNTRUSTED_IDENTITY', 'no session with the certified identity key');
  }
  const message = parseRatchetMessage(body);
  const owner = sessions.find((s) => ratchetRecognizes(s.ratchet, message.header));
  if (owner !== undefined) {
    return accepted(record, owner, ratchetDecryptParsed(suite, owner.ratchet, message), 'normal');
  }
  return tryEach(suite, record, sessions, message);
}

function tryEach(suite: CryptoSuite, record: SessionRecord, sessions: SessionState[], message: ParsedRatchetMessage): SessionDecryptResult {
  let firstError: unknown;
  for (const session of sessions) {
    try {
      return accepted(record, session, ratchetDecryptParsed(suite, session.ratchet, message), 'normal');
    } catch (error) {
      if (!(error instanceof CryptoError)) throw error;
      firstError ??= error;
    }
  }
  throw firstError;
}

async function decryptPrekey(suite: CryptoSuite, record: SessionRecord, body: Uint8Array, context: DecryptContext): Promise<SessionDecryptResult> {
  const { fields, encodedFields, ratchetMessage } = decodePqxdhInitialMessage(body);
  checkExpectedIdentity(fields.identityDhKey, context.expectedPeerIdentityDhKey);
  const message = parseRatchetMessage(ratchetMessage);
  const digest = suite.sha256(encodedFields);

  // A repeat of the fields of a session we already answered or are answering (Sesame §5.2).
  const existing = sessionsOf(record).find((s) => s.role === 'responder' && constantTimeEqual(s.baseKey, fields.ephemeralKey));
  if (existing !== undefined) {
    if (!constantTimeEqual(existing.initialFieldsDigest, digest)) {
      throw new CryptoError('CRYPTO_ERR_DECRYPT_FAILED', 'prekey fields differ from those that created the session with this base key');
    }
    return accepted(record, existing, ratchetDecryptParsed(suite, existing.ratchet, message), 'prekey');
  }

  const handshake = await pqxdhRespond(suite, {
    local: context.local,
    peer: record.peer,
    fields,
    store: context.prekeyStore,
    ...(context.expectedPeerIdentityDhKey === undefined ? {} : { expectedPeerIdentityDhKey: context.expectedPeerIdentityDhKey }),
  });
  const ratchet = initRatchetAsResponder(handshake.sharedSecret, handshake.associatedData, handshake.signedPrekeyPair);
  handshake.sharedSecret.fill(0);
  // Decrypt before anything is recorded: a forged initial message burns no key and no replay slot.
  const plaintext = ratchetDecryptParsed(suite, ratchet, message);
  await recordPqxdhAcceptance(context.prekeyStore, handshake);
  const state: SessionState = {
    role: 'responder',
    localIdentityDhKey: context.local.identityDhKeyPair.publicKey.slice(),
    remoteIdentityDhKey: handshake.remoteIdentityDhKey,
    baseKey: fields.ephemeralKey,
    initialFieldsDigest: digest,
    pendingPrekeyFields: undefined,
    ratchet,
  };
  activateSession(record, state);
  return { plaintext, kind: 'prekey', peerIdentityDhKey: state.remoteIdentityDhKey, newSession: true, consumedPrekeys: handshake.consumedPrekeys };
}

/** Decrypts a session message from `record.peer`; updates the record in place only on success. */
export async function decryptFromDevice(suite: CryptoSuite, record: SessionRecord, message: Uint8Array, context: DecryptContext): Promise<SessionDecryptResult> {
  const parsed = parseSessionMessage(message);
  if (parsed.kind === 'normal') return decryptNormal(suite, record, parsed.body, context.expectedPeerIdentityDhKey);
  return decryptPrekey(suite, record, parsed.body, context);
}
