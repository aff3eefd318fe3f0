import { describe, expect, it } from 'vitest';
import { decodeContent, encodeContent, type Content } from '../../src/session/content.js';

const encoder = new TextEncoder();

describe('message content', () => {
  it('round-trips text and typing, padded to 64-byte blocks', () => {
    const samples: Content[] = [
      { v: 1, t: 'text', id: 'abc', body: 'héllo 👋', sentAt: 1795326682058 },
      { v: 1, t: 'text', id: 'abc', body: 'sync', sentAt: 1, to: 'sp1x' },
      { v: 1, t: 'typing', state: 'started' },
      { v: 1, t: 'file', id: 'f1', pointer: 'AQID_-x', sentAt: 5 },
      { v: 1, t: 'file', id: 'f1', pointer: 'AQID', sentAt: 5, to: 'sp1x' },
    ];
    for (const content of samples) {
      const bytes = encodeContent(content);
      expect(bytes.length % 64).toBe(0);
      expect(decodeContent(bytes)).toEqual(content);
    }
  });

  it('ignores unknown kinds and versions, and refuses malformed content', () => {
    expect(decodeContent(encoder.encode('{"v":1,"t":"reaction","emoji":"x"}'))).toBeUndefined();
    expect(decodeContent(encoder.encode('{"v":2,"t":"text","id":"a","body":"b","sentAt":1}'))).toBeUndefined();
    expect(decodeContent(encoder.encode('{"v":1,"t":"text","id":"","body":"b","sentAt":1}'))).toBeUndefined();
    expect(decodeContent(encoder.encode('{"v":1,"t":"text","id":"a","body":5,"sentAt":1}'))).toBeUndefined();
    expect(decodeContent(encoder.encode('not json'))).toBeUndefined();
    expect(decodeContent(Uint8Array.of(0xff, 0xfe))).toBeUndefined();
  });

  it('refuses a file message whose pointer is not base64url text of a sane length', () => {
    const file = (pointer: unknown): string => JSON.stringify({ v: 1, t: 'file', id: 'f', pointer, sentAt: 1 });
    expect(decodeContent(encoder.encode(file('AQID')))).toMatchObject({ t: 'file', pointer: 'AQID' });
    expect(decodeContent(encoder.encode(file('AQ+/')))).toBeUndefined();
    expect(decodeContent(encoder.encode(file('')))).toBeUndefined();
    expect(decodeContent(encoder.encode(file(7)))).toBeUndefined();
    expect(decodeContent(encoder.encode(file('A'.repeat(2049))))).toBeUndefined();
  });
});
