import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCrypto, type CryptoSuite } from '../../src/primitives/index.js';
import { initiateSession } from '../../src/session/initiate.js';
import { sessionMessageKind } from '../../src/session/message-format.js';
import { bundleFor, codeOf, flipBit } from '../pqxdh/fixtures.js';
import { networkOp, type NetworkOp } from '../ratchet/network.js';
import { untext } from '../ratchet/helpers.js';
import { receive, recordHex, sendText, twoParties, type Party } from './helpers.js';

let suite: CryptoSuite;
beforeAll(async () => {
  suite = await loadCrypto();
});

type SessionOp = NetworkOp | { readonly kind: 'rekey' };
const sessionOp: fc.Arbitrary<SessionOp> = fc.oneof(
  { weight: 12, arbitrary: networkOp },
  { weight: 1, arbitrary: fc.constant({ kind: 'rekey' as const }) },
);

interface Envelope {
  readonly to: 0 | 1;
  readonly id: string;
  readonly bytes: Uint8Array;
}

const seen = { delivered: 0, prekeyDelivered: 0, duplicates: 0, tampered: 0, rekeys: 0 };
const MAX_REKEYS = 3;

async function runSessions(ops: readonly SessionOp[], finalOrder: readonly number[]): Promise<void> {
  const { alice, bob } = twoParties(suite);
  const parties: [Party, Party] = [alice, bob];
  initiateSession(suite, alice.record, alice.device.identity, bundleFor(bob.device));
  const inFlight: Envelope[] = [];
  const delivered: Envelope[] = [];
  const received = new Set<string>();
  let counter = 0;
  let rekeys = 0;

  const deliver = async (envelope: Envelope) => {
    const result = await receive(suite, parties[envelope.to], envelope.bytes);
    expect(untext(result.plaintext)).toBe(envelope.id);
    expect(received.has(envelope.id)).toBe(false);
    received.add(envelope.id);
    delivered.push(envelope);
    seen.delivered += 1;
    if (result.kind === 'prekey') seen.prekeyDelivered += 1;
  };

  for (const op of ops) {
    if (op.kind === 'rekey') {
      if (rekeys++ >= MAX_REKEYS) continue;
      initiateSession(suite, alice.record, alice.device.identity, bundleFor(bob.device));
      seen.rekeys += 1;
    } else if (op.kind === 'send') {
      const sender = parties[op.from];
      if (sender.record.active === undefined) continue; // Bob speaks once a session exists
      const id = `${op.from === 0 ? 'a' : 'b'}${counter++}`;
      inFlight.push({ to: op.from === 0 ? 1 : 0, id, bytes: sendText(suite, sender, id) });
    } else if (op.kind === 'deliver' && inFlight.length > 0) {
      await deliver(inFlight.splice(op.pick % inFlight.length, 1)[0]!);
    } else if (op.kind === 'drop' && inFlight.length > 0) {
      inFlight.splice(op.pick % inFlight.length, 1);
    } else if (op.kind === 'duplicate' && delivered.length > 0) {
      const envelope = delivered[op.pick % delivered.length]!;
      const party = parties[envelope.to];
      const before = [recordHex(party), party.device.store.snapshot()];
      expect(await codeOf(() => receive(suite, party, envelope.bytes))).toBe('CRYPTO_ERR_DUPLICATE_MESSAGE');
      expect([recordHex(party), party.device.store.snapshot()]).toEqual(before);
      seen.duplicates += 1;
    } else if (op.kind === 'tamper' && inFlight.length > 0) {
      const envelope = inFlight[op.pick % inFlight.length]!;
      const party = parties[envelope.to];
      const before = [recordHex(party), party.device.store.snapshot()];
      const corrupted = flipBit(envelope.bytes, op.bit % (envelope.bytes.length * 8));
      expect(await codeOf(() => receive(suite, party, corrupted))).toMatch(/^CRYPTO_ERR_/);
      expect([recordHex(party), party.device.store.snapshot()]).toEqual(before);
      seen.tampered += 1;
    }
  }
  for (const pick of finalOrder) if (inFlight.length > 0) await deliver(inFlight.splice(pick % inFlight.length, 1)[0]!);
  while (inFlight.length > 0) await deliver(inFlight.shift()!);
  // After everything arrived, both directions still work and the devices agree on a session.
  const ping = sendText(suite, alice, 'ping');
  expect(untext((await receive(suite, bob, ping)).plaintext)).toBe('ping');
  expect(untext((await receive(suite, alice, sendText(suite, bob, 'pong'))).plaintext)).toBe('pong');
  expect(sessionMessageKind(sendText(suite, alice, 'settled'))).toBe('normal');
}

describe('sessions under a hostile network (property)', () => {
  it('prekey and normal messages decrypt exactly once despite delays, drops, duplicates, corruption and re-keying', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(sessionOp, { minLength: 20, maxLength: 60 }), fc.array(fc.nat(), { maxLength: 60 }), runSessions),
      { numRuns: 30 },
    );
    expect(seen.delivered).toBeGreaterThan(150);
    expect(seen.prekeyDelivered).toBeGreaterThan(20);
    expect(seen.duplicates).toBeGreaterThan(10);
    expect(seen.tampered).toBeGreaterThan(10);
    expect(seen.rekeys).toBeGreaterThan(3);
  });
});
