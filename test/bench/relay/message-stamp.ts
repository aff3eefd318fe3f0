/**
 * Per-message stamps carried inside the (opaque) ciphertext, so the generator can tell which
 * message of which run a delivered frame is without trusting arrival order: bytes 0–3 the run
 * number, 4–7 the message index, the rest filler up to ENVELOPE_BYTES (about the size of a short
 * Double Ratchet message). Servers pass ciphertexts through untouched, so this works on both.
 */

export const ENVELOPE_BYTES = 256;

const filler = Buffer.alloc(ENVELOPE_BYTES, 0x5a);

export function stampedCiphertext(run: number, index: number): string {
  const bytes = Buffer.from(filler);
  bytes.writeUInt32BE(run, 0);
  bytes.writeUInt32BE(index, 4);
  return bytes.toString('base64url');
}

/** Reads the stamp from the first 12 base64url characters (9 bytes) only. */
export function readStamp(ciphertext: string): { run: number; index: number } | null {
  const head = Buffer.from(ciphertext.slice(0, 12), 'base64url');
  if (head.length < 8) return null;
  return { run: head.readUInt32BE(0), index: head.readUInt32BE(4) };
}

/** The client id of a stamped send: unique per run and index, within the relay's allowed characters. */
export function clientIdFor(run: number, index: number): string {
  return `b${run}.${index}`;
}
