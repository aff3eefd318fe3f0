/**
 * The memo of valid account ids: a hot id is checksummed once, an invalid id is rejected with the
 * same schema error every time (it is never remembered), and the memo never grows past its cap.
 */
import { accountIdFromAccountKey, isAccountId } from '@sealpost/crypto/public';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { accountIdSchema, knownAccountIds } from '../../src/api/common.js';
import { ValidMemo } from '../../src/api/valid-memo.js';

const idOf = (seed: number) => accountIdFromAccountKey(new Uint8Array(32).fill(seed));

/** Same length and alphabet as a real id, but the last letter (checksum bits) is changed. */
function withBadChecksum(id: string): string {
  const last = id.at(-1) === 'a' ? 'b' : 'a';
  return id.slice(0, -1) + last;
}

describe('ValidMemo', () => {
  it('checks an accepted value once', () => {
    const check = vi.fn(isAccountId);
    const memo = new ValidMemo(check, 10);
    const id = idOf(1);
    for (let i = 0; i < 5; i++) expect(memo.test(id)).toBe(true);
    expect(check).toHaveBeenCalledTimes(1);
    expect(memo.size).toBe(1);
  });

  it('checks a rejected value every time and never remembers it', () => {
    const check = vi.fn(isAccountId);
    const memo = new ValidMemo(check, 10);
    const bad = withBadChecksum(idOf(2));
    for (let i = 0; i < 5; i++) expect(memo.test(bad)).toBe(false);
    expect(check).toHaveBeenCalledTimes(5);
    expect(memo.size).toBe(0);
  });

  it('stays within its cap by dropping the oldest value', () => {
    const check = vi.fn(isAccountId);
    const memo = new ValidMemo(check, 3);
    const ids = [1, 2, 3, 4, 5].map(idOf);
    for (const id of ids) expect(memo.test(id)).toBe(true);
    expect(memo.size).toBe(3);
    check.mockClear();
    // The three newest are still remembered; the two oldest were dropped and are checked again.
    for (const id of ids.slice(2)) expect(memo.test(id)).toBe(true);
    expect(check).not.toHaveBeenCalled();
    expect(memo.test(ids[0]!)).toBe(true);
    expect(check).toHaveBeenCalledTimes(1);
    expect(memo.size).toBe(3);
  });
});

describe('accountIdSchema', () => {
  it('remembers a valid id and accepts it again unchanged', () => {
    const id = idOf(7);
    expect(accountIdSchema.safeParse(id)).toEqual({ success: true, data: id });
    const size = knownAccountIds.size;
    expect(accountIdSchema.safeParse(id)).toEqual({ success: true, data: id });
    expect(knownAccountIds.size).toBe(size);
    expect(knownAccountIds.capacity).toBe(10_000);
  });

  it('rejects a bad id with the same error every time, even right after its valid twin', () => {
    const id = idOf(8);
    const bad = withBadChecksum(id);
    expect(accountIdSchema.safeParse(id).success).toBe(true);
    for (const value of [bad, bad, 'sp1zzz', id.toUpperCase(), 42]) {
      const first = accountIdSchema.safeParse(value);
      const again = accountIdSchema.safeParse(value);
      expect(first.success).toBe(false);
      expect(again.error?.issues).toEqual(first.error?.issues);
    }
    expect(accountIdSchema.safeParse(bad).error?.issues).toEqual([
      expect.objectContaining({ code: 'custom', path: [], message: 'expected an account id (sp1…) with a valid checksum' }),
    ]);
  });

  it('answers exactly as the unmemoized schema did', () => {
    const unmemoized = z.string().refine((text) => isAccountId(text), 'expected an account id (sp1…) with a valid checksum');
    const id = idOf(9);
    const values: unknown[] = [id, id, withBadChecksum(id), id.slice(0, -1), `${id}a`, '', 'sp1zzz', null, undefined, 42, { id }];
    const outcome = (r: z.ZodSafeParseResult<string>) => ({ success: r.success, data: r.data, issues: r.error?.issues });
    for (const value of values) expect(outcome(accountIdSchema.safeParse(value))).toEqual(outcome(unmemoized.safeParse(value)));
  });
});
