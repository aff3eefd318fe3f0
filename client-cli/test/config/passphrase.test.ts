import { chmodSync, closeSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readPassphrase, type PassphraseIo } from '../../src/config/passphrase.js';
import { CaptureSink, FakeStdin } from '../support/io.js';
import { TempDirs } from '../support/temp-dir.js';

const temp = new TempDirs();
afterEach(() => temp.cleanup());

function io(env: Record<string, string> = {}, stdin = new FakeStdin()): PassphraseIo & { warnings: string[]; stderr: CaptureSink } {
  const warnings: string[] = [];
  return { env, stdin, stderr: new CaptureSink(), warn: (t) => warnings.push(t), warnings };
}

function file(content: string, mode = 0o600): string {
  const path = join(temp.make(), 'pass');
  writeFileSync(path, content);
  chmodSync(path, mode);
  return path;
}

describe('readPassphrase', () => {
  it('reads the first line of --passphrase-file, without the line break', async () => {
    expect(await readPassphrase({ passphraseFile: file('secret one\nignored\n') }, io(), { creating: false })).toBe('secret one');
    expect(await readPassphrase({ passphraseFile: file('crlf\r\n') }, io(), { creating: false })).toBe('crlf');
  });

  it('warns when the passphrase file is readable by others', async () => {
    const sink = io();
    await readPassphrase({ passphraseFile: file('x\n', 0o644) }, sink, { creating: false });
    expect(sink.warnings.join()).toMatch(/chmod 600/);
    const quiet = io();
    await readPassphrase({ passphraseFile: file('x\n', 0o600) }, quiet, { creating: false });
    expect(quiet.warnings).toEqual([]);
  });

  it('reads --passphrase-fd and closes the descriptor', async () => {
    const fd = openSync(file('from fd\n'), 'r');
    expect(await readPassphrase({ passphraseFd: fd }, io(), { creating: false })).toBe('from fd');
    expect(() => closeSync(fd)).toThrow(/EBADF/);
  });

  it('prefers fd, then file, then SEALPOST_PASSPHRASE', async () => {
    const env = { SEALPOST_PASSPHRASE: 'env' };
    const fd = openSync(file('fd\n'), 'r');
    expect(await readPassphrase({ passphraseFd: fd, passphraseFile: file('file') }, io(env), { creating: false })).toBe('fd');
    expect(await readPassphrase({ passphraseFile: file('file') }, io(env), { creating: false })).toBe('file');
    expect(await readPassphrase({}, io(env), { creating: false })).toBe('env');
  });

  it('normalises to NFC so composed and decomposed accents unlock the same store', async () => {
    expect(await readPassphrase({}, io({ SEALPOST_PASSPHRASE: 'cafe\u0301' }), { creating: false })).toBe('caf\u00e9');
  });

  it('fails clearly with no source and no terminal, or an unreadable source', async () => {
    await expect(readPassphrase({}, io(), { creating: false })).rejects.toMatchObject({ code: 'CLI_ERR_PASSPHRASE_MISSING', exitCode: 1 });
    await expect(readPassphrase({ passphraseFile: join(temp.make(), 'none') }, io(), { creating: false })).rejects.toMatchObject({ code: 'CLI_ERR_PASSPHRASE_UNREADABLE' });
    await expect(readPassphrase({ passphraseFd: 987 }, io(), { creating: false })).rejects.toMatchObject({ code: 'CLI_ERR_PASSPHRASE_UNREADABLE' });
  });

  it('refuses an empty passphrase for a new store only', async () => {
    await expect(readPassphrase({}, io({ SEALPOST_PASSPHRASE: '' }), { creating: true })).rejects.toMatchObject({ code: 'CLI_ERR_PASSPHRASE_EMPTY' });
    expect(await readPassphrase({}, io({ SEALPOST_PASSPHRASE: '' }), { creating: false })).toBe('');
  });

  it('prompts on a terminal with echo off, and asks twice for a new store', async () => {
    const stdin = new FakeStdin('', true);
    const sink = io({}, stdin);
    const pending = readPassphrase({}, sink, { creating: true });
    stdin.type('hunter2\r');
    await new Promise((r) => setImmediate(r));
    stdin.type('hunter2\r');
    expect(await pending).toBe('hunter2');
    expect(sink.stderr.text).toContain('New passphrase: ');
    expect(sink.stderr.text).toContain('Repeat passphrase: ');
    expect(sink.stderr.text).not.toContain('hunter2');
    expect(stdin.rawMode).toBe(false);
  });

  it('handles backspace, and refuses two different entries', async () => {
    const stdin = new FakeStdin('', true);
    const pending = readPassphrase({}, io({}, stdin), { creating: true });
    stdin.type('abX\u007fc\r');
    await new Promise((r) => setImmediate(r));
    stdin.type('abd\r');
    await expect(pending).rejects.toMatchObject({ code: 'CLI_ERR_PASSPHRASE_MISMATCH' });

    const again = new FakeStdin('', true);
    const single = readPassphrase({}, io({}, again), { creating: false });
    again.type('abX\u007fc\r');
    expect(await single).toBe('abc');
  });

  it('turns Ctrl-C at the prompt into an interruption', async () => {
    const stdin = new FakeStdin('', true);
    const pending = readPassphrase({}, io({}, stdin), { creating: false });
    stdin.type('ab\u0003');
    await expect(pending).rejects.toMatchObject({ code: 'CLI_ERR_INTERRUPTED', exitCode: 130 });
  });
});
