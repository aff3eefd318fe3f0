import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCrypto, type CryptoSuite } from '../../src/primitives/index.js';
import { toHex } from '../../src/primitives/bytes.js';
import { ratchetEncrypt } from '../../src/ratchet/encrypt.js';
import { ratchetDecrypt } from '../../src/ratchet/decrypt.js';
import { encodeRatchetState } from '../../src/ratchet/serialize.js';
import type { RatchetState } from '../../src/ratchet/state.js';
import { codeOf, flipBit } from '../pqxdh/fixtures.js';
import { ratchetPair, text, untext } from './helpers.js';
import { networkOp, type NetworkOp } from './network.js';

let suite: CryptoSuite;
beforeAll(async () => {
  suite = await loadCrypto();
});

interface Envelope {
  readonly to: 0 | 1;
  readonly id: string;
  readonly bytes: Uint8Array;
}

const snapshot = (state: RatchetState) => toHex(encodeRatchetState(state));
const seen = { delivered: 0, duplicates: 0, tampered: 0, outOfOrder: 0 };

async function runNetwork(ops: readonly NetworkOp[], finalOrder: readonly number[]): Promise<void> {
  const { alice, bob } = ratchetPair(suite);
  const parties: [RatchetState, RatchetState] = [alice, bob];
  const inFlight: Envelope[] = [];
  const delivered: Envelope[] = [];
  const received = new Set<string>();
  let counter = 0;

  const deliver = (envelope: Envelope) => {
    const plaintext = untext(ratchetDecrypt(suite, parties[envelope.to], envelope.bytes));
    expect(plaintext).toBe(envelope.id);
    expect(received.has(envelope.id)).toBe(false);
    received.add(envelope.id);
    delivered.push(envelope);
    seen.delivered += 1;
  };

  for (const op of ops) {
    if (op.kind === 'send') {
      const sender = parties[op.from];
      if (sender.sendingChain === undefined) continue; // Bob speaks only after Alice's first message
      const id = `${op.from === 0 ? 'a' : 'b'}${counter++}`;
      inFlight.push({ to: op.from === 0 ? 1 : 0, id, bytes: ratchetEncrypt(suite, sender, text(id)) });
    } else if (op.kind === 'deliver' && inFlight.length > 0) {
      if (op.pick % inFlight.length !== 0) seen.outOfOrder += 1;
      deliver(inFlight.splice(op.pick % inFlight.length, 1)[0]!);
    } else if (op.kind === 'drop' && inFlight.length > 0) {
      inFlight.splice(op.pick % inFlight.length, 1);
    } else if (op.kind === 'duplicate' && delivered.length > 0) {
      const envelope = delivered[op.pick % delivered.length]!;
      const before = snapshot(parties[envelope.to]);
      expect(await codeOf(() => ratchetDecrypt(suite, parties[envelope.to], envelope.bytes))).toBe('CRYPTO_ERR_DUPLICATE_MESSAGE');
      expect(snapshot(parties[envelope.to])).toBe(before);
      seen.duplicates += 1;
    } else if (op.kind === 'tamper' && inFlight.length > 0) {
      const envelope = inFlight[op.pick % inFlight.length]!;
      const before = snapshot(parties[envelope.to]);
      const corrupted = flipBit(envelope.bytes, op.bit % (envelope.bytes.length * 8));
      expect(await codeOf(() => ratchetDecrypt(suite, parties[envelope.to], corrupted))).toMatch(/^CRYPTO_ERR_/);
      expect(snapshot(parties[envelope.to])).toBe(before);
      seen.tampered += 1;
    }
  }
  // Whatever is still in flight arrives eventually, in an arbitrary order.
  for (const pick of finalOrder) if (inFlight.length > 0) deliver(inFlight.splice(pick % inFlight.length, 1)[0]!);
  while (inFlight.length > 0) deliver(inFlight.shift()!);
}

describe('Double Ratchet under a hostile network (property)', () => {
  it('decrypts every delivered message exactly once; duplicates and corruptions are refused and change nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(networkOp, { minLength: 20, maxLength: 80 }), fc.array(fc.nat(), { maxLength: 80 }), runNetwork),
      { numRuns: 100 },
    );
    // The generated runs really exercised reordering, duplicates and corruption.
    expect(seen.delivered).toBeGreaterThan(500);
    expect(seen.outOfOrder).toBeGreaterThan(10);
    expect(seen.duplicates).toBeGreaterThan(10);
    expect(seen.tampered).toBeGreaterThan(10);
  });
});
