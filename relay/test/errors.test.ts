/**
 * The error table: stable RELAY_ERR_* codes with messages, HTTP statuses in range, close codes in
 * their documented ranges, and docs/close-codes.md listing exactly the table's close codes.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RELAY_ERRORS, RelayError } from '../src/errors.js';
import type { RelayErrorInfo } from '../src/errors.js';

const entries = Object.entries(RELAY_ERRORS) as Array<[string, RelayErrorInfo]>;

describe('RELAY_ERRORS', () => {
  it('has well-formed codes, messages and statuses', () => {
    for (const [code, info] of entries) {
      expect(code).toMatch(/^RELAY_ERR_[A-Z_]+$/);
      expect(info.message.length).toBeGreaterThan(5);
      if (info.httpStatus !== undefined) expect(info.httpStatus >= 400 && info.httpStatus < 600, code).toBe(true);
      if (info.closeCode !== undefined) {
        const standard = info.closeCode >= 1000 && info.closeCode <= 1015;
        expect(standard || (info.closeCode >= 4000 && info.closeCode <= 4999), code).toBe(true);
      }
    }
    const closeCodes = entries.map(([, info]) => info.closeCode).filter((c) => c !== undefined);
    expect(new Set(closeCodes).size).toBe(closeCodes.length);
  });

  it('builds errors with the table message and a detail', () => {
    const error = new RelayError('RELAY_ERR_QUEUE_FULL', 'bob/1', { devices: [] });
    expect(error.message).toBe(`${RELAY_ERRORS.RELAY_ERR_QUEUE_FULL.message} (bob/1)`);
    expect(error.httpStatus).toBe(507);
    expect(new RelayError('RELAY_ERR_BINARY_FRAME').httpStatus).toBe(400);
  });

  it('matches docs/close-codes.md row for row', () => {
    const doc = readFileSync(fileURLToPath(new URL('../../docs/close-codes.md', import.meta.url)), 'utf8');
    const documented = [...doc.matchAll(/^\| (\d{4}) \| `(RELAY_ERR_[A-Z_]+)` \|/gm)].map((m) => [Number(m[1]), m[2]]);
    const table = entries.filter(([, info]) => info.closeCode !== undefined).map(([code, info]) => [info.closeCode, code]);
    expect(documented.sort()).toEqual(table.sort());
  });
});
