/**
 * Learning and pinning other accounts (DESIGN.md §2): trust on first use. An account id is a hash
 * of its key, so the relay cannot swap the key behind an id; what it (or a re-registration) can
 * change is which account a *username* leads to. The first account seen for a contact is pinned;
 * when the username later leads elsewhere the contact is marked identity-changed and sending
 * stops until the user compares safety numbers and runs `verify --confirm`.
 *
 * Device lists are accepted only when signed by the pinned account key and not older than the
 * last one accepted, so the relay can neither add a device nor roll a removal back.
 */
import type { CryptoSuite } from '@sealpost/crypto';
import { KEY_TYPE, accountIdFromAccountKey, decodePublicKey, isAccountId, verifyDeviceList, type DeviceList } from '@sealpost/crypto/public';
import { CliError } from '../errors.js';
import type { ContactRecord } from '../store/records.js';
import type { RelayHttp } from '../transport/relay-http.js';
import { RelayRefusal } from '../transport/relay-errors.js';
import { fromB64, toB64 } from './encoding.js';
import { findContact } from './contacts.js';
import type { Profile } from './profile.js';
import { suiteVerifier } from './signature-verifier.js';

export interface ResolvedAccount {
  readonly accountId: string;
  /** Raw Ed25519 account key. */
  readonly accountKey: Uint8Array;
  readonly username: string | null;
}

/** What a user may type to add a contact: "bob", "@bob", "sp1…", or a "sealpost:sp1…" link. */
export function parseContactRef(who: string): { accountId: string } | { username: string } {
  const trimmed = who.trim();
  const link = /^sealpost:(?:\/\/)?(?:contact\/)?(sp1[a-z0-9]+)$/i.exec(trimmed);
  if (link !== null) {
    const id = (link[1] as string).toLowerCase();
    if (!isAccountId(id)) throw new CliError('CLI_ERR_INVALID_ARGUMENT', `"${who}" is not a valid contact link (bad account id checksum)`);
    return { accountId: id };
  }
  const isId: boolean = isAccountId(trimmed);
  if (isId) return { accountId: trimmed };
  if (/^sp1[a-z0-9]{37}$/.test(trimmed)) throw new CliError('CLI_ERR_INVALID_ARGUMENT', `"${who}" looks like an account id but its checksum is wrong (a typo?)`);
  const username = trimmed.replace(/^@/, '');
  if (username === '') throw new CliError('CLI_ERR_INVALID_ARGUMENT', 'empty contact name');
  return { username };
}

/** The contact link `whoami` prints and `contact add` accepts. */
export function contactLink(accountId: string): string {
  return `sealpost:${accountId}`;
}

function notFound(error: unknown, what: string): never {
  if (error instanceof RelayRefusal && error.info.code === 'RELAY_ERR_ACCOUNT_NOT_FOUND') throw new CliError('CLI_ERR_ACCOUNT_NOT_FOUND', what, { relayCode: error.info.code });
  throw error;
}

/** Asks the relay for an account and checks that the key it serves is the one the id names. */
export async function resolveAccount(http: RelayHttp, ref: { accountId: string } | { username: string }): Promise<ResolvedAccount> {
  let answer;
  try {
    answer = 'accountId' in ref ? await http.account(ref.accountId) : await http.username(ref.username.toLowerCase());
  } catch (error) {
    notFound(error, 'accountId' in ref ? ref.accountId : `username "${ref.username}"`);
  }
  const accountKey = decodePublicKey(KEY_TYPE.ACCOUNT_ED25519, fromB64(answer.accountKey));
  if (accountIdFromAccountKey(accountKey) !== answer.accountId || ('accountId' in ref && answer.accountId !== ref.accountId)) {
    throw new CliError('CLI_ERR_UNTRUSTED_IDENTITY', 'the relay served an account key that does not match the account id');
  }
  return { accountId: answer.accountId, accountKey, username: answer.username };
}

/**
 * Verifies a device list for `accountKey` (the signature through the suite: libsodium, already
 * loaded, instead of noble's costly first verification) and refuses one older than `afterVersion`
 * (the relay hiding a device by serving an old list).
 */
