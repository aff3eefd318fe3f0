// The real binary without a relay: help, usage errors, JSON errors, profile checks.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLines, requireBuild, runSealpost } from '../../support/cli-process.js';

let home: string;

beforeAll(() => {
  requireBuild();
  home = mkdtempSync(join(tmpdir(), 'sealpost-e2e-basics-'));
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('sealpost binary', () => {
  it('prints help listing every command, on stdout, exit 0', async () => {
    const result = await runSealpost(['--help'], { env: { HOME: home } });
    expect(result.code).toBe(0);
    for (const command of ['init', 'whoami', 'link', 'devices', 'contact', 'verify', 'send', 'receive', 'listen', 'chat', 'history', 'status', 'unread', 'presence', 'settings']) {
      expect(result.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    }
    expect(result.stderr).toBe('');
  });

  it('reports a usage error as JSON on stdout with exit code 1', async () => {
    const result = await runSealpost(['--json', 'sendd', 'bob'], { env: { HOME: home } });
    expect(result.code).toBe(1);
    const [error] = jsonLines(result.stdout);
    expect(error).toMatchObject({ type: 'error', v: 1, code: 'CLI_ERR_USAGE', exitCode: 1 });
  });

  it('says a profile is not set up (exit 11) before asking for a passphrase', async () => {
    const result = await runSealpost(['--json', '--profile', 'nobody', 'whoami'], { env: { HOME: home, SEALPOST_PASSPHRASE: undefined } });
    expect(result.code).toBe(11);
    expect(jsonLines(result.stdout)[0]).toMatchObject({ code: 'CLI_ERR_NOT_INITIALIZED' });
  });

  it('keeps profiles under XDG_DATA_HOME', async () => {
    const result = await runSealpost(['whoami'], { env: { HOME: home, XDG_DATA_HOME: join(home, 'xdg') } });
    expect(result.code).toBe(11);
    expect(result.stderr).toContain(join(home, 'xdg', 'sealpost', 'profiles', 'default', 'sealpost.db'));
  });

  it('refuses a passphrase on the command line', async () => {
    const result = await runSealpost(['--passphrase', 'hunter2', 'whoami'], { env: { HOME: home } });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/never taken as arguments/);
  });

  it('needs a passphrase source when stdin is not a terminal', async () => {
    const dir = join(home, 'p1');
    const result = await runSealpost(['--data-dir', dir, 'init', '--relay', 'http://127.0.0.1:9'], { env: { HOME: home, SEALPOST_PASSPHRASE: undefined } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('No passphrase source');
  });
});
