import { beforeAll, describe, expect, it } from 'vitest';
import { loadCrypto, type CryptoSuite } from '../../src/primitives/index.js';
import { toHex } from '../../src/primitives/bytes.js';
import { ratchetEncrypt } from '../../src/ratchet/encrypt.js';
import { ratchetDecrypt } from '../../src/ratchet/decrypt.js';
import { decodeRatchetState, encodeRatchetState } from '../../src/ratchet/serialize.js';
import { MAX_SKIP, MAX_SKIPPED_KEYS } from '../../src/ratchet/constants.js';
import type { RatchetState } from '../../src/ratchet/state.js';
import { codeOf, flipBit } from '../pqxdh/fixtures.js';
import { ratchetPair, text, untext } from './helpers.js';

let suite: CryptoSuite;
beforeAll(async () => {
  suite = await loadCrypto();
});

const snapshot = (state: RatchetState) => toHex(encodeRatchetState(state));
const send = (state: RatchetState, message: string) => ratchetEncrypt(suite, state, text(message));
const receive = (state: RatchetState, message: Uint8Array) => untext(ratchetDecrypt(suite, state, message));

describe('Double Ratchet', () => {
  it('exchanges messages both ways with a DH ratchet step at every turn', () => {
    const { alice, bob } = ratchetPair(suite);
    expect(receive(bob, send(alice, 'a1'))).toBe('a1');
    expect(receive(bob, send(alice, 'a2'))).toBe('a2');
    const bobKey = toHex(bob.sendingKeyPair.publicKey);
    expect(receive(alice, send(bob, 'b1'))).toBe('b1');
    expect(receive(bob, send(alice, 'a3'))).toBe('a3');
    expect(toHex(bob.sendingKeyPair.publicKey)).not.toBe(bobKey);
    expect(alice.previousSendingChainLength).toBe(2);
  });

  it('decrypts out of order within and across chains', () => {
    const { alice, bob } = ratchetPair(suite);
    const a = [send(alice, 'a0'), send(alice, 'a1'), send(alice, 'a2')];
    expect(receive(bob, a[2]!)).toBe('a2');
    const b0 = send(bob, 'b0');
    expect(receive(alice, b0)).toBe('b0');
    const a3 = send(alice, 'a3');
    expect(receive(bob, a3)).toBe('a3');
    expect(receive(bob, a[0]!)).toBe('a0');
    expect(receive(bob, a[1]!)).toBe('a1');
    expect(bob.skipped.size).toBe(0);
  });

  it('refuses duplicates on the current chain, from skipped keys and on finished chains', async () => {
    const { alice, bob } = ratchetPair(suite);
    const a0 = send(alice, 'a0');
    const a1 = send(alice, 'a1');
    receive(bob, a1);
    receive(bob, a0);
    expect(await codeOf(() => receive(bob, a0))).toBe('CRYPTO_ERR_DUPLICATE_MESSAGE');
    expect(await codeOf(() => receive(bob, a1))).toBe('CRYPTO_ERR_DUPLICATE_MESSAGE');
    receive(alice, send(bob, 'b0'));
    receive(bob, send(alice, 'a2'));
    expect(await codeOf(() => receive(bob, a1))).toBe('CRYPTO_ERR_DUPLICATE_MESSAGE');
  });

  it('refuses a message that skips more than MAX_SKIP in the current chain, without changing state', async () => {
    const { alice, bob } = ratchetPair(suite);
    receive(bob, send(alice, 'first'));
    const messages: Uint8Array[] = [];
    for (let i = 0; i < MAX_SKIP + 2; i++) messages.push(send(alice, `m${i}`));
    const before = snapshot(bob);
    expect(await codeOf(() => receive(bob, messages[MAX_SKIP + 1]!))).toBe('CRYPTO_ERR_TOO_MANY_SKIPPED');
    expect(snapshot(bob)).toBe(before);
    // Exactly MAX_SKIP skipped messages are allowed.
    expect(receive(bob, messages[MAX_SKIP]!)).toBe(`m${MAX_SKIP}`);
    expect(bob.skipped.size).toBe(MAX_SKIP);
    expect(receive(bob, messages[0]!)).toBe('m0');
  });

  it('refuses a new chain that starts more than MAX_SKIP in, or whose previous chain skips too much', async () => {
    const { alice, bob } = ratchetPair(suite);
    const fresh = ratchetPair(suite);
    for (let i = 0; i < MAX_SKIP + 1; i++) send(fresh.alice, 'x');
    const before = snapshot(fresh.bob);
    expect(await codeOf(() => receive(fresh.bob, send(fresh.alice, 'late')))).toBe('CRYPTO_ERR_TOO_MANY_SKIPPED');
    expect(snapshot(fresh.bob)).toBe(before);

    receive(bob, send(alice, 'a0'));
    receive(alice, send(bob, 'b0'));
    // Bob sends MAX_SKIP + 1 more on his chain that Alice never sees, then ratchets.
    for (let i = 0; i < MAX_SKIP + 1; i++) send(bob, 'lost');
    receive(bob, send(alice, 'a1'));
    const aliceBefore = snapshot(alice);
    expect(await codeOf(() => receive(alice, send(bob, 'b-next')))).toBe('CRYPTO_ERR_TOO_MANY_SKIPPED');
    expect(snapshot(alice)).toBe(aliceBefore);
  });

  it('keeps at most MAX_SKIPPED_KEYS skipped keys and evicts the oldest first', async () => {
    const { alice, bob } = ratchetPair(suite);
    const chains: Uint8Array[][] = [];
    for (let c = 0; c < 3; c++) {
      const chain: Uint8Array[] = [];
      for (let i = 0; i <= 800; i++) chain.push(send(alice, `c${c}m${i}`));
      chains.push(chain);
      receive(bob, chain[800]!); // skips 800 keys of this chain
      receive(alice, send(bob, `reply${c}`)); // turn the ratchet so the next chain is new
    }
    expect(bob.skipped.size).toBe(MAX_SKIPPED_KEYS);
    // 2400 were skipped: the first 400 of chain 0 were evicted, the rest still decrypt.
    expect(await codeOf(() => receive(bob, chains[0]![0]!))).toBe('CRYPTO_ERR_DUPLICATE_MESSAGE');
    expect(await codeOf(() => receive(bob, chains[0]![399]!))).toBe('CRYPTO_ERR_DUPLICATE_MESSAGE');
    expect(receive(bob, chains[0]![400]!)).toBe('c0m400');
    expect(receive(bob, chains[2]![0]!)).toBe('c2m0');
    expect(bob.skipped.size).toBe(MAX_SKIPPED_KEYS - 2);
  });

  it('rejects every flipped bit of a message and keeps its state', async () => {
    const { alice, bob } = ratchetPair(suite);
    receive(bob, send(alice, 'warm-up'));
    receive(alice, send(bob, 'reply'));
    const message = send(alice, 'hi');
    const before = snapshot(bob);
    for (let bit = 0; bit < message.length * 8; bit++) {
      const code = await codeOf(() => receive(bob, flipBit(message, bit)));
      expect(code, `bit ${bit}`).toMatch(/^CRYPTO_ERR_/);
    }
    expect(snapshot(bob)).toBe(before);
    expect(receive(bob, message)).toBe('hi');
  });

  it('refuses a low-order ratchet key, an unknown header version and a short message without changing state', async () => {
    const { alice, bob } = ratchetPair(suite);
    receive(bob, send(alice, 'a0'));
    const message = send(alice, 'a1');
    const before = snapshot(bob);
    const lowOrder = message.slice();
    lowOrder.fill(0, 2, 34); // u = 0, a point of small order (RFC 7748 §6.1)
    lowOrder[34 + 3] = 5; // PN 5: not the current chain, so a DH ratchet step is attempted
    expect(await codeOf(() => receive(bob, lowOrder))).toBe('CRYPTO_ERR_LOW_ORDER_POINT');
    const version = message.slice();
    version[0] = 0x02;
    expect(await codeOf(() => receive(bob, version))).toBe('CRYPTO_ERR_UNSUPPORTED_VERSION');
    const keyType = message.slice();
    keyType[1] = 0x08;
    expect(await codeOf(() => receive(bob, keyType))).toBe('CRYPTO_ERR_WRONG_KEY_TYPE');
    expect(await codeOf(() => receive(bob, message.subarray(0, 42 + 15)))).toBe('CRYPTO_ERR_INVALID_ENCODING');
    expect(snapshot(bob)).toBe(before);
    expect(receive(bob, message)).toBe('a1');
  });

  it('refuses to send on the responder side before the first message', async () => {
    const { bob } = ratchetPair(suite);
    expect(await codeOf(() => send(bob, 'too early'))).toBe('CRYPTO_ERR_NO_SESSION');
  });

  it('forward secrecy: a snapshot taken now cannot decrypt earlier messages', async () => {
    const { alice, bob } = ratchetPair(suite);
    const early = [send(alice, 'e0'), send(alice, 'e1')];
    early.forEach((m) => receive(bob, m));
    receive(alice, send(bob, 'b0'));
    const middle = send(alice, 'm0');
    receive(bob, middle);
    const stolen = encodeRatchetState(bob);
    for (const m of [...early, middle]) {
      expect(await codeOf(() => receive(decodeRatchetState(stolen), m))).toBe('CRYPTO_ERR_DUPLICATE_MESSAGE');
    }
    // Control: a snapshot taken before decryption can read the same message.
    const { alice: a2, bob: b2 } = ratchetPair(suite);
    const m = send(a2, 'readable');
    expect(receive(decodeRatchetState(encodeRatchetState(b2)), m)).toBe('readable');
  });

  it('post-compromise security: after one round trip a stolen snapshot no longer decrypts new messages', async () => {
    const { alice, bob } = ratchetPair(suite);
    receive(bob, send(alice, 'a0'));
    receive(alice, send(bob, 'b0'));
    const stolen = encodeRatchetState(bob);
    // Before healing, the attacker reads what Bob reads (the test can fail).
    const eve = decodeRatchetState(stolen);
    const a1 = send(alice, 'a1');
    expect(receive(eve, a1)).toBe('a1');
    receive(bob, a1);
    // Round trip: Bob answers with a fresh ratchet key, Alice ratchets on it.
    receive(alice, send(bob, 'b1'));
    const a2 = send(alice, 'a2');
    expect(receive(bob, a2)).toBe('a2');
    expect(await codeOf(() => receive(eve, a2))).toBe('CRYPTO_ERR_DECRYPT_FAILED');
    expect(await codeOf(() => receive(decodeRatchetState(stolen), a2))).toBe('CRYPTO_ERR_DECRYPT_FAILED');
  });
});

