/**
 * What travels inside the double ratchet between Sealpost clients (docs/cli.md "Message
 * content"): one UTF-8 JSON object with a version `v` and a kind `t`.
 *
 *   { "v": 1, "t": "text",   "id": "<sender's message id>", "body": "...", "sentAt": ms, "to"?: "<account id>" }
 *   { "v": 1, "t": "file",   "id": "…", "pointer": "<media pointer, base64url>", "sentAt": ms, "to"?: "…" }
 *   { "v": 1, "t": "typing", "state": "started" | "stopped", "to"?: "<account id>" }
 *
 * `to` is set only on the copies a device sends to its own other devices ("sync"), naming the
 * conversation. The JSON is padded with spaces to a multiple of 64 bytes, so the ciphertext size
 * says less about the text; unknown kinds are ignored by older clients.
 */

export const CONTENT_VERSION = 1;
const PAD_TO = 64;
const MAX_BODY_CHARS = 60_000;

/** Longest base64url media pointer accepted (a pointer is at most ~700 bytes; docs/media.md). */
const MAX_POINTER_CHARS = 2_048;

export type Content =
  | { readonly v: 1; readonly t: 'text'; readonly id: string; readonly body: string; readonly sentAt: number; readonly to?: string }
  | { readonly v: 1; readonly t: 'file'; readonly id: string; readonly pointer: string; readonly sentAt: number; readonly to?: string }
  | { readonly v: 1; readonly t: 'typing'; readonly state: 'started' | 'stopped'; readonly to?: string };

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function encodeContent(content: Content): Uint8Array {
  const json = JSON.stringify(content);
  const padded = json + ' '.repeat((PAD_TO - (encoder.encode(json).length % PAD_TO)) % PAD_TO);
  return encoder.encode(padded);
}

/** Decodes content; undefined for anything malformed or of a kind this client does not know. */
export function decodeContent(bytes: Uint8Array): Content | undefined {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(bytes));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const c = value as Record<string, unknown>;
  if (c.v !== CONTENT_VERSION) return undefined;
  const to = typeof c.to === 'string' ? { to: c.to } : {};
  if (c.t === 'text' && typeof c.id === 'string' && c.id.length > 0 && c.id.length <= 64 && typeof c.body === 'string' && c.body.length <= MAX_BODY_CHARS && typeof c.sentAt === 'number' && Number.isSafeInteger(c.sentAt)) {
    return { v: 1, t: 'text', id: c.id, body: c.body, sentAt: c.sentAt, ...to };
  }
  // The pointer itself is decoded (strictly) where the message is stored: ./file-attachment.ts.
  if (c.t === 'file' && typeof c.id === 'string' && c.id.length > 0 && c.id.length <= 64 && typeof c.pointer === 'string' && c.pointer.length <= MAX_POINTER_CHARS && /^[A-Za-z0-9_-]+$/.test(c.pointer) && typeof c.sentAt === 'number' && Number.isSafeInteger(c.sentAt)) {
    return { v: 1, t: 'file', id: c.id, pointer: c.pointer, sentAt: c.sentAt, ...to };
  }
  if (c.t === 'typing' && (c.state === 'started' || c.state === 'stopped')) return { v: 1, t: 'typing', state: c.state, ...to };
  return undefined;
}

export { MAX_BODY_CHARS };
