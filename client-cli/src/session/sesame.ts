/**
 * Sessions per device pair, the Sesame way (signal.org/docs/specifications/sesame): to send to an
 * account, encrypt once per device on its verified device list, starting a PQXDH session from a
 * fetched, verified prekey bundle for any device we have no session with; receive on whatever
 * session of the sending device decrypts.
 *
 * Every ratchet step is read, advanced and written back inside one store transaction, so two
 * processes of one profile never fork a session.
 */
import {
  createSessionRecord,
  decodeSessionRecord,
  decryptFromDevice,
  encodeSessionRecord,
  encryptForDevice,
  hasActiveSession,
  initiateSession,
  verifyPrekeyBundle,
  type CryptoSuite,
  type SessionDecryptResult,
  type SessionRecord,
} from '@sealpost/crypto';
import { KEY_TYPE, accountIdFromAccountKey, constantTimeEqual, decodePublicKey, type DeviceList } from '@sealpost/crypto/public';
import { CliError } from '../errors.js';
import type { SealedStore } from '../store/sealed-store.js';
import type { RelayHttp } from '../transport/relay-http.js';
import { acceptDeviceList } from './contact-directory.js';
import { fromB64, toB64 } from './encoding.js';
import type { DeviceRef } from './events.js';
import type { LocalDevice } from './local-device.js';
import { pqxdhPrekeyStore } from './prekeys.js';
import { suiteVerifier } from './signature-verifier.js';

export interface Copy {
  readonly deviceId: number;
  readonly ciphertext: string;
}

function loadRecord(store: SealedStore, peer: DeviceRef): SessionRecord {
  const bytes = store.sessions.get(peer);
  return bytes === undefined ? createSessionRecord(peer) : decodeSessionRecord(bytes);
}

/** Device ids (of `accountId`) with no active session yet. */
export function devicesWithoutSession(store: SealedStore, accountId: string, deviceIds: readonly number[]): number[] {
  return store.run(() => deviceIds.filter((deviceId) => !hasActiveSession(loadRecord(store, { accountId, deviceId }))));
}

/**
 * Starts sessions with `deviceIds` of an account from freshly fetched bundles. Returns the device
 * list the relay served with them, verified and not older than `knownList` (it may be newer).
 */
export async function startSessions(
  suite: CryptoSuite,
  store: SealedStore,
  http: RelayHttp,
  local: LocalDevice,
  accountKey: Uint8Array,
  knownList: DeviceList,
  accountId: string,
  deviceIds: readonly number[],
): Promise<DeviceList> {
  const answer = await http.bundles(accountId, deviceIds);
  const servedKey = decodePublicKey(KEY_TYPE.ACCOUNT_ED25519, fromB64(answer.accountKey));
  if (!constantTimeEqual(servedKey, accountKey) || accountIdFromAccountKey(servedKey) !== accountId) {
    throw new CliError('CLI_ERR_UNTRUSTED_IDENTITY', `the relay served another account key for ${accountId}`);
  }
  const list = acceptDeviceList(suite, fromB64(answer.deviceList), accountKey, knownList.version);
  for (const bundle of answer.bundles) {
    if (!deviceIds.includes(bundle.deviceId)) continue;
    if (bundle.signedPrekey === null || bundle.kemPrekey === null) {
      throw new CliError('CLI_ERR_RELAY_REFUSED', `device ${bundle.deviceId} of ${accountId} has no prekeys on the relay yet; it must connect once`);
    }
    let verified;
    try {
      verified = verifyPrekeyBundle({
        accountKey,
        deviceList: list,
        deviceId: bundle.deviceId,
        signedPrekey: fromB64(bundle.signedPrekey),
        kemPrekey: fromB64(bundle.kemPrekey),
        verify: suiteVerifier(suite),
        ...(bundle.oneTimePrekey === null ? {} : { oneTimePrekey: fromB64(bundle.oneTimePrekey) }),
      });
    } catch (error) {
      throw new CliError('CLI_ERR_DEVICE_LIST_INVALID', `prekey bundle of ${accountId}/${bundle.deviceId}: ${error instanceof Error ? error.message : String(error)}`);
    }
    await store.transactionAsync(async () => {
      const peer = { accountId, deviceId: bundle.deviceId };
      const record = loadRecord(store, peer);
      initiateSession(suite, record, local.identity, verified);
      store.sessions.put(peer, encodeSessionRecord(record));
    });
  }
  return list;
}

/**
 * Encrypts `plaintext` for each device (all sessions must exist), advancing and saving each
 * ratchet. The new states are committed before the caller sends anything: a ratchet step that was
 * used must never be rolled back, or the next message would reuse its key. Queued with the other
 * async transactions of this process, so it can never join (and be rolled back with) an inbox
 * transaction that fails.
 */
export function encryptCopies(suite: CryptoSuite, store: SealedStore, accountId: string, deviceIds: readonly number[], plaintext: Uint8Array): Promise<Copy[]> {
  return store.transactionAsync(async () =>
    deviceIds.map((deviceId) => {
      const peer = { accountId, deviceId };
      const record = loadRecord(store, peer);
      const ciphertext = encryptForDevice(suite, record, plaintext);
      store.sessions.put(peer, encodeSessionRecord(record));
      return { deviceId, ciphertext: toB64(ciphertext) };
    }),
  );
}

/** Forgets the sessions with devices that left an account's list. */
export function dropSessionsNotOn(store: SealedStore, accountId: string, list: DeviceList): void {
  store.transaction(() => {
    const keep = new Set(list.devices.map((d) => d.deviceId));
    for (const deviceId of store.sessions.devicesOf(accountId)) if (!keep.has(deviceId)) store.sessions.delete({ accountId, deviceId });
  });
}

/**
 * Decrypts a message from one peer device, bound to the identity key its certified list entry
 * gives. Must run inside the caller's async store transaction, which also saves what the message
 * produced; on failure nothing changes.
 */
export async function decryptCopy(
  suite: CryptoSuite,
  store: SealedStore,
  local: LocalDevice,
  from: DeviceRef,
  peerIdentityDhKey: Uint8Array,
  ciphertext: Uint8Array,
): Promise<SessionDecryptResult> {
  const record = loadRecord(store, from);
  const result = await decryptFromDevice(suite, record, ciphertext, {
    local: local.identity,
    prekeyStore: pqxdhPrekeyStore(suite, store),
    expectedPeerIdentityDhKey: peerIdentityDhKey,
  });
  store.sessions.put(from, encodeSessionRecord(record));
  if (result.consumedPrekeys.oneTimePrekeyId !== undefined) store.prekeys.delete('one-time', result.consumedPrekeys.oneTimePrekeyId);
  if (result.consumedPrekeys.oneTimeKemPrekeyId !== undefined) store.prekeys.delete('kem', result.consumedPrekeys.oneTimeKemPrekeyId);
  return result;
}
