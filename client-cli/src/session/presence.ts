/**
 * Presence (DESIGN.md §4): the relay shows a user's online / last-seen state only to accounts on
 * the user's allow-list. The local contact records are the source of truth; the relay's list is
 * replaced with the allowed contacts after each change.
 */
import type { PresenceResponse } from '@sealpost/relay/api';
import type { ContactRecord } from '../store/records.js';
import type { RelayHttp } from '../transport/relay-http.js';
import type { Profile } from './profile.js';

export async function setPresenceAllowed(profile: Profile, http: RelayHttp, contact: ContactRecord, allowed: boolean): Promise<ContactRecord> {
  const { store } = profile;
  const updated = store.transaction(() => {
    const current = store.contacts.getByAccountId(contact.accountId) ?? contact;
    const next: ContactRecord = { ...current, presence: allowed ? 'allowed' : 'denied' };
    store.contacts.put(next);
    return next;
  });
  const viewers = store.run(() => store.contacts.list()).filter((c) => c.presence === 'allowed').map((c) => c.accountId);
  await http.setPresenceViewers({ accountIds: viewers });
  return updated;
}

export function fetchPresence(http: RelayHttp, contact: ContactRecord): Promise<PresenceResponse> {
  return http.presence(contact.accountId);
}
