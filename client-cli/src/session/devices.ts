/**
 * This account's devices, from its signed device list (DESIGN.md §2). Listing refreshes the list
 * from the relay (accepted only if signed by our account key and not older than ours). Removing a
 * device signs a new list version without it; only a device holding the account secret (the
 * account's first device) can sign.
 */
import { signDeviceList } from '@sealpost/crypto';
import type { DeviceList } from '@sealpost/crypto/public';
import { CliError } from '../errors.js';
import type { RelayHttp } from '../transport/relay-http.js';
import { fetchDeviceList } from './contact-directory.js';
import { toB64 } from './encoding.js';
import { localDevice } from './local-device.js';
import { updateOwnDeviceList, type LocalDeviceHolder } from './own-devices.js';
import type { Profile } from './profile.js';

export interface OwnDevice {
  readonly deviceId: number;
  readonly current: boolean;
  /** Hex of the first 8 bytes of the device signing key, to tell devices apart. */
  readonly keyId: string;
}

function describe(list: DeviceList, currentId: number): OwnDevice[] {
  return list.devices.map((d) => ({ deviceId: d.deviceId, current: d.deviceId === currentId, keyId: Buffer.from(d.deviceSigningKey.subarray(0, 8)).toString('hex') }));
}

export async function listOwnDevices(profile: Profile, http: RelayHttp | undefined): Promise<{ version: number; devices: OwnDevice[] }> {
  const holder: LocalDeviceHolder = { current: localDevice(profile.crypto, profile.identity()) };
  if (http !== undefined) {
    const list = await fetchDeviceList(profile.crypto, http, holder.current.accountId, holder.current.accountKey, holder.current.deviceList.version);
    updateOwnDeviceList(profile.crypto, profile, holder, list);
  }
  return { version: holder.current.deviceList.version, devices: describe(holder.current.deviceList, holder.current.deviceId) };
}

export async function removeOwnDevice(profile: Profile, http: RelayHttp, deviceId: number, now: number): Promise<{ version: number; devices: OwnDevice[] }> {
  const holder: LocalDeviceHolder = { current: localDevice(profile.crypto, profile.identity()) };
  const { account } = holder.current;
  if (account === undefined) throw new CliError('CLI_ERR_INVALID_ARGUMENT', 'only the device holding the account key (the first device) can change the device list');
  if (deviceId === holder.current.deviceId) throw new CliError('CLI_ERR_INVALID_ARGUMENT', 'this device signs the device list and cannot remove itself');
  const latest = await fetchDeviceList(profile.crypto, http, holder.current.accountId, holder.current.accountKey, holder.current.deviceList.version);
  if (!latest.devices.some((d) => d.deviceId === deviceId)) throw new CliError('CLI_ERR_DEVICE_NOT_FOUND', `device ${deviceId}`);
  const signed = signDeviceList(profile.crypto, account, { version: latest.version + 1, issuedAt: now, devices: latest.devices.filter((d) => d.deviceId !== deviceId) });
  await http.updateDeviceList(toB64(signed));
  const list = await fetchDeviceList(profile.crypto, http, holder.current.accountId, holder.current.accountKey, latest.version + 1);
  updateOwnDeviceList(profile.crypto, profile, holder, list);
  profile.store.transaction(() => profile.store.sessions.delete({ accountId: holder.current.accountId, deviceId }));
  return { version: holder.current.deviceList.version, devices: describe(holder.current.deviceList, holder.current.deviceId) };
}
