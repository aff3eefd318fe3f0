/** Plausible records for store and command tests (not real keys: the store treats them as data). */
import type { ContactRecord, IdentityRecord, MessageRecord } from '../../src/store/records.js';

export function fakeIdentity(overrides: Partial<IdentityRecord> = {}): IdentityRecord {
  return {
    relayUrl: 'http://127.0.0.1:1',
    accountId: 'sp1aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
    username: 'alice',
    deviceId: 1,
    deviceName: 'laptop',
    accountPublicKey: Buffer.alloc(32, 7).toString('base64url'),
    accountSecret: Buffer.alloc(32, 8).toString('base64url'),
    deviceKeys: Buffer.alloc(64, 9).toString('base64url'),
    deviceCertificate: Buffer.alloc(10, 1).toString('base64url'),
    deviceList: Buffer.alloc(10, 2).toString('base64url'),
    deviceListVersion: 1,
    createdAt: 1_700_000_000_000,
    ...overrides,
  };
}

export function fakeContact(accountId: string, overrides: Partial<ContactRecord> = {}): ContactRecord {
  return {
    accountId,
    username: null,
    alias: null,
    pinnedAccountKey: Buffer.alloc(32, 3).toString('base64url'),
    verified: false,
    pendingAccountId: null,
    pendingAccountKey: null,
    deviceList: null,
    deviceListVersion: 0,
    presence: 'denied',
    addedAt: 1_700_000_000_000,
    ...overrides,
  };
}

export function fakeMessage(overrides: Partial<MessageRecord> & Pick<MessageRecord, 'id' | 'peer' | 'direction'>): MessageRecord {
  return {
    relayId: null,
    body: `body of ${overrides.id}`,
    sentAt: 1_700_000_000_000,
    storedAt: 1_700_000_000_500,
    senderDevice: 1,
    deliveries: [],
    readAt: null,
    ...overrides,
  };
}
