/**
 * The store's SQLite schema. Every content column is a sealed record (./record-cipher.ts); the
 * only plaintext is the meta table (format, KDF parameters, salt, verifier), prekey ids (public on
 * the relay anyway) and their id counters, message order and unread flags, and keyed-HMAC lookup columns.
 *
 * `application_id` marks the file as a Sealpost store; `user_version` is the schema version, so a
 * newer sealpost can migrate an older store and an older one refuses a newer store.
 */

/** "SPST" as a big-endian 32-bit integer. */
export const APPLICATION_ID = 0x53505354;
export const SCHEMA_VERSION = 1;

export const SCHEMA_V1 = `
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
CREATE TABLE identity (slot TEXT PRIMARY KEY, body BLOB NOT NULL) STRICT;
CREATE TABLE settings (name TEXT PRIMARY KEY, body BLOB NOT NULL) STRICT;
CREATE TABLE prekeys (kind TEXT NOT NULL, key_id INTEGER NOT NULL, body BLOB NOT NULL, PRIMARY KEY (kind, key_id)) STRICT;
CREATE TABLE sessions (peer BLOB PRIMARY KEY, account BLOB NOT NULL, body BLOB NOT NULL) STRICT;
CREATE INDEX sessions_by_account ON sessions (account);
CREATE TABLE contacts (account BLOB PRIMARY KEY, username BLOB, alias BLOB UNIQUE, body BLOB NOT NULL) STRICT;
CREATE INDEX contacts_by_username ON contacts (username);
CREATE TABLE messages (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  ref BLOB NOT NULL UNIQUE,
  relay_ref BLOB,
  conversation BLOB NOT NULL,
  unread INTEGER NOT NULL DEFAULT 0,
  body BLOB NOT NULL
) STRICT;
CREATE INDEX messages_by_conversation ON messages (conversation, seq);
CREATE INDEX messages_by_relay_id ON messages (relay_ref);
CREATE INDEX messages_unread ON messages (conversation, unread) WHERE unread > 0;
CREATE TABLE seen (ref BLOB PRIMARY KEY, at INTEGER NOT NULL) STRICT;
CREATE TABLE replays (ref BLOB PRIMARY KEY, key_id INTEGER NOT NULL) STRICT;
CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) STRICT;
`;