describe('ratchet state serialization', () => {
  function busyPair() {
    const { alice, bob } = ratchetPair(suite);
    const held = [send(alice, 'h0'), send(alice, 'h1')];
    receive(bob, send(alice, 'a2'));
    receive(alice, send(bob, 'b0'));
    receive(bob, send(alice, 'a3'));
    return { alice, bob, held };
  }

  it('round-trips a state with chains, finished chains and skipped keys', () => {
    const { alice, bob, held } = busyPair();
    const bytes = encodeRatchetState(bob);
    const copy = decodeRatchetState(bytes);
    expect(toHex(encodeRatchetState(copy))).toBe(toHex(bytes));
    expect(copy.skipped.size).toBe(2);
    expect(copy.previousReceivingChains).toHaveLength(1);
    expect(receive(copy, held[1]!)).toBe('h1');
    expect(receive(alice, send(copy, 'from the copy'))).toBe('from the copy');
    expect(toHex(encodeRatchetState(decodeRatchetState(encodeRatchetState(alice))))).toBe(toHex(encodeRatchetState(alice)));
  });

  it('refuses unknown versions, truncation, trailing bytes and unknown flags', async () => {
    const { bob } = busyPair();
    const bytes = encodeRatchetState(bob);
    const v2 = bytes.slice();
    v2[0] = 0x02;
    expect(await codeOf(() => decodeRatchetState(v2))).toBe('CRYPTO_ERR_UNSUPPORTED_VERSION');
    for (let cut = 0; cut < bytes.length; cut++) {
      expect(await codeOf(() => decodeRatchetState(bytes.subarray(0, cut))), `cut ${cut}`).toBe('CRYPTO_ERR_INVALID_ENCODING');
    }
    expect(await codeOf(() => decodeRatchetState(new Uint8Array([...bytes, 0])))).toBe('CRYPTO_ERR_INVALID_ENCODING');
    const flagsAt = 1 + 2 + bob.associatedData.length + 32 + 64;
    const flags = bytes.slice();
    flags[flagsAt] = (flags[flagsAt] as number) | 0x08;
    expect(await codeOf(() => decodeRatchetState(flags))).toBe('CRYPTO_ERR_INVALID_ENCODING');
  });
});
