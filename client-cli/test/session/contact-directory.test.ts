import { accountIdFromAccountKey } from '@sealpost/crypto/public';
import { describe, expect, it } from 'vitest';
import { contactLink, parseContactRef } from '../../src/session/contact-directory.js';

const id = accountIdFromAccountKey(new Uint8Array(32).fill(4));

describe('parseContactRef', () => {
  it('tells account ids, links and usernames apart', () => {
    expect(parseContactRef(id)).toEqual({ accountId: id });
    expect(parseContactRef(contactLink(id))).toEqual({ accountId: id });
    expect(parseContactRef(`sealpost://contact/${id}`)).toEqual({ accountId: id });
    expect(parseContactRef('@Bob')).toEqual({ username: 'Bob' });
    expect(parseContactRef('bob')).toEqual({ username: 'bob' });
  });

  it('refuses an account id with a typo instead of treating it as a username', () => {
    const typo = `${id.slice(0, -1)}${id.endsWith('a') ? 'b' : 'a'}`;
    expect(() => parseContactRef(typo)).toThrow(expect.objectContaining({ code: 'CLI_ERR_INVALID_ARGUMENT' }));
    expect(() => parseContactRef(`sealpost:${typo}`)).toThrow(expect.objectContaining({ code: 'CLI_ERR_INVALID_ARGUMENT' }));
    expect(() => parseContactRef('  ')).toThrow(expect.objectContaining({ code: 'CLI_ERR_INVALID_ARGUMENT' }));
  });
});
