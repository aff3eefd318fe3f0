/**
 * Our own account's signed device list as this device knows it. Every device of the account gets
 * a copy of what any of them sends, so the list must stay current; a newer list is accepted only
 * when signed by our account key and not older than the one held (DESIGN.md §2).
 */
import type { CryptoSuite } from '@sealpost/crypto';
import type { DeviceList } from '@sealpost/crypto/public';
import { toB64 } from './encoding.js';
import { localDevice, type LocalDevice } from './local-device.js';
import type { Profile } from './profile.js';

/** The current view of this device, replaced when our device list changes. */
export interface LocalDeviceHolder {
  current: LocalDevice;
}

export function updateOwnDeviceList(suite: CryptoSuite, profile: Profile, holder: LocalDeviceHolder, list: DeviceList): void {
  if (list.version <= holder.current.deviceList.version) return;
  const identity = profile.store.transaction(() => {
    const current = profile.identity();
    if (current.deviceListVersion >= list.version) return current;
    const next = { ...current, deviceList: toB64(list.bytes), deviceListVersion: list.version };
    profile.store.identity.put(next);
    return next;
  });
  holder.current = localDevice(suite, identity);
}
