/**
 * The plaintext of every push (encrypted per RFC 8291 before it leaves the relay): a JSON object
 * naming only the kind of event and the device's pending count — never a sender, text or id:
 *   {"v":1,"kind":"message","pending":3}
 * padded with trailing spaces (JSON allows whitespace after the value) to a fixed length. The
 * push service sees only ciphertext, but its length would otherwise tell the kinds apart and
 * hint at the count; RFC 8291 §4 and RFC 8188 §2 leave padding to the sender, and web-push adds
 * none, so the padding is done here.
 */

export const PUSH_KINDS = ['message', 'receipt', 'prekeys-low'] as const;
export type PushKind = (typeof PUSH_KINDS)[number];

/** Every payload is exactly this many bytes before encryption. */
export const PUSH_PAYLOAD_BYTES = 64;
/** Counts above this are sent as this value (a device learns the exact count when it connects). */
export const MAX_PAYLOAD_PENDING = 999_999;

export interface PushPayload {
  readonly v: 1;
  readonly kind: PushKind;
  readonly pending: number;
}

export function isPushKind(value: unknown): value is PushKind {
  return typeof value === 'string' && (PUSH_KINDS as readonly string[]).includes(value);
}

/** When events fold into one push, the most important kind names it (a message beats a receipt). */
export function foldKinds(a: PushKind, b: PushKind): PushKind {
  return PUSH_KINDS.indexOf(a) <= PUSH_KINDS.indexOf(b) ? a : b;
}

export function clampPending(pending: number): number {
  if (!Number.isFinite(pending) || pending < 0) return 0;
  return Math.min(Math.floor(pending), MAX_PAYLOAD_PENDING);
}

export function encodePushPayload(kind: PushKind, pending: number): Buffer {
  const payload: PushPayload = { v: 1, kind, pending: clampPending(pending) };
  const json = JSON.stringify(payload);
  return Buffer.from(json.padEnd(PUSH_PAYLOAD_BYTES, ' '), 'utf8');
}
