import { beforeAll, describe, expect, it } from 'vitest';
import { loadCrypto, type CryptoSuite } from '../../src/primitives/index.js';
import { toHex } from '../../src/primitives/bytes.js';
import { initiateSession } from '../../src/session/initiate.js';
import { decryptFromDevice } from '../../src/session/decrypt.js';
import { encryptForDevice } from '../../src/session/encrypt.js';
import { sessionMessageKind } from '../../src/session/message-format.js';
import { createSessionRecord, decodeSessionRecord, encodeSessionRecord } from '../../src/session/session-record.js';
import { MAX_PREVIOUS_SESSIONS } from '../../src/session/constants.js';
import { bundleFor, codeOf, flipBit } from '../pqxdh/fixtures.js';
import { untext } from '../ratchet/helpers.js';
import { receive, recordHex, sendText, twoParties, type Party } from './helpers.js';

let suite: CryptoSuite;
beforeAll(async () => {
  suite = await loadCrypto();
});

async function read(to: Party, message: Uint8Array): Promise<string> {
  return untext((await receive(suite, to, message)).plaintext);
}

describe('sessions between two devices', () => {
  it('sets up with a one-time prekey, attaches PQXDH fields until answered, then sends normal messages', async () => {
    const { alice, bob } = twoParties(suite);
    const bundle = bundleFor(bob.device);
    initiateSession(suite, alice.record, alice.device.identity, bundle);
    const a0 = sendText(suite, alice, 'a0');
    const a1 = sendText(suite, alice, 'a1');
    expect([sessionMessageKind(a0), sessionMessageKind(a1)]).toEqual(['prekey', 'prekey']);

    const first = await receive(suite, bob, a1);
    expect(untext(first.plaintext)).toBe('a1');
    expect(first.newSession).toBe(true);
    expect(first.consumedPrekeys).toEqual({ oneTimePrekeyId: bundle.oneTimePrekey?.keyId, oneTimeKemPrekeyId: bundle.kemPrekey.keyId });
    expect(toHex(first.peerIdentityDhKey)).toBe(toHex(alice.device.identity.identityDhKeyPair.publicKey));
    expect(bob.device.store.oneTime.has(bundle.oneTimePrekey!.keyId)).toBe(false);

    // The earlier prekey message (same fields) lands on the same session, not a new one.
    const second = await receive(suite, bob, a0);
    expect(untext(second.plaintext)).toBe('a0');
    expect(second.newSession).toBe(false);
    expect(bob.record.previous).toHaveLength(0);

    const b0 = sendText(suite, bob, 'b0');
    expect(sessionMessageKind(b0)).toBe('normal');
    expect(await read(alice, b0)).toBe('b0');
    const a2 = sendText(suite, alice, 'a2');
    expect(sessionMessageKind(a2)).toBe('normal');
    expect(await read(bob, a2)).toBe('a2');

    // Replays: the session refuses a duplicate; with the session gone the one-time key is gone too.
    expect(await codeOf(() => receive(suite, bob, a1))).toBe('CRYPTO_ERR_DUPLICATE_MESSAGE');
    const amnesiac: Party = { device: bob.device, record: createSessionRecord(alice.device.identity) };
    expect(await codeOf(() => receive(suite, amnesiac, a1))).toBe('CRYPTO_ERR_UNKNOWN_PREKEY');
  });

  it('sets up without a one-time prekey and refuses a replay on the last-resort KEM key', async () => {
    const { alice, bob } = twoParties(suite);
    initiateSession(suite, alice.record, alice.device.identity, bundleFor(bob.device, { oneTime: false, oneTimeKem: false }));
    const a0 = sendText(suite, alice, 'a0');
    const result = await receive(suite, bob, a0);
    expect(result.consumedPrekeys).toEqual({});
    expect(bob.device.store.accepted.size).toBe(1);
    expect(await read(alice, sendText(suite, bob, 'b0'))).toBe('b0');

    const amnesiac: Party = { device: bob.device, record: createSessionRecord(alice.device.identity) };
    expect(await codeOf(() => receive(suite, amnesiac, a0))).toBe('CRYPTO_ERR_REPLAYED_PREKEY_MESSAGE');
    expect(amnesiac.record.active).toBeUndefined();
  });

  it('rejects tampered prekey messages without touching the record or the prekey store', async () => {
    const { alice, bob } = twoParties(suite);
    initiateSession(suite, alice.record, alice.device.identity, bundleFor(bob.device, { oneTime: true, oneTimeKem: false }));
    const a0 = sendText(suite, alice, 'a0');
    const a1 = sendText(suite, alice, 'a1');
    const recordBefore = recordHex(bob);
    const storeBefore = bob.device.store.snapshot();
    const fieldsEnd = 1 + 1 + 33 + 33 + 4 + 1 + 4 + 4;
    // Every byte of the type, version, keys and ids; a spread of the KEM ciphertext and ratchet message.
    const bits: number[] = [];
    for (let byte = 0; byte < fieldsEnd; byte++) bits.push(byte * 8 + (byte % 8));
    for (let byte = fieldsEnd; byte < a0.length; byte += 97) bits.push(byte * 8 + (byte % 8));
    bits.push(a0.length * 8 - 1);
    for (const bit of bits) {
      expect(await codeOf(() => receive(suite, bob, flipBit(a0, bit))), `bit ${bit}`).toMatch(/^CRYPTO_ERR_/);
    }
    expect(recordHex(bob)).toBe(recordBefore);
    expect(bob.device.store.snapshot()).toBe(storeBefore);

    // Once the session exists, a repeat with altered fields is refused too (not silently accepted).
    expect(await read(bob, a0)).toBe('a0');
    const afterFirst = recordHex(bob);
    for (const bit of [2 * 8, 40 * 8 + 1, (1 + 1 + 33 + 33) * 8 + 5, (fieldsEnd - 1) * 8, (fieldsEnd + 500) * 8]) {
      expect(await codeOf(() => receive(suite, bob, flipBit(a1, bit))), `bit ${bit}`).toMatch(/^CRYPTO_ERR_/);
    }
    expect(recordHex(bob)).toBe(afterFirst);
    expect(await read(bob, a1)).toBe('a1');
  });

  it('checks the peer identity key against the certified one', async () => {
    const { alice, bob } = twoParties(suite);
    initiateSession(suite, alice.record, alice.device.identity, bundleFor(bob.device));
    const a0 = sendText(suite, alice, 'a0');
    const wrong = bob.device.identity.identityDhKeyPair.publicKey;
    expect(await codeOf(() => receive(suite, bob, a0, wrong))).toBe('CRYPTO_ERR_UNTRUSTED_IDENTITY');
    const right = alice.device.identity.identityDhKeyPair.publicKey;
    expect(untext((await receive(suite, bob, a0, right)).plaintext)).toBe('a0');
    const b0 = sendText(suite, bob, 'b0');
    expect(await codeOf(() => receive(suite, alice, b0, alice.device.identity.identityDhKeyPair.publicKey))).toBe('CRYPTO_ERR_UNTRUSTED_IDENTITY');
    expect(untext((await receive(suite, alice, b0, bob.device.identity.identityDhKeyPair.publicKey)).plaintext)).toBe('b0');
  });

  it('binds the sender address: a message re-addressed from another device fails to decrypt', async () => {
    const { alice, bob } = twoParties(suite);
    initiateSession(suite, alice.record, alice.device.identity, bundleFor(bob.device));
    const a0 = sendText(suite, alice, 'a0');
    const misattributed: Party = { device: bob.device, record: createSessionRecord({ accountId: 'alice-account', deviceId: 2 }) };
    expect(await codeOf(() => receive(suite, misattributed, a0))).toBe('CRYPTO_ERR_DECRYPT_FAILED');
    expect(await read(bob, a0)).toBe('a0');
  });

  it('reports missing sessions and refuses bundles for another device', async () => {
    const { alice, bob } = twoParties(suite);
    expect(await codeOf(() => sendText(suite, alice, 'x'))).toBe('CRYPTO_ERR_NO_SESSION');
    const other = { ...bundleFor(bob.device), deviceId: 4 };
    expect(await codeOf(() => initiateSession(suite, alice.record, alice.device.identity, other))).toBe('CRYPTO_ERR_WRONG_PEER');
    initiateSession(suite, alice.record, alice.device.identity, bundleFor(bob.device));
    await read(bob, sendText(suite, alice, 'a0'));
    const b0 = sendText(suite, bob, 'b0');
    const stranger: Party = { device: alice.device, record: createSessionRecord(bob.device.identity) };
    expect(await codeOf(() => receive(suite, stranger, b0))).toBe('CRYPTO_ERR_NO_SESSION');
    expect(await codeOf(() => receive(suite, alice, Uint8Array.of(0x07, 1, 2)))).toBe('CRYPTO_ERR_UNSUPPORTED_VERSION');
    expect(await codeOf(() => receive(suite, alice, new Uint8Array(0)))).toBe('CRYPTO_ERR_INVALID_ENCODING');
  });
});

