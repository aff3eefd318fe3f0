// Keeps docs/cli.md's error and exit-code tables equal to the code.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CLI_ERRORS, EXIT_CODES } from '../../src/errors.js';

const doc = readFileSync(fileURLToPath(new URL('../../../docs/cli.md', import.meta.url)), 'utf8');

function section(title: string): string {
  const start = doc.indexOf(`## ${title}\n`);
  expect(start, title).toBeGreaterThanOrEqual(0);
  const end = doc.indexOf('\n## ', start + 1);
  return doc.slice(start, end < 0 ? undefined : end);
}

describe('docs/cli.md', () => {
  it('lists every CLI error with its exit code and message, and nothing else', () => {
    const rows = section('Error codes')
      .split('\n')
      .filter((line) => line.startsWith('| `CLI_ERR_'));
    const expected = Object.entries(CLI_ERRORS).map(([code, info]) => `| \`${code}\` | ${info.exitCode} | ${info.message} |`);
    expect(rows).toEqual(expected);
  });

  it('documents every exit code', () => {
    const table = section('Exit codes');
    const documented = table
      .split('\n')
      .map((line) => /^\| (\d+) \|/.exec(line)?.[1])
      .filter((code): code is string => code !== undefined)
      .map(Number);
    expect(documented).toEqual(Object.values(EXIT_CODES));
  });

  it('documents every command of the surface', () => {
    for (const command of ['init', 'whoami', 'contact add', 'contact list', 'contact show', 'verify', 'send', 'receive', 'listen', 'chat', 'history', 'status', 'unread', 'presence', 'settings', 'devices', 'link new', 'send-file', 'download', 'push subscribe', 'push status', 'push unsubscribe']) {
      expect(doc).toContain(`\`${command}`);
    }
  });
});
