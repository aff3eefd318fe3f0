/** The sealpost-relay command in-process: subcommands, flags, config errors and stopping. */
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runRelayCli } from '../../src/cli/relay-cli.js';
import type { CliIo } from '../../src/cli/relay-cli.js';
import { defaultConfig } from '../../src/config/config-schema.js';
import { request } from '../support/http-client.js';
import { makeTempDir } from '../support/temp-dir.js';
import type { TempDir } from '../support/temp-dir.js';

function io(env: Record<string, string> = {}, stop: Promise<string> = new Promise(() => {})) {
  const out: string[] = [];
  const err: string[] = [];
  const value: CliIo = { env: { SEALPOST_RELAY_LOG__LEVEL: 'silent', ...env }, stdout: (t) => out.push(t), stderr: (t) => err.push(t), stopSignal: () => stop };
  return { io: value, out, err };
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('sealpost-relay CLI', () => {
  let dir: TempDir | undefined;
  afterEach(() => dir?.remove());

  it('prints the default config as JSON', async () => {
    const t = io();
    expect(await runRelayCli(['print-default-config'], t.io)).toBe(0);
    expect(JSON.parse(t.out.join(''))).toEqual(defaultConfig());
  });

  it('check-config prints the effective config from file, environment and flags', async () => {
    dir = makeTempDir();
    const file = join(dir.path, 'relay.json');
    writeFileSync(file, JSON.stringify({ registration: { policy: 'closed' }, server: { port: 1 } }));
    const t = io({ SEALPOST_RELAY_SERVER__PORT: '2' });
    expect(await runRelayCli(['check-config', '--config', file, '--port', '3', '--host', '0.0.0.0', '--data-dir', '/srv/x'], t.io)).toBe(0);
    const config = JSON.parse(t.out.join(''));
    expect(config.registration.policy).toBe('closed');
    expect(config.server).toMatchObject({ port: 3, host: '0.0.0.0' });
    expect(config.dataDir).toBe('/srv/x');
    expect(t.err.join('')).toContain('configuration is valid');
  });

  it('maps --push-allow-private-endpoints onto push.allowPrivateEndpoints and never prints the S3 secret key', async () => {
    const t = io({ SEALPOST_RELAY_MEDIA__S3__SECRET_KEY: 'hunter2-s3-secret' });
    expect(await runRelayCli(['check-config', '--push-allow-private-endpoints'], t.io)).toBe(0);
    const config = JSON.parse(t.out.join(''));
    expect(config.push.allowPrivateEndpoints).toBe(true);
    expect(config.media.s3.secretKey).toBe('(set, not shown)');
    expect(t.out.join('')).not.toContain('hunter2');
    const off = io();
    expect(await runRelayCli(['check-config'], off.io)).toBe(0);
    expect(JSON.parse(off.out.join('')).push.allowPrivateEndpoints).toBe(false);
  });

  it('refuses to start (exit 1, the file and the problem named) with a damaged VAPID key file, and leaves it alone', async () => {
    dir = makeTempDir();
    const file = join(dir.path, 'vapid-keys.json');
    writeFileSync(file, '{"v":1,"publicKey":"nope","privateKey":"nope"}\n', { mode: 0o600 });
    const t = io({ SEALPOST_RELAY_PUSH__SUBJECT: 'mailto:ops@example.org' });
    expect(await runRelayCli(['--port', '0', '--data-dir', dir.path], t.io)).toBe(1);
    expect(t.err.join('')).toContain(`VAPID key file ${file}`);
    expect(readFileSync(file, 'utf8')).toBe('{"v":1,"publicKey":"nope","privateKey":"nope"}\n');
  });

  it('check-config reads SEALPOST_RELAY_CONFIG and exits 1 listing every problem', async () => {
    dir = makeTempDir();
    const file = join(dir.path, 'relay.json');
    writeFileSync(file, JSON.stringify({ limits: { maxEnvelopeBytes: -1 }, unknown: 1 }));
    const t = io({ SEALPOST_RELAY_CONFIG: file });
    expect(await runRelayCli(['check-config', '--port', 'eighty'], t.io)).toBe(1);
    const text = t.err.join('');
    expect(text).toContain('RELAY_ERR_CONFIG_INVALID');
    expect(text).toContain('limits.maxEnvelopeBytes');
    expect(text).toContain('Unrecognized key: "unknown"');
    expect(text).toContain('server.port');
    expect(t.out).toEqual([]);
  });

  it('refuses to start with an invalid config (exit 1) and rejects unknown flags (exit 2)', async () => {
    const t = io({ SEALPOST_RELAY_NOPE: '1' });
    expect(await runRelayCli(['--port', '1'], t.io)).toBe(1);
    expect(t.err.join('')).toContain('unknown variable SEALPOST_RELAY_NOPE');
    const u = io();
    expect(await runRelayCli(['start', '--frobnicate'], u.io)).toBe(2);
  });

  it('starts by default with --host/--port/--data-dir, serves, and exits 0 after the stop signal', async () => {
    dir = makeTempDir();
    const port = await freePort();
    let stop: (signal: string) => void = () => {};
    const t = io({}, new Promise((resolve) => (stop = resolve)));
    const running = runRelayCli(['--host', '127.0.0.1', '--port', String(port), '--data-dir', dir.path], t.io);
    await expect.poll(async () => (await request(`http://127.0.0.1:${port}`, 'GET', '/healthz').catch(() => ({ status: 0 }))).status).toBe(200);
    stop('SIGTERM');
    expect(await running).toBe(0);
    await expect(request(`http://127.0.0.1:${port}`, 'GET', '/healthz')).rejects.toThrow();
  });
});
