import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACCOUNT_ID_PREFIX, accountIdFromAccountKey, accountIdMatchesKey, isAccountId } from '../../src/public/account-id.js';

const ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';

/** Second implementation of the documented derivation, with Node's SHA-256 and BigInt base32. */
function referenceAccountId(accountKey: Uint8Array): string {
  const sha = (...parts: (string | Uint8Array)[]) => {
    const h = createHash('sha256');
    for (const p of parts) h.update(p);
    return new Uint8Array(h.digest());
  };
  const hash = sha('Sealpost account id v1\0', Uint8Array.of(0x01), accountKey).subarray(0, 20);
  const check = sha('sp1', hash).subarray(0, 3);
  let n = 0n;
  for (const b of [...hash, ...check]) n = (n << 8n) | BigInt(b);
  n <<= 1n; // 184 bits padded to 185 = 37 letters with a zero spare bit
  let letters = '';
  for (let i = 36; i >= 0; i--) letters += ALPHABET[Number((n >> BigInt(i * 5)) & 31n)];
  return 'sp1' + letters;
}

const key = fc.uint8Array({ minLength: 32, maxLength: 32 });

describe('account ids', () => {
  it('are derived deterministically as documented (checked against a second implementation)', () => {
    fc.assert(
      fc.property(key, (accountKey) => {
        const id = accountIdFromAccountKey(accountKey);
        expect(id).toBe(accountIdFromAccountKey(accountKey.slice()));
        expect(id).toBe(referenceAccountId(accountKey));
        expect(id).toMatch(/^sp1[a-km-np-z2-9]{37}$/);
        expect(isAccountId(id)).toBe(true);
        expect(accountIdMatchesKey(id, accountKey)).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  it('differ for different keys', () => {
    fc.assert(
      fc.property(key, key, (a, b) => {
        fc.pre(Buffer.compare(a, b) !== 0);
        expect(accountIdFromAccountKey(a)).not.toBe(accountIdFromAccountKey(b));
        expect(accountIdMatchesKey(accountIdFromAccountKey(a), b)).toBe(false);
      }),
      { numRuns: 50 },
    );
  });

  it('checksum catches every single-letter change', () => {
    fc.assert(
      fc.property(key, (accountKey) => {
        const id = accountIdFromAccountKey(accountKey);
        for (let i = ACCOUNT_ID_PREFIX.length; i < id.length; i++) {
          for (const letter of ALPHABET) {
            if (letter === id[i]) continue;
            const changed = id.slice(0, i) + letter + id.slice(i + 1);
            expect(isAccountId(changed), changed).toBe(false);
          }
        }
      }),
      { numRuns: 20 },
    );
  });

  it('refuses a set spare bit even though the data bits are unchanged', () => {
    const id = accountIdFromAccountKey(new Uint8Array(32).fill(9));
    const last = ALPHABET.indexOf(id.at(-1) as string);
    expect(last & 1).toBe(0);
    const spareSet = id.slice(0, -1) + ALPHABET[last | 1];
    expect(isAccountId(spareSet)).toBe(false);
  });

  it('refuses wrong prefixes, lengths, letters and types', () => {
    const id = accountIdFromAccountKey(new Uint8Array(32).fill(3));
    const rest = id.slice(3);
    for (const bad of [
      'sp2' + rest,
      'SP1' + rest,
      'xp1' + rest,
      rest,
      id.slice(0, -1),
      id + 'a',
      id.slice(0, -1) + 'aa',
      id.toUpperCase(),
      id.slice(0, 5) + 'l' + id.slice(6), // look-alike letters are not in the alphabet
      id.slice(0, 5) + '0' + id.slice(6),
      '',
      ' ' + id,
    ]) {
      expect(isAccountId(bad), bad).toBe(false);
    }
    for (const notText of [undefined, null, 42, new Uint8Array(40), { toString: () => id }]) {
      expect(isAccountId(notText)).toBe(false);
    }
  });
});
