/**
 * The session layer as commands see it: profiles, contacts, messages, settings, the relay
 * session, and the record and event types they return (DESIGN.md §1: commands → session).
 *
 * Commands take types from here but values from the session module that defines them: ESM
 * loads every module a barrel names, and this one names all of them (WebSocket, files, device
 * linking, push), so importing a value from here would make `sealpost whoami` load what only
 * `send-file` needs — start-up time is a goal (issue 7, test/bench/cli-bench.ts).
 */
export { Profile, openProfile, createProfile, withProfile } from './profile.js';
export { findContact, requireContact, listContacts, displayName } from './contacts.js';
export { overallState, messageState, withDelivery, stateRank, conversationHistory, outgoingMessage, unreadCounts, markConversationRead, flushReadReceipts } from './messages.js';
export { readSettings, setReadReceipts } from './settings.js';
export { accountFingerprint } from './fingerprint.js';
export { initProfile } from './registration.js';
export type { RegisterResult } from './registration.js';
export { addContact, checkIdentity, confirmContact, contactLink, contactOrAdd, parseContactRef, requireTrusted } from './contact-directory.js';
export { beforeDeadline, waitForState } from './waiting.js';
export { EventHub } from './runtime.js';
export { signedInHttp } from './signed-http.js';
export { openConnection } from './connection.js';
export { fetchPresence, setPresenceAllowed } from './presence.js';
export { contactSafetyNumber } from './verification.js';
export { listOwnDevices, removeOwnDevice } from './devices.js';
export { addDeviceToAccount, joinWhenListed, newDeviceKeys, nextDeviceId } from './linking.js';
export { decodeAnswer, decodeOffer, encodeAnswer, encodeOffer, newPairingSecret } from './link-codes.js';
export { discardStore } from './profile.js';
export type { Connection } from './connection.js';
export { reached } from './messenger.js';
export type { SessionEvent, DeviceRef, FileSummary } from './events.js';
export { sendFileMessage } from './file-upload.js';
export type { FileSource, SendFileOptions } from './file-upload.js';
export { downloadFile, fileMessage, targetPath } from './file-download.js';
export type { DownloadTarget, FileMessage } from './file-download.js';
export { fileSummary } from './file-attachment.js';
export type { ProgressListener, TransferPhase } from './transfer.js';
export { pushState, subscribePush, unsubscribePush } from './push.js';
export type { PushState, PushSubscriptionInput } from './push.js';
export type { ContactRecord, DeliveryState, DeviceDelivery, FileAttachment, IdentityRecord, MessageRecord, SettingsRecord } from '../store/records.js';
export type { UnreadCount } from '../store/message-store.js';
export type { KdfParams, KdfPreset } from '../store/kdf.js';