describe('Sesame session management', () => {
  it('a new session replaces the old one, and messages in flight on the old one still decrypt', async () => {
    const { alice, bob } = twoParties(suite);
    initiateSession(suite, alice.record, alice.device.identity, bundleFor(bob.device));
    await read(bob, sendText(suite, alice, 'hello'));
    await read(alice, sendText(suite, bob, 'hi'));
    const inFlight = [sendText(suite, alice, 'old-1'), sendText(suite, alice, 'old-2')];
    const oldBaseKey = toHex(bob.record.active!.baseKey);

    initiateSession(suite, alice.record, alice.device.identity, bundleFor(bob.device));
    const fresh = sendText(suite, alice, 'new-1');
    expect(sessionMessageKind(fresh)).toBe('prekey');
    const result = await receive(suite, bob, fresh);
    expect(result.newSession).toBe(true);
    expect(bob.record.previous).toHaveLength(1);
    expect(toHex(bob.record.previous[0]!.baseKey)).toBe(oldBaseKey);
    expect(toHex(bob.record.active!.baseKey)).not.toBe(oldBaseKey);

    // Bob answers on the new session; Alice reads it on hers.
    expect(await read(alice, sendText(suite, bob, 'on-new'))).toBe('on-new');
    // The delayed messages on the old session still decrypt (and a reply still reaches Alice).
    expect(await read(bob, inFlight[1]!)).toBe('old-2');
    expect(await read(bob, inFlight[0]!)).toBe('old-1');
    expect(await read(alice, sendText(suite, bob, 'after'))).toBe('after');
    expect(await read(bob, sendText(suite, alice, 'and back'))).toBe('and back');
    expect(toHex(alice.record.active!.baseKey)).toBe(toHex(bob.record.active!.baseKey));
  });

  it('keeps at most MAX_PREVIOUS_SESSIONS inactive sessions', async () => {
    const { alice, bob } = twoParties(suite);
    const device = bob.device;
    for (let i = 0; i < MAX_PREVIOUS_SESSIONS + 3; i++) initiateSession(suite, alice.record, alice.device.identity, bundleFor(device, { oneTime: false, oneTimeKem: false }));
    expect(alice.record.previous).toHaveLength(MAX_PREVIOUS_SESSIONS);
    const bytes = encodeSessionRecord(alice.record);
    expect(decodeSessionRecord(bytes).previous).toHaveLength(MAX_PREVIOUS_SESSIONS);
  });

  it('simultaneous initiation converges on one session', async () => {
    const { alice, bob } = twoParties(suite);
    initiateSession(suite, alice.record, alice.device.identity, bundleFor(bob.device));
    initiateSession(suite, bob.record, bob.device.identity, bundleFor(alice.device));
    const fromAlice = sendText(suite, alice, 'a0');
    const fromBob = sendText(suite, bob, 'b0');
    expect(await read(bob, fromAlice)).toBe('a0');
    expect(await read(alice, fromBob)).toBe('b0');
    // Each now has the other's session active; a round trip settles on one.
    expect(await read(bob, sendText(suite, alice, 'a1'))).toBe('a1');
    expect(await read(alice, sendText(suite, bob, 'b1'))).toBe('b1');
    expect(toHex(alice.record.active!.baseKey)).toBe(toHex(bob.record.active!.baseKey));
    expect(alice.record.active!.pendingPrekeyFields).toBeUndefined();
    expect(bob.record.active!.pendingPrekeyFields).toBeUndefined();
    expect(sessionMessageKind(sendText(suite, alice, 'a2'))).toBe('normal');
    expect(sessionMessageKind(sendText(suite, bob, 'b2'))).toBe('normal');
  });
});

