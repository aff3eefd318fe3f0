/**
 * Deterministic randomness for tests and golden transcripts: the ChaCha20 keystream (RFC 8439
 * §2.4, 12-byte zero nonce, block counter from 0) under key = SHA-256(UTF-8 seed), consumed in
 * order. Also a recorder that keeps a copy of every draw, so transcripts can list them.
 */
import { chacha20 } from '@noble/ciphers/chacha.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { loadCrypto, type CryptoSuite, type RandomSource } from '../../src/primitives/index.js';

const BLOCKS_PER_REFILL = 16;

export function seededRandom(seed: string): RandomSource {
  const key = sha256(utf8ToBytes(seed));
  const nonce = new Uint8Array(12);
  let counter = 0;
  let buffer = new Uint8Array(0);
  let offset = 0;
  return (length: number) => {
    const out = new Uint8Array(length);
    let filled = 0;
    while (filled < length) {
      if (offset === buffer.length) {
        buffer = chacha20(key, nonce, new Uint8Array(64 * BLOCKS_PER_REFILL), undefined, counter);
        counter += BLOCKS_PER_REFILL;
        offset = 0;
      }
      const take = Math.min(length - filled, buffer.length - offset);
      out.set(buffer.subarray(offset, offset + take), filled);
      filled += take;
      offset += take;
    }
    return out;
  };
}

export interface RecordingRandom {
  readonly random: RandomSource;
  /** Copies of the draws since the last call, oldest first (the protocol may wipe the originals). */
  take(): Uint8Array[];
}

export function recordingRandom(source: RandomSource): RecordingRandom {
  let draws: Uint8Array[] = [];
  return {
    random: (length) => {
      const bytes = source(length);
      draws.push(bytes.slice());
      return bytes;
    },
    take: () => {
      const out = draws;
      draws = [];
      return out;
    },
  };
}

/** A suite whose randomBytes is the seeded stream (same backend as the default suite). */
export async function seededSuite(seed: string): Promise<CryptoSuite> {
  return loadCrypto({ random: seededRandom(seed) });
}
