/**
 * Finding contacts by what a user types: an account id (sp1…), a local alias, or a username
 * (case-insensitive, optionally with a leading "@").
 */
import { isAccountId } from '@sealpost/crypto/public';
import { CliError } from '../errors.js';
import type { ContactRecord } from '../store/records.js';
import type { Profile } from './profile.js';

/** The contact `who` names, or undefined. Throws CLI_ERR_CONTACT_AMBIGUOUS for two matches. */
export function findContact(profile: Profile, who: string): ContactRecord | undefined {
  const { store } = profile;
  return store.run(() => {
    // A boolean, not the type guard: `who` stays a string for the other branches.
    const isId: boolean = isAccountId(who);
    if (isId) return store.contacts.getByAccountId(who);
    const byAlias = store.contacts.findByAlias(who);
    if (byAlias !== undefined) return byAlias;
    const matches = store.contacts.findByUsername(who.replace(/^@/, ''));
    if (matches.length > 1) throw new CliError('CLI_ERR_CONTACT_AMBIGUOUS', `"${who}" is the username of ${matches.length} contacts`);
    return matches[0];
  });
}

export function requireContact(profile: Profile, who: string): ContactRecord {
  const contact = findContact(profile, who);
  if (contact === undefined) throw new CliError('CLI_ERR_CONTACT_NOT_FOUND', `"${who}"`);
  return contact;
}

export function listContacts(profile: Profile): ContactRecord[] {
  return profile.store.run(() => profile.store.contacts.list());
}

/** A short name for display: alias, then username, then account id. */
export function displayName(contact: Pick<ContactRecord, 'alias' | 'username' | 'accountId'>): string {
  return contact.alias ?? contact.username ?? contact.accountId;
}
