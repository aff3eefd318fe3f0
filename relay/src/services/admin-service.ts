/**
 * Operator actions (`sealpost-relay admin …`, docs/self-hosting.md "Admin commands"): invites,
 * account and device listings, hiding a device, deleting an account. Built on the storage
 * interfaces alone, so the CLI can run it against the data folder's database while a relay runs
 * on the same file (SQLite WAL lets both in). That relay notices removals by itself: every
 * authentication and every `send`/`read` frame checks that the device still exists, and each
 * heartbeat closes the connections of devices that are gone (4003). When a bus is at hand (the
 * service inside a relay), it also closes them at once.
 *
 * Removing a device cannot change the account's *signed* device list — only the account key
 * can sign one. The relay simply stops serving the device: senders that still list it are told
 * it is `extra` and drop it, and the account's own devices can publish a list without it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { KEY_TYPE, decodePublicKey, isAccountId, toHex, verifyDeviceList } from '@sealpost/crypto/public';
import type { MessageBus } from '../bus/message-bus.js';
import { RelayError } from '../errors.js';
import type { AccountRecord, PrekeyCounts, QueueStats } from '../storage/records.js';
import type { ServiceDeps } from './service-deps.js';

export type AdminDeps = Pick<ServiceDeps, 'config' | 'storage' | 'clock'> & { readonly bus?: MessageBus };

/** SHA-256 of an invite token: the only form in which the relay keeps it. */
export function hashInvite(token: string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(token, 'utf8').digest());
}

export interface CreatedInvite {
  /** Shown once; never stored. */
  readonly token: string;
  readonly expiresAt: number;
  readonly maxUses: number;
}

export interface InviteSummary {
  /** The first 12 hex digits of the token's hash: enough to tell invites apart, useless to register. */
  readonly id: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly maxUses: number;
  readonly uses: number;
  readonly lastUsedAt: number | null;
  readonly lastUsedBy: string | null;
  readonly state: 'active' | 'used' | 'expired';
}

export interface AccountSummary {
  readonly accountId: string;
  readonly username: string | null;
  readonly createdAt: number;
  readonly deviceListVersion: number;
  /** Devices the relay serves (hidden ones excluded). */
  readonly devices: number;
  /** Latest time any of its devices was seen; null when never. */
  readonly lastSeenAt: number | null;
}

export interface DeviceSummary {
  readonly deviceId: number;
  readonly addedInVersion: number;
  readonly createdAt: number;
  readonly lastSeenAt: number | null;
  readonly queue: QueueStats;
  readonly prekeys: PrekeyCounts;
}

export interface AccountDevices {
  readonly accountId: string;
  readonly username: string | null;
  readonly deviceListVersion: number;
  readonly devices: DeviceSummary[];
  /** Device ids on the account's signed list that the relay no longer serves (removed by an operator or the idle policy). */
  readonly hidden: number[];
}

export class AdminService {
  constructor(private readonly deps: AdminDeps) {}

  /** An account by id (`sp1…`) or by username (case-insensitive); RELAY_ERR_ACCOUNT_NOT_FOUND otherwise. */
  async resolveAccount(ref: string): Promise<AccountRecord> {
    const accounts = this.deps.storage.accounts;
    const account = isAccountId(ref) ? await accounts.getAccount(ref) : await accounts.findByUsername(ref);
    if (account === null) throw new RelayError('RELAY_ERR_ACCOUNT_NOT_FOUND', `no account ${JSON.stringify(ref)}`, { account: ref });
    return account;
  }

  /** Creates an invite token for `maxUses` registrations; only its SHA-256 is stored. */
  async createInvite(options: { maxUses?: number; ttlSeconds?: number } = {}): Promise<CreatedInvite> {
    const token = randomBytes(18).toString('base64url');
    const now = this.deps.clock();
    const expiresAt = now + (options.ttlSeconds ?? this.deps.config.registration.inviteTtlSeconds) * 1000;
    const maxUses = options.maxUses ?? 1;
    await this.deps.storage.accounts.createInvite({ tokenHash: hashInvite(token), createdAt: now, expiresAt, maxUses });
    return { token, expiresAt, maxUses };
  }

