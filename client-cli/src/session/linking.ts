/**
 * Adding a device to an account (DESIGN.md §2; `sealpost link`), in its two halves:
 *
 * - on a device holding the account key, {@link addDeviceToAccount} signs a new device-list
 *   version that includes the new device's public keys and uploads it (the relay then accepts the
 *   new device's sign-in);
 * - on the new device, {@link joinAccount} signs in with its own keys, checks that the account's
 *   signed list really names them, stores the identity and uploads its prekeys.
 *
 * Between the halves, the user carries two codes (./link-codes.ts): an offer naming the account,
 * relay and reserved device id to the new device, and an answer with the new device's public keys
 * back — so the relay never has a say in which keys get listed.
 */
import { createDeviceKeys, encodeDeviceKeys, signDeviceList, type DeviceKeys, type DevicePublicKeys } from '@sealpost/crypto';
import type { DeviceList } from '@sealpost/crypto/public';
import { constantTimeEqual } from '@sealpost/crypto/public';
import { CliError } from '../errors.js';
import type { IdentityRecord } from '../store/records.js';
import { RelayRefusal } from '../transport/relay-errors.js';
import { RelayHttp } from '../transport/relay-http.js';
import { fetchDeviceList, resolveAccount } from './contact-directory.js';
import { toB64 } from './encoding.js';
import { localDevice } from './local-device.js';
import { updateOwnDeviceList, type LocalDeviceHolder } from './own-devices.js';
import { maintainPrekeys } from './prekeys.js';
import type { Profile } from './profile.js';
import { deviceAuthenticator } from './relay-auth.js';

export interface AddedDevice {
  readonly deviceId: number;
  readonly list: DeviceList;
}

/** The device id the next added device gets (one above the highest on the current list). */
export async function nextDeviceId(profile: Profile, http: RelayHttp): Promise<number> {
  const holder: LocalDeviceHolder = { current: localDevice(profile.crypto, profile.identity()) };
  if (holder.current.account === undefined) throw new CliError('CLI_ERR_INVALID_ARGUMENT', 'only the device holding the account key (the first device) can add devices');
  const latest = await fetchDeviceList(profile.crypto, http, holder.current.accountId, holder.current.accountKey, holder.current.deviceList.version);
  updateOwnDeviceList(profile.crypto, profile, holder, latest);
  return Math.max(...latest.devices.map((d) => d.deviceId)) + 1;
}

/**
 * Signs and uploads a device list that adds `keys` as device `deviceId` (by default the next
 * free id). Refuses an id that is taken by now.
 */
export async function addDeviceToAccount(profile: Profile, http: RelayHttp, keys: DevicePublicKeys, now: number, wantedId?: number): Promise<AddedDevice> {
  const holder: LocalDeviceHolder = { current: localDevice(profile.crypto, profile.identity()) };
  const { account } = holder.current;
  if (account === undefined) throw new CliError('CLI_ERR_INVALID_ARGUMENT', 'only the device holding the account key (the first device) can add devices');
  const latest = await fetchDeviceList(profile.crypto, http, holder.current.accountId, holder.current.accountKey, holder.current.deviceList.version);
  const deviceId = wantedId ?? Math.max(...latest.devices.map((d) => d.deviceId)) + 1;
  if (latest.devices.some((d) => d.deviceId === deviceId)) throw new CliError('CLI_ERR_INVALID_ARGUMENT', `device id ${deviceId} was taken meanwhile; run \`sealpost link new\` again`);
  const signed = signDeviceList(profile.crypto, account, {
    version: latest.version + 1,
    issuedAt: now,
    devices: [...latest.devices, { deviceId, deviceSigningKey: keys.signingKey, deviceIdentityKey: keys.identityDhKey }],
  });
  await http.updateDeviceList(toB64(signed));
  const list = await fetchDeviceList(profile.crypto, http, holder.current.accountId, holder.current.accountKey, latest.version + 1);
  updateOwnDeviceList(profile.crypto, profile, holder, list);
  return { deviceId, list };
}

/** Fresh keys for a device about to join an account. */
export function newDeviceKeys(profile: Pick<Profile, 'crypto'>): DeviceKeys {
  return createDeviceKeys(profile.crypto);
}

export interface JoinOptions {
  readonly relayUrl: string;
  readonly accountId: string;
  readonly deviceId: number;
  readonly keys: DeviceKeys;
  readonly deviceName: string;
  readonly now: number;
}

/** Makes a new (empty) profile the device `deviceId` of an existing account. */
export async function joinAccount(profile: Profile, options: JoinOptions): Promise<IdentityRecord> {
  const { crypto, store } = profile;
  const http = new RelayHttp(options.relayUrl);
  http.setAuthenticator(deviceAuthenticator(crypto, store, http, { keys: options.keys, accountId: options.accountId, deviceId: options.deviceId }, () => options.now));
  const account = await resolveAccount(http, { accountId: options.accountId });
  const list = await fetchDeviceList(crypto, http, account.accountId, account.accountKey, 0);
  const entry = list.devices.find((d) => d.deviceId === options.deviceId);
  if (entry === undefined || !constantTimeEqual(entry.deviceSigningKey, options.keys.signingKey) || !constantTimeEqual(entry.deviceIdentityKey, options.keys.identityDhKey)) {
    throw new CliError('CLI_ERR_DEVICE_LIST_INVALID', `device ${options.deviceId} with these keys is not on the account's signed device list`);
  }
  const identity: IdentityRecord = {
    relayUrl: options.relayUrl,
    accountId: account.accountId,
    username: account.username,
    deviceId: options.deviceId,
    deviceName: options.deviceName,
    accountPublicKey: toB64(account.accountKey),
    accountSecret: null,
    deviceKeys: toB64(encodeDeviceKeys(options.keys)),
    deviceCertificate: '',
    deviceList: toB64(list.bytes),
    deviceListVersion: list.version,
    createdAt: options.now,
  };
  store.transaction(() => store.identity.put(identity));
  await maintainPrekeys(crypto, store, http, localDevice(crypto, identity), options.now);
  return identity;
}

/**
 * `link accept`: joins as soon as the old device has listed us (the user is entering our answer
 * there meanwhile), trying again with growing pauses until `deadline`.
 */
export async function joinWhenListed(profile: Profile, options: JoinOptions, deadline: number): Promise<IdentityRecord> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await joinAccount(profile, { ...options, now: Date.now() });
    } catch (error) {
      const notYet =
        (error instanceof RelayRefusal && error.info.code === 'RELAY_ERR_DEVICE_NOT_FOUND') || (error instanceof CliError && error.code === 'CLI_ERR_DEVICE_LIST_INVALID');
      if (!notYet) throw error;
      const pause = Math.min(5_000, 1_000 + attempt * 500);
      if (Date.now() + pause > deadline) throw new CliError('CLI_ERR_TIMEOUT', 'the other device did not add this one in time (was the code entered there?)');
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}
