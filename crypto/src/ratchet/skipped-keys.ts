/**
 * Bounded store of skipped message keys (signal.org/docs/specifications/doubleratchet §3.5
 * MKSKIPPED, §4 "... the receiving party should ... delete them after an appropriate interval").
 * Keys are held in insertion order; past {@link MAX_SKIPPED_KEYS} the oldest is evicted, which
 * bounds memory no matter what a peer sends. A key is deleted as soon as it decrypted a message.
 */
import { toHex } from '../primitives/bytes.js';
import { MAX_SKIPPED_KEYS } from './constants.js';

export interface SkippedKey {
  readonly ratchetKey: Uint8Array;
  readonly messageIndex: number;
  readonly messageKey: Uint8Array;
}

function slot(ratchetKeyHex: string, messageIndex: number): string {
  return `${ratchetKeyHex}/${messageIndex}`;
}

export class SkippedKeyStore {
  private readonly keys = new Map<string, SkippedKey>();

  constructor(readonly capacity: number = MAX_SKIPPED_KEYS) {}

  get size(): number {
    return this.keys.size;
  }

  get(ratchetKey: Uint8Array, messageIndex: number): Uint8Array | undefined {
    if (this.keys.size === 0) return undefined;
    return this.keys.get(slot(toHex(ratchetKey), messageIndex))?.messageKey;
  }

  delete(ratchetKey: Uint8Array, messageIndex: number): void {
    this.keys.delete(slot(toHex(ratchetKey), messageIndex));
  }

  /** Adds keys of one chain (oldest first) and evicts the oldest entries beyond capacity. */
  addChain(ratchetKey: Uint8Array, entries: readonly { messageIndex: number; messageKey: Uint8Array }[]): void {
    if (entries.length === 0) return;
    const hex = toHex(ratchetKey);
    for (const entry of entries) {
      this.keys.set(slot(hex, entry.messageIndex), { ratchetKey, messageIndex: entry.messageIndex, messageKey: entry.messageKey });
    }
    while (this.keys.size > this.capacity) {
      const oldest = this.keys.keys().next();
      if (oldest.done === true) break;
      this.keys.delete(oldest.value);
    }
  }

  /** Adds one entry while decoding; false when it is already present (a malformed state). */
  restore(entry: SkippedKey): boolean {
    const key = slot(toHex(entry.ratchetKey), entry.messageIndex);
    if (this.keys.has(key)) return false;
    this.keys.set(key, entry);
    return true;
  }

  /** Entries oldest first (the order they are serialized and evicted in). */
  entries(): IterableIterator<SkippedKey> {
    return this.keys.values();
  }
}
