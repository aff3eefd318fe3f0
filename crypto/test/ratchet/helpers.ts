/** Two ratchet states sharing a random SK, as PQXDH would leave them (Double Ratchet §3.3). */
import type { CryptoSuite } from '../../src/primitives/index.js';
import { initRatchetAsInitiator, initRatchetAsResponder, type RatchetState } from '../../src/ratchet/state.js';
import { x25519KeyPair } from '../pqxdh/fixtures.js';

export interface RatchetPair {
  readonly alice: RatchetState;
  readonly bob: RatchetState;
}

export function ratchetPair(suite: CryptoSuite, associatedData: Uint8Array = Uint8Array.of(1, 2, 3)): RatchetPair {
  const sharedSecret = suite.randomBytes(32);
  const bobPrekey = x25519KeyPair(suite);
  return {
    alice: initRatchetAsInitiator(suite, sharedSecret, associatedData, bobPrekey.publicKey),
    bob: initRatchetAsResponder(sharedSecret, associatedData, bobPrekey),
  };
}

export function text(message: string): Uint8Array {
  return new TextEncoder().encode(message);
}

export function untext(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}
