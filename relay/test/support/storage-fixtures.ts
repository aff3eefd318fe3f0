/**
 * Storage-level fixtures: accounts and devices made of random bytes. Storage never interprets
 * keys, so the contract suites need no real cryptography.
 */
import { randomBytes } from 'node:crypto';
import type { RelayStorage } from '../../src/storage/relay-storage.js';
import type { DeviceAddress, DeviceKeys, NewAccount, SendRequest } from '../../src/storage/records.js';

/** Makes a fresh storage instance; `cleanup` closes it and removes its files. */
export type StorageFactory = () => Promise<{ storage: RelayStorage; cleanup: () => Promise<void> }>;

let counter = 0;

export function randomKeys(deviceId: number): DeviceKeys {
  return { deviceId, signingKey: new Uint8Array(randomBytes(32)), identityKey: new Uint8Array(randomBytes(32)) };
}

export function newAccount(options: { username?: string | null; deviceIds?: number[]; createdAt?: number } = {}): NewAccount {
  counter++;
  const deviceIds = options.deviceIds ?? [1];
  return {
    accountId: `acct-${counter}-${randomBytes(6).toString('hex')}`,
    accountKey: new Uint8Array(randomBytes(33)),
    username: options.username === undefined ? null : options.username,
    deviceList: { version: 1, bytes: new Uint8Array(randomBytes(80)) },
    devices: deviceIds.map(randomKeys),
    createdAt: options.createdAt ?? 1_000,
  };
}

/** Creates an account and returns the addresses of its devices. */
export async function addAccount(storage: RelayStorage, options: Parameters<typeof newAccount>[0] = {}): Promise<DeviceAddress[]> {
  const account = newAccount(options);
  await storage.accounts.createAccount(account);
  return account.devices.map((d) => ({ accountId: account.accountId, deviceId: d.deviceId }));
}

/** Creates accounts with exactly these ids and device ids (contract suites name their devices). */
export async function addDevices(storage: RelayStorage, devices: readonly DeviceAddress[]): Promise<void> {
  const byAccount = new Map<string, number[]>();
  for (const d of devices) byAccount.set(d.accountId, [...(byAccount.get(d.accountId) ?? []), d.deviceId]);
  for (const [accountId, deviceIds] of byAccount) await storage.accounts.createAccount({ ...newAccount({ deviceIds }), accountId });
}

export function bytes(length: number, fill = 7): Uint8Array {
  return new Uint8Array(length).fill(fill);
}

let sends = 0;

/**
 * A send request from `from` with one copy per address in `to` (unique message and client ids;
 * copy i holds `copySize(i)` bytes; copies to another account notify the sender).
 */
export function sendRequest(from: DeviceAddress, to: readonly DeviceAddress[], overrides: Partial<SendRequest> = {}, copySize = (i: number) => 10 + i): SendRequest {
  sends++;
  return {
    messageId: `m${sends}`,
    sender: from,
    clientId: `c${sends}`,
    recipientAccountId: to[0]?.accountId ?? from.accountId,
    copies: to.map((address, i) => ({ to: address, ciphertext: bytes(copySize(i), sends % 256), notifySender: address.accountId !== from.accountId })),
    createdAt: 1_000,
    expiresAt: 100_000,
    retainUntil: 200_000,
    maxQueueMessages: 1_000,
    maxQueueBytes: 1_000_000,
    ...overrides,
  };
}
