import { describe, expect, it } from 'vitest';
import { runCli, toCliError, wantsJson } from '../../src/cli/main.js';
import { CLI_ERRORS, CliError } from '../../src/errors.js';
import { testIo } from '../support/io.js';

/** Every command path the issue names, with the arguments it needs. */
const SURFACE: readonly string[][] = [
  ['init'],
  ['whoami'],
  ['link', 'new'],
  ['link', 'accept'],
  ['devices'],
  ['devices', 'remove'],
  ['contact', 'add'],
  ['contact', 'list'],
  ['contact', 'show'],
  ['verify'],
  ['send'],
  ['receive'],
  ['listen'],
  ['chat'],
  ['history'],
  ['status'],
  ['unread'],
  ['presence'],
  ['presence', 'allow'],
  ['presence', 'deny'],
  ['settings'],
  ['settings', 'read-receipts'],
];

describe('runCli', () => {
  it('prints help on stdout and exits 0', async () => {
    const io = testIo();
    expect(await runCli(['--help'], io)).toBe(0);
    for (const command of ['init', 'whoami', 'link', 'devices', 'contact', 'verify', 'send', 'receive', 'listen', 'chat', 'history', 'status', 'unread', 'presence', 'settings']) {
      expect(io.stdout.text).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    }
    expect(io.stdout.text).toContain('8 wrong passphrase');
    expect(io.stderr.text).toBe('');
  });

  it('has help for every command of the issue, each taking --json', async () => {
    for (const path of SURFACE) {
      const io = testIo();
      expect(await runCli([...path, '--help'], io), path.join(' ')).toBe(0);
      expect(io.stdout.text).toContain(`Usage: sealpost ${path.join(' ')}`);
    }
  });

  it('fails with usage (1) and help on stderr when no command is given', async () => {
    const io = testIo();
    expect(await runCli([], io)).toBe(1);
    expect(io.stdout.text).toBe('');
    expect(io.stderr.text).toContain('Usage: sealpost');
  });

  it('reports usage errors as one JSON object on stdout with --json', async () => {
    const io = testIo();
    expect(await runCli(['--json', 'sned'], io)).toBe(1);
    const [error] = io.stdout.json();
    expect(error).toMatchObject({ type: 'error', v: 1, code: 'CLI_ERR_USAGE', exitCode: 1 });
    expect(String(error?.message)).toContain("unknown command 'sned'");
    expect(String(error?.message)).toContain('send');
    expect(io.stdout.lines()).toHaveLength(1);
  });

  it('accepts --json after the command too', async () => {
    const io = testIo({ env: { HOME: '/nonexistent-home' } });
    expect(await runCli(['whoami', '--json'], io)).toBe(11);
    expect(io.stdout.json()[0]).toMatchObject({ type: 'error', code: 'CLI_ERR_NOT_INITIALIZED', exitCode: 11 });
  });

  it('refuses --profile with --data-dir, and --passphrase-file with --passphrase-fd', async () => {
    const a = testIo();
    expect(await runCli(['--profile', 'x', '--data-dir', '/tmp/y', 'whoami'], a)).toBe(1);
    expect(a.stderr.text).toMatch(/cannot be used with/);
    const b = testIo();
    expect(await runCli(['--passphrase-file', 'f', '--passphrase-fd', '3', 'whoami'], b)).toBe(1);
  });

  it('refuses a passphrase given as an argument', async () => {
    const io = testIo();
    expect(await runCli(['--json', '--passphrase', 'hunter2', 'whoami'], io)).toBe(1);
    expect(io.stdout.json()[0]).toMatchObject({ code: 'CLI_ERR_PASSPHRASE_ARGUMENT' });
    expect(io.stdout.text).not.toContain('hunter2');
  });

  it('validates option values', async () => {
    for (const args of [
      ['send', 'bob', 'hi', '--wait', 'soon'],
      ['send', 'bob', 'hi', '--timeout', '-1'],
      ['history', 'bob', '--limit', 'ten'],
      ['settings', 'read-receipts', 'maybe'],
      ['devices', 'remove', 'x'],
      ['--passphrase-fd', 'three', 'whoami'],
    ]) {
      const io = testIo();
      expect(await runCli(['--json', ...args], io), args.join(' ')).toBe(1);
      expect(io.stdout.json()[0]?.code).toBe('CLI_ERR_USAGE');
    }
  });

  it('prints the version', async () => {
    const io = testIo();
    expect(await runCli(['--version'], io)).toBe(0);
    expect(io.stdout.text).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});

describe('wantsJson', () => {
  it('sees --json before a -- only', () => {
    expect(wantsJson(['send', 'bob', '--json'])).toBe(true);
    expect(wantsJson(['send', 'bob', '--', '--json'])).toBe(false);
    expect(wantsJson(['send'])).toBe(false);
  });
});

describe('toCliError', () => {
  it('maps SQLite and unknown errors to table codes', () => {
    const notADb = Object.assign(new Error('file is not a database'), { code: 'SQLITE_NOTADB' });
    expect(toCliError(notADb).code).toBe('CLI_ERR_STORE_CORRUPTED');
    const busy = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    expect(toCliError(busy).code).toBe('CLI_ERR_STORE_BUSY');
    const other = toCliError(new TypeError('oops'));
    expect(other.code).toBe('CLI_ERR_INTERNAL');
    expect(other.message).toBe(`${CLI_ERRORS.CLI_ERR_INTERNAL.message} (oops)`);
    const cli = new CliError('CLI_ERR_TIMEOUT');
    expect(toCliError(cli)).toBe(cli);
  });
});
