/** Alice and Bob devices with session records for each other, as a client would hold them. */
import type { CryptoSuite } from '../../src/primitives/index.js';
import { toHex } from '../../src/primitives/bytes.js';
import { createSessionRecord, encodeSessionRecord, type SessionRecord } from '../../src/session/session-record.js';
import { decryptFromDevice, type SessionDecryptResult } from '../../src/session/decrypt.js';
import { encryptForDevice } from '../../src/session/encrypt.js';
import { createTestDevice, type TestDevice } from '../pqxdh/fixtures.js';
import { text } from '../ratchet/helpers.js';

export interface Party {
  readonly device: TestDevice;
  /** This party's record for the other party's device. */
  record: SessionRecord;
}

export function twoParties(suite: CryptoSuite): { alice: Party; bob: Party } {
  const aliceDevice = createTestDevice(suite, 'alice-account', 1);
  const bobDevice = createTestDevice(suite, 'bob-account', 3);
  return {
    alice: { device: aliceDevice, record: createSessionRecord(bobDevice.identity) },
    bob: { device: bobDevice, record: createSessionRecord(aliceDevice.identity) },
  };
}

export function sendText(suite: CryptoSuite, from: Party, message: string): Uint8Array {
  return encryptForDevice(suite, from.record, text(message));
}

/** Decrypts like a client: on success deletes the consumed one-time prekeys. */
export async function receive(suite: CryptoSuite, to: Party, message: Uint8Array, expectedPeerIdentityDhKey?: Uint8Array): Promise<SessionDecryptResult> {
  const result = await decryptFromDevice(suite, to.record, message, {
    local: to.device.identity,
    prekeyStore: to.device.store,
    ...(expectedPeerIdentityDhKey === undefined ? {} : { expectedPeerIdentityDhKey }),
  });
  to.device.store.deleteConsumed(result.consumedPrekeys);
  return result;
}

export function recordHex(party: Party): string {
  return toHex(encodeSessionRecord(party.record));
}
