/**
 * This device's keys, decoded from the identity record: the device key pairs, the account key
 * (and, on the device that created the account, its secret, which signs device lists), and the
 * account's current signed device list.
 */
import { decodeAccountSecret, decodeDeviceKeys, type AccountIdentity, type CryptoSuite, type DeviceKeys, type LocalDeviceIdentity } from '@sealpost/crypto';
import { verifyDeviceList, type DeviceList } from '@sealpost/crypto/public';
import type { IdentityRecord } from '../store/records.js';
import { fromB64 } from './encoding.js';
import { suiteVerifier } from './signature-verifier.js';

export interface LocalDevice {
  readonly accountId: string;
  readonly deviceId: number;
  readonly relayUrl: string;
  /** Raw Ed25519 account key. */
  readonly accountKey: Uint8Array;
  /** The account secret, only on a device that may sign device lists. */
  readonly account: AccountIdentity | undefined;
  readonly keys: DeviceKeys;
  /** PQXDH's view of this device. */
  readonly identity: LocalDeviceIdentity;
  /** Our account's device list as last accepted. */
  readonly deviceList: DeviceList;
}

export function localDevice(suite: CryptoSuite, record: IdentityRecord): LocalDevice {
  const keys = decodeDeviceKeys(suite, fromB64(record.deviceKeys));
  const accountKey = fromB64(record.accountPublicKey);
  return {
    accountId: record.accountId,
    deviceId: record.deviceId,
    relayUrl: record.relayUrl,
    accountKey,
    account: record.accountSecret === null ? undefined : decodeAccountSecret(suite, fromB64(record.accountSecret)),
    keys,
    identity: { accountId: record.accountId, deviceId: record.deviceId, identityDhKeyPair: { publicKey: keys.identityDhKey, secretKey: keys.identityDhSecret } },
    deviceList: verifyDeviceList(fromB64(record.deviceList), accountKey, { verify: suiteVerifier(suite) }),
  };
}

/** Our other devices (every device on our list but this one): they get a copy of what we send. */
export function otherOwnDevices(device: LocalDevice): DeviceList['devices'] {
  return device.deviceList.devices.filter((d) => d.deviceId !== device.deviceId);
}
