import { describe, expect, it } from 'vitest';
import { newMessageId } from '../../src/session/messenger.js';
import { testCrypto } from '../support/store.js';

describe('newMessageId', () => {
  it('is 22 base64url characters that never start like an option', async () => {
    const suite = await testCrypto();
    // A source whose first draws start with "-" and "_" (0xf8 → "-", 0xfc → "_" as the first character).
    const draws = [Uint8Array.of(0xf8, ...new Array<number>(15).fill(1)), Uint8Array.of(0xfc, ...new Array<number>(15).fill(2)), Uint8Array.of(0x08, ...new Array<number>(15).fill(3))];
    const scripted = { ...suite, randomBytes: (n: number) => draws.shift() ?? suite.randomBytes(n) };
    const id = newMessageId(scripted);
    expect(id).toMatch(/^[A-Za-z0-9][A-Za-z0-9_-]{21}$/);
    expect(draws).toHaveLength(0);
    for (let i = 0; i < 200; i++) expect(newMessageId(suite)).toMatch(/^[A-Za-z0-9][A-Za-z0-9_-]{21}$/);
  });
});
