/**
 * Accounts and devices (DESIGN.md §2): registration under the configured policy, lookups, and
 * signed device-list updates. The relay checks every account signature (verifyDeviceList) so it
 * only ever serves lists the account signed, and it refuses lists that do not raise the version.
 */
import { KEY_TYPE, accountIdFromAccountKey, decodePublicKey, toBase64Url, verifyDeviceList } from '@sealpost/crypto/public';
import type { DeviceList } from '@sealpost/crypto/public';
import type { AccountResponse, DeviceListResponse, DeviceListUpdateResponse, RegisterRequest, RegisterResponse } from '../api/http.js';
import { RelayError } from '../errors.js';
import type { AccountRecord, DeviceAddress, DeviceKeys } from '../storage/records.js';
import { hashInvite } from './admin-service.js';
import type { AuthService } from './auth-service.js';
import type { ServiceDeps } from './service-deps.js';
import { checked, decodeField } from './wire-bytes.js';

/** ASCII only, so two names cannot look alike across scripts; compared case-insensitively. */
const USERNAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{2,31}$/;

function deviceKeysOf(list: DeviceList): DeviceKeys[] {
  return list.devices.map((d) => ({ deviceId: d.deviceId, signingKey: d.deviceSigningKey, identityKey: d.deviceIdentityKey }));
}

function accountResponse(account: AccountRecord): AccountResponse {
  return { accountId: account.accountId, accountKey: toBase64Url(account.accountKey), username: account.username };
}

export class AccountService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly auth: AuthService,
  ) {}

  async register(request: RegisterRequest): Promise<RegisterResponse> {
    const { config } = this.deps;
    if (config.registration.policy === 'closed') throw new RelayError('RELAY_ERR_REGISTRATION_CLOSED');
    if (config.registration.policy === 'invite' && request.invite === undefined) throw new RelayError('RELAY_ERR_INVITE_INVALID', 'an invite is required');
    if (request.username !== undefined && !USERNAME.test(request.username)) throw new RelayError('RELAY_ERR_USERNAME_INVALID');

    const encodedKey = decodeField(request.accountKey, 'accountKey');
    const accountKey = checked('accountKey', () => decodePublicKey(KEY_TYPE.ACCOUNT_ED25519, encodedKey));
    const accountId = accountIdFromAccountKey(accountKey);
    const list = checked('deviceList', () => verifyDeviceList(decodeField(request.deviceList, 'deviceList'), accountKey));
    if (list.devices.length > config.limits.maxDevicesPerAccount) throw new RelayError('RELAY_ERR_TOO_MANY_DEVICES', undefined, { max: config.limits.maxDevicesPerAccount });
    const device = list.devices.find((d) => d.deviceId === request.deviceId);
    if (device === undefined) throw new RelayError('RELAY_ERR_DEVICE_LIST_INVALID', `device ${request.deviceId} is not on the list`);

    // Proof of possession: the registering device signs a fresh challenge naming the new account.
    await this.auth.verifyAnswer({ accountId, deviceId: request.deviceId, nonce: request.nonce, signature: request.signature }, device.deviceSigningKey);

    const inviteHash = config.registration.policy === 'invite' && request.invite !== undefined ? hashInvite(request.invite) : undefined;
    await this.deps.storage.accounts.createAccount(
      {
        accountId,
        accountKey: encodedKey,
        username: request.username ?? null,
        deviceList: { version: list.version, bytes: list.bytes },
        devices: deviceKeysOf(list),
        createdAt: this.deps.clock(),
      },
      { inviteHash },
    );
    this.deps.logger.info({ event: 'account.registered', devices: list.devices.length }, 'account registered');
    return { accountId, username: request.username ?? null, deviceListVersion: list.version };
  }

  async getAccount(accountId: string): Promise<AccountResponse> {
    const account = await this.deps.storage.accounts.getAccount(accountId);
    if (account === null) throw new RelayError('RELAY_ERR_ACCOUNT_NOT_FOUND');
    return accountResponse(account);
  }

  async findByUsername(username: string): Promise<AccountResponse> {
    const account = USERNAME.test(username) ? await this.deps.storage.accounts.findByUsername(username) : null;
    if (account === null) throw new RelayError('RELAY_ERR_ACCOUNT_NOT_FOUND');
    return accountResponse(account);
  }

  async getDeviceList(accountId: string): Promise<DeviceListResponse> {
    const list = await this.deps.storage.accounts.getDeviceList(accountId);
    if (list === null) throw new RelayError('RELAY_ERR_ACCOUNT_NOT_FOUND');
    return { accountId, version: list.version, deviceList: toBase64Url(list.bytes) };
  }

  /** Replaces the caller's account device list with a newer one signed by the account key. */
  async updateDeviceList(caller: DeviceAddress, deviceListText: string): Promise<DeviceListUpdateResponse> {
    const account = await this.deps.storage.accounts.getAccount(caller.accountId);
    const current = await this.deps.storage.accounts.getDeviceList(caller.accountId);
    if (account === null || current === null) throw new RelayError('RELAY_ERR_ACCOUNT_NOT_FOUND');
    const accountKey = decodePublicKey(KEY_TYPE.ACCOUNT_ED25519, account.accountKey);
    const list = checked('deviceList', () => verifyDeviceList(decodeField(deviceListText, 'deviceList'), accountKey, { afterVersion: current.version }));
    if (list.devices.length > this.deps.config.limits.maxDevicesPerAccount) {
      throw new RelayError('RELAY_ERR_TOO_MANY_DEVICES', undefined, { max: this.deps.config.limits.maxDevicesPerAccount });
    }
    const change = await this.deps.storage.accounts.replaceDeviceList(caller.accountId, { version: list.version, bytes: list.bytes }, deviceKeysOf(list), this.deps.clock());
    for (const deviceId of [...change.removed, ...change.replaced]) {
      const address = { accountId: caller.accountId, deviceId };
      // A replaced id is a new device: the old one's push endpoint must not hear about its queue.
      await this.deps.storage.pushSubscriptions.remove(address);
      await this.deps.bus.publish(address, { type: 'device-removed' });
    }
    return { version: list.version, added: [...change.added], removed: [...change.removed], replaced: [...change.replaced] };
  }

  /** Idle policy: hides one device, drops its push subscription and closes its connections. */
  async removeDevice(address: DeviceAddress): Promise<boolean> {
    const removed = await this.deps.storage.accounts.removeDevice(address);
    if (removed) {
      // SQLite cascades this; a store without the foreign key relies on the explicit call.
      await this.deps.storage.pushSubscriptions.remove(address);
      await this.deps.bus.publish(address, { type: 'device-removed' });
    }
    return removed;
  }

  /**
   * Whether the relay still serves this device. Connections ask before every send and read and
   * at every heartbeat, because a device can be removed by another process (`sealpost-relay
   * admin` on the same database) whose removal no bus event announces.
   */
  async isDeviceActive(address: DeviceAddress): Promise<boolean> {
    return (await this.deps.storage.accounts.getDevice(address)) !== null;
  }
}