export function acceptDeviceList(suite: CryptoSuite, bytes: Uint8Array, accountKey: Uint8Array, knownVersion: number): DeviceList {
  let list: DeviceList;
  try {
    list = verifyDeviceList(bytes, accountKey, { verify: suiteVerifier(suite) });
  } catch (error) {
    throw new CliError('CLI_ERR_DEVICE_LIST_INVALID', error instanceof Error ? error.message : String(error));
  }
  if (list.version < knownVersion) throw new CliError('CLI_ERR_DEVICE_LIST_INVALID', `version ${list.version} is older than version ${knownVersion} seen before`);
  return list;
}

export async function fetchDeviceList(suite: CryptoSuite, http: RelayHttp, accountId: string, accountKey: Uint8Array, knownVersion: number): Promise<DeviceList> {
  let answer;
  try {
    answer = await http.deviceList(accountId);
  } catch (error) {
    notFound(error, accountId);
  }
  return acceptDeviceList(suite, fromB64(answer.deviceList), accountKey, knownVersion);
}

function newContact(account: ResolvedAccount, list: DeviceList, alias: string | null, now: number): ContactRecord {
  return {
    accountId: account.accountId,
    username: account.username,
    alias,
    pinnedAccountKey: toB64(account.accountKey),
    verified: false,
    pendingAccountId: null,
    pendingAccountKey: null,
    deviceList: toB64(list.bytes),
    deviceListVersion: list.version,
    presence: 'denied',
    addedAt: now,
  };
}

/** The pinned account key of a contact, raw. */
export function pinnedKey(contact: ContactRecord): Uint8Array {
  return fromB64(contact.pinnedAccountKey);
}

/** The contact's accepted device list, if any. */
export function contactDeviceList(suite: CryptoSuite, contact: ContactRecord): DeviceList | undefined {
  return contact.deviceList === null ? undefined : verifyDeviceList(fromB64(contact.deviceList), pinnedKey(contact), { verify: suiteVerifier(suite) });
}

export interface AddContactResult {
  readonly contact: ContactRecord;
  readonly created: boolean;
}

/** `contact add`: resolves, verifies and pins; an existing contact only gets the new alias. */
export async function addContact(profile: Profile, http: RelayHttp, who: string, alias: string | null, now: number): Promise<AddContactResult> {
  const me = profile.identity();
  const ref = parseContactRef(who);
  if ('accountId' in ref && ref.accountId === me.accountId) throw new CliError('CLI_ERR_INVALID_ARGUMENT', 'that is your own account');
  const { store } = profile;
  if (alias !== null) {
    const holder = store.run(() => store.contacts.findByAlias(alias));
    if (holder !== undefined && ('accountId' in ref ? holder.accountId !== ref.accountId : holder.username?.toLowerCase() !== ref.username.toLowerCase())) {
      throw new CliError('CLI_ERR_CONTACT_EXISTS', `the alias "${alias}" already names ${holder.accountId}`);
    }
  }
  const account = await resolveAccount(http, ref);
  if (account.accountId === me.accountId) throw new CliError('CLI_ERR_INVALID_ARGUMENT', 'that is your own account');
  const existing = store.run(() => store.contacts.getByAccountId(account.accountId));
  if (existing !== undefined) {
    const updated: ContactRecord = { ...existing, alias: alias ?? existing.alias, username: account.username ?? existing.username };
    store.transaction(() => store.contacts.put(updated));
    return { contact: updated, created: false };
  }
  // Someone we already know under this username, now with another account: not a new contact.
  if (account.username !== null) {
    const previous = store.run(() => store.contacts.findByUsername(account.username as string));
    if (previous.length > 0) {
      const flagged = markIdentityChanged(profile, previous[0] as ContactRecord, account);
      return { contact: flagged, created: false };
    }
  }
  const list = await fetchDeviceList(profile.crypto, http, account.accountId, account.accountKey, 0);
  const contact = newContact(account, list, alias, now);
  store.transaction(() => store.contacts.put(contact));
  return { contact, created: true };
}

/** Pins a sender we did not know (their first message to us), from what the relay serves. */
export async function learnSender(profile: Profile, http: RelayHttp, accountId: string, now: number): Promise<ContactRecord> {
  const account = await resolveAccount(http, { accountId });
  const list = await fetchDeviceList(profile.crypto, http, account.accountId, account.accountKey, 0);
  const { store } = profile;
  return store.transaction(() => {
    const raced = store.contacts.getByAccountId(accountId);
    if (raced !== undefined) return raced;
    // A username another contact already holds stays theirs until the user decides.
    const username = account.username !== null && store.contacts.findByUsername(account.username).length > 0 ? null : account.username;
    const contact = newContact({ ...account, username }, list, null, now);
    store.contacts.put(contact);
    return contact;
  });
}