describe('session record serialization', () => {
  it('round-trips and the decoded record keeps working', async () => {
    const { alice, bob } = twoParties(suite);
    initiateSession(suite, alice.record, alice.device.identity, bundleFor(bob.device));
    const pendingBytes = encodeSessionRecord(alice.record);
    expect(toHex(encodeSessionRecord(decodeSessionRecord(pendingBytes)))).toBe(toHex(pendingBytes));
    alice.record = decodeSessionRecord(pendingBytes);
    const held = sendText(suite, alice, 'held');
    await read(bob, sendText(suite, alice, 'a1'));
    bob.record = decodeSessionRecord(encodeSessionRecord(bob.record));
    expect(await read(bob, held)).toBe('held');
    await read(alice, sendText(suite, bob, 'b0'));
    const bytes = encodeSessionRecord(alice.record);
    expect(toHex(encodeSessionRecord(decodeSessionRecord(bytes)))).toBe(toHex(bytes));
  });

  it('refuses unknown versions, truncation and trailing bytes', async () => {
    const { alice, bob } = twoParties(suite);
    initiateSession(suite, alice.record, alice.device.identity, bundleFor(bob.device));
    await read(bob, sendText(suite, alice, 'a0'));
    for (const record of [alice.record, bob.record]) {
      const bytes = encodeSessionRecord(record);
      const v2 = bytes.slice();
      v2[0] = 0x02;
      expect(await codeOf(() => decodeSessionRecord(v2))).toBe('CRYPTO_ERR_UNSUPPORTED_VERSION');
      const step = Math.max(1, Math.floor(bytes.length / 300));
      for (let cut = 0; cut < bytes.length; cut += step) {
        expect(await codeOf(() => decodeSessionRecord(bytes.subarray(0, cut))), `cut ${cut}`).toBe('CRYPTO_ERR_INVALID_ENCODING');
      }
      expect(await codeOf(() => decodeSessionRecord(bytes.subarray(0, bytes.length - 1)))).toBe('CRYPTO_ERR_INVALID_ENCODING');
      expect(await codeOf(() => decodeSessionRecord(new Uint8Array([...bytes, 0])))).toBe('CRYPTO_ERR_INVALID_ENCODING');
    }
  });

  it('encryptForDevice and decryptFromDevice leave a record unchanged on failure', async () => {
    const { alice, bob } = twoParties(suite);
    initiateSession(suite, alice.record, alice.device.identity, bundleFor(bob.device));
    await read(bob, sendText(suite, alice, 'a0'));
    const b0 = encryptForDevice(suite, bob.record, new Uint8Array([1, 2, 3]));
    const before = recordHex(alice);
    await expect(decryptFromDevice(suite, alice.record, flipBit(b0, 100), { local: alice.device.identity, prekeyStore: alice.device.store })).rejects.toThrow();
    expect(recordHex(alice)).toBe(before);
  });
});
