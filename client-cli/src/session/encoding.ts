/** Unpadded base64url (RFC 4648 §5) for binary fields in records, wire JSON and the agent. */

export function toB64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

export function fromB64(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'base64url'));
}