function markIdentityChanged(profile: Profile, contact: ContactRecord, account: ResolvedAccount): ContactRecord {
  const flagged: ContactRecord = { ...contact, pendingAccountId: account.accountId, pendingAccountKey: toB64(account.accountKey) };
  profile.store.transaction(() => profile.store.contacts.put(flagged));
  return flagged;
}

/**
 * Checks that the contact's username still leads to the pinned account. When it leads to another
 * one, flags the contact (and returns it flagged); the caller refuses to send.
 */
export async function checkIdentity(profile: Profile, http: RelayHttp, contact: ContactRecord): Promise<ContactRecord> {
  if (contact.username === null) return contact;
  let account: ResolvedAccount;
  try {
    account = await resolveAccount(http, { username: contact.username });
  } catch (error) {
    // The username is gone: nothing new to pin; the pinned account decides what happens next.
    if (error instanceof CliError && error.code === 'CLI_ERR_ACCOUNT_NOT_FOUND') return contact;
    throw error;
  }
  if (account.accountId === contact.accountId) return contact;
  if (contact.pendingAccountId === account.accountId) return contact;
  return markIdentityChanged(profile, contact, account);
}

/** Throws CLI_ERR_UNTRUSTED_IDENTITY for a contact whose identity changed and is not yet confirmed. */
export function requireTrusted(contact: ContactRecord): void {
  if (contact.pendingAccountId !== null) {
    throw new CliError('CLI_ERR_UNTRUSTED_IDENTITY', `${contact.username ?? contact.accountId} now leads to account ${contact.pendingAccountId}`, {
      contact: contact.accountId,
      newAccountId: contact.pendingAccountId,
    });
  }
}

/**
 * `verify --confirm`: marks the contact verified; if its identity changed, re-pins it to the new
 * account (the old account's sessions are dropped; its messages stay in history under its id).
 */
export async function confirmContact(profile: Profile, http: RelayHttp | undefined, contact: ContactRecord): Promise<ContactRecord> {
  const { store } = profile;
  if (contact.pendingAccountId === null || contact.pendingAccountKey === null) {
    const verified: ContactRecord = { ...contact, verified: true };
    store.transaction(() => store.contacts.put(verified));
    return verified;
  }
  if (http === undefined) throw new CliError('CLI_ERR_INTERNAL', 'confirming a new identity needs the relay');
  const accountKey = fromB64(contact.pendingAccountKey);
  const list = await fetchDeviceList(profile.crypto, http, contact.pendingAccountId, accountKey, 0);
  const repinned: ContactRecord = {
    ...contact,
    accountId: contact.pendingAccountId,
    pinnedAccountKey: contact.pendingAccountKey,
    pendingAccountId: null,
    pendingAccountKey: null,
    verified: true,
    deviceList: toB64(list.bytes),
    deviceListVersion: list.version,
  };
  store.transaction(() => {
    store.contacts.delete(contact.accountId);
    store.sessions.deleteAccount(contact.accountId);
    store.contacts.put(repinned);
  });
  return repinned;
}

/** Stores a newer verified device list for a contact; returns the updated record. */
export function storeContactDeviceList(profile: Profile, contact: ContactRecord, list: DeviceList): ContactRecord {
  if (list.version === contact.deviceListVersion && contact.deviceList !== null) return contact;
  const updated: ContactRecord = { ...contact, deviceList: toB64(list.bytes), deviceListVersion: list.version };
  profile.store.transaction(() => {
    const current = profile.store.contacts.getByAccountId(contact.accountId);
    // Another process may have stored a newer list meanwhile: keep the newest.
    if (current !== undefined && current.deviceListVersion > list.version) return;
    profile.store.contacts.put({ ...(current ?? contact), deviceList: updated.deviceList, deviceListVersion: updated.deviceListVersion });
  });
  return updated;
}

/**
 * The contact `who` names; someone not yet a contact is added first (trust on first use), so
 * `send bob hi` works for a first message by username.
 */
export async function contactOrAdd(profile: Profile, http: RelayHttp, who: string, now: number): Promise<{ contact: ContactRecord; added: boolean }> {
  const known = findContact(profile, who);
  if (known !== undefined) return { contact: known, added: false };
  const { contact, created } = await addContact(profile, http, who, null, now);
  return { contact, added: created };
}
