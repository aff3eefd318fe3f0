/**
 * Safety numbers (crypto/identity/safety-number.ts): what two people compare, read aloud or by
 * QR code, to confirm each holds the other's real account key. For a contact whose identity
 * changed, the number shown is for the *new* key — the one `verify --confirm` would pin.
 */
import { computeSafetyNumber, type SafetyNumber } from '@sealpost/crypto';
import type { ContactRecord } from '../store/records.js';
import { fromB64 } from './encoding.js';
import type { Profile } from './profile.js';

export interface ContactSafetyNumber {
  /** The account the number covers (the pending new one, if the identity changed). */
  readonly accountId: string;
  readonly safetyNumber: SafetyNumber;
}

export function contactSafetyNumber(profile: Profile, contact: ContactRecord): ContactSafetyNumber {
  const me = profile.identity();
  const key = contact.pendingAccountKey ?? contact.pinnedAccountKey;
  return {
    accountId: contact.pendingAccountId ?? contact.accountId,
    safetyNumber: computeSafetyNumber(profile.crypto, fromB64(me.accountPublicKey), fromB64(key)),
  };
}