  async listInvites(): Promise<InviteSummary[]> {
    const now = this.deps.clock();
    return (await this.deps.storage.accounts.listInvites()).map((invite) => ({
      id: toHex(invite.tokenHash).slice(0, 12),
      createdAt: invite.createdAt,
      expiresAt: invite.expiresAt,
      maxUses: invite.maxUses,
      uses: invite.uses,
      lastUsedAt: invite.usedAt,
      lastUsedBy: invite.usedBy,
      state: invite.uses >= invite.maxUses ? 'used' : now >= invite.expiresAt ? 'expired' : 'active',
    }));
  }

  async listAccounts(): Promise<AccountSummary[]> {
    const { accounts } = this.deps.storage;
    const out: AccountSummary[] = [];
    for (const account of await accounts.listAccounts()) {
      const devices = await accounts.listDevices(account.accountId);
      const list = await accounts.getDeviceList(account.accountId);
      const seen = devices.map((d) => d.lastSeenAt).filter((t) => t !== null);
      out.push({
        accountId: account.accountId,
        username: account.username,
        createdAt: account.createdAt,
        deviceListVersion: list?.version ?? 0,
        devices: devices.length,
        lastSeenAt: seen.length === 0 ? null : Math.max(...seen),
      });
    }
    return out;
  }

  async accountDevices(ref: string): Promise<AccountDevices> {
    const account = await this.resolveAccount(ref);
    const { accounts, messages, prekeys } = this.deps.storage;
    const list = await accounts.getDeviceList(account.accountId);
    const devices: DeviceSummary[] = [];
    for (const device of await accounts.listDevices(account.accountId)) {
      devices.push({
        deviceId: device.deviceId,
        addedInVersion: device.addedInVersion,
        createdAt: device.createdAt,
        lastSeenAt: device.lastSeenAt,
        queue: await messages.stats(device),
        prekeys: await prekeys.counts(device),
      });
    }
    const served = new Set(devices.map((d) => d.deviceId));
    return {
      accountId: account.accountId,
      username: account.username,
      deviceListVersion: list?.version ?? 0,
      devices,
      hidden: list === null ? [] : this.listedDeviceIds(account, list.bytes).filter((id) => !served.has(id)),
    };
  }

  /** Device ids on the stored signed list (which the relay verified when it accepted it). */
  private listedDeviceIds(account: AccountRecord, listBytes: Uint8Array): number[] {
    try {
      const accountKey = decodePublicKey(KEY_TYPE.ACCOUNT_ED25519, account.accountKey);
      return verifyDeviceList(listBytes, accountKey).devices.map((d) => d.deviceId);
    } catch {
      // Only lists that verified were ever stored; if one no longer parses, report nothing hidden.
      return [];
    }
  }

  /** Hides one device: drops its row, queue, prekeys and push subscription. The signed list is untouched. */
  async removeDevice(ref: string, deviceId: number): Promise<{ accountId: string; deviceId: number }> {
    const account = await this.resolveAccount(ref);
    const address = { accountId: account.accountId, deviceId };
    if (!(await this.deps.storage.accounts.removeDevice(address))) {
      throw new RelayError('RELAY_ERR_DEVICE_NOT_FOUND', `account ${account.accountId} has no device ${deviceId}`, { accountId: account.accountId, deviceId });
    }
    // SQLite cascades this; a store without the foreign key relies on the explicit call.
    await this.deps.storage.pushSubscriptions.remove(address);
    await this.deps.bus?.publish(address, { type: 'device-removed' });
    return address;
  }

  /**
   * Deletes an account with its devices, queues, prekeys, presence allow-list and push
   * subscriptions, frees its username, and marks its media deleted: a running relay's media
   * sweep then removes the objects from the backend (downloads stop at once).
   */
  async deleteAccount(ref: string): Promise<{ accountId: string; username: string | null; devices: number; media: number }> {
    const account = await this.resolveAccount(ref);
    const devices = await this.deps.storage.accounts.listDevices(account.accountId);
    if (!(await this.deps.storage.accounts.deleteAccount(account.accountId))) {
      throw new RelayError('RELAY_ERR_ACCOUNT_NOT_FOUND', `no account ${account.accountId}`, { account: account.accountId });
    }
    await this.deps.storage.pushSubscriptions.removeAccount(account.accountId);
    const media = await this.deps.storage.media.markOwnerDeleted(account.accountId);
    for (const device of devices) await this.deps.bus?.publish(device, { type: 'device-removed' });
    return { accountId: account.accountId, username: account.username, devices: devices.length, media };
  }
}
