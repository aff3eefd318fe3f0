// Keeps docs/errors.md equal to the error tables in the code (DESIGN.md §6).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CRYPTO_ERRORS } from '@sealpost/crypto';
import { RELAY_ERRORS } from '@sealpost/relay';
import { CLI_ERRORS } from '@sealpost/cli';
import { renderErrorsDoc, type ErrorSection } from '../support/errors-doc.js';

const DOC_PATH = fileURLToPath(new URL('../../docs/errors.md', import.meta.url));

function sections(): ErrorSection[] {
  return [
    {
      title: 'Crypto (`@sealpost/crypto`)',
      intro: 'Thrown as `CryptoError` with `code`; the message adds a detail naming what was wrong.',
      columns: [],
      rows: Object.entries(CRYPTO_ERRORS).map(([code, message]) => ({ code, message })),
    },
    {
      title: 'Relay (`@sealpost/relay`)',
      intro:
        'Answered over HTTP as `{ "error": { "code", "message" } }` with the status shown, sent as a WebSocket `error` frame, ' +
        'or ending the WebSocket with the close code shown (ranges in [close-codes.md](close-codes.md)).',
      columns: ['httpStatus', 'closeCode'],
      rows: Object.entries(RELAY_ERRORS).map(([code, info]) => ({
        code,
        message: info.message,
        httpStatus: 'httpStatus' in info ? info.httpStatus : undefined,
        closeCode: 'closeCode' in info ? info.closeCode : undefined,
      })),
    },
    {
      title: 'Command-line client (`sealpost`)',
      intro: 'Printed on stderr (or as a JSON object with `--json`); the process exits with the exit code shown ([cli.md](cli.md) explains the categories).',
      columns: ['exitCode'],
      rows: Object.entries(CLI_ERRORS).map(([code, info]) => ({ code, message: info.message, exitCode: info.exitCode })),
    },
  ];
}

describe('docs/errors.md', () => {
  it('lists exactly the codes and messages of the error tables', () => {
    const expected = renderErrorsDoc(sections());
    if (process.env.UPDATE_DOCS === '1') writeFileSync(DOC_PATH, expected);
    const actual = readFileSync(DOC_PATH, 'utf8');
    expect(actual).toBe(expected);
  });

  it('has unique codes with the package prefix', () => {
    for (const section of sections()) {
      const codes = section.rows.map((r) => r.code);
      expect(new Set(codes).size).toBe(codes.length);
      for (const code of codes) expect(code).toMatch(/^(CRYPTO|RELAY|CLI)_ERR_[A-Z0-9_]+$/);
    }
  });
});
