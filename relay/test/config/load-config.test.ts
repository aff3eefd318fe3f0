/** Config loading: defaults, file < environment < flags, and every kind of problem reported. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultConfig, relayOrigin } from '../../src/config/config-schema.js';
import { envNameFor, loadConfig, optionPaths } from '../../src/config/load-config.js';
import { RelayError } from '../../src/errors.js';
import { makeTempDir } from '../support/temp-dir.js';
import type { TempDir } from '../support/temp-dir.js';

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(RelayError);
    expect((error as RelayError).code).toBe('RELAY_ERR_CONFIG_INVALID');
    return (error as RelayError).details?.problems as string[];
  }
  throw new Error('expected the config to be refused');
}

describe('loadConfig', () => {
  let dir: TempDir | undefined;
  afterEach(() => dir?.remove());

  it('has safe defaults: loopback, port 8787, ./data, open registration, 64 KiB envelopes, 30-day TTL, 10 devices', () => {
    const config = loadConfig();
    expect(config).toEqual(defaultConfig());
    expect(config.server).toMatchObject({ host: '127.0.0.1', port: 8787 });
    expect(config.dataDir).toBe('./data');
    expect(config.registration.policy).toBe('open');
    expect(config.limits).toMatchObject({ maxEnvelopeBytes: 65_536, maxTtlSeconds: 2_592_000, maxDevicesPerAccount: 10 });
    expect(config.devices.idleRemovalDays).toBeNull();
    expect(relayOrigin(config)).toBe('http://127.0.0.1:8787');
  });

  it('layers file, then environment, then flags', () => {
    dir = makeTempDir();
    const file = join(dir.path, 'relay.json');
    writeFileSync(file, JSON.stringify({ server: { port: 1000, host: '0.0.0.0' }, limits: { maxEnvelopeBytes: 1024 }, registration: { policy: 'invite' } }));
    const config = loadConfig({
      file,
      env: { SEALPOST_RELAY_SERVER__PORT: '2000', SEALPOST_RELAY_LIMITS__MAX_ENVELOPE_BYTES: '2048', SEALPOST_RELAY_AUTH__SESSION_KEY_FILE: '/k', PATH: '/bin', SEALPOST_RELAY_CONFIG: file },
      flags: { server: { port: 3000 } },
    });
    expect(config.server).toMatchObject({ port: 3000, host: '0.0.0.0' });
    expect(config.limits.maxEnvelopeBytes).toBe(2048);
    expect(config.auth.sessionKeyFile).toBe('/k');
    expect(config.registration.policy).toBe('invite');
  });

  it('names every option with an environment variable', () => {
    const names = optionPaths().map(envNameFor);
    expect(names).toContain('SEALPOST_RELAY_RATE_LIMITS__BUNDLE_PER_PAIR__WINDOW_MS');
    expect(names).toContain('SEALPOST_RELAY_DATA_DIR');
    expect(new Set(names).size).toBe(names.length);
    for (const path of optionPaths()) {
      const value = path.reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], defaultConfig());
      const config = loadConfig({ env: { [envNameFor(path)]: JSON.stringify(value) } });
      expect(config).toEqual(defaultConfig());
    }
  });

  it('refuses unknown keys in the file and unknown SEALPOST_RELAY_ variables', () => {
    const problems = problemsOf(() => loadConfig({ fileContents: { server: { prot: 1 }, extra: true }, env: { SEALPOST_RELAY_LIMITS__NOPE: '1' } }));
    expect(problems).toEqual(
      expect.arrayContaining([
        'environment: unknown variable SEALPOST_RELAY_LIMITS__NOPE',
        expect.stringMatching(/^server: Unrecognized key: "prot"/),
        expect.stringMatching(/^\(top level\): Unrecognized key: "extra"/),
      ]),
    );
  });

  it('refuses wrong types and out-of-range values, listing them all', () => {
    const problems = problemsOf(() =>
      loadConfig({ fileContents: { server: { port: 70_000 }, limits: { maxEnvelopeBytes: 0, defaultTtlSeconds: 'long' }, registration: { policy: 'maybe' } } }),
    );
    expect(problems.map((p) => p.split(':')[0])).toEqual(expect.arrayContaining(['server.port', 'limits.maxEnvelopeBytes', 'limits.defaultTtlSeconds', 'registration.policy']));
  });

  it('refuses a default TTL longer than the maximum', () => {
    expect(problemsOf(() => loadConfig({ fileContents: { limits: { defaultTtlSeconds: 100, maxTtlSeconds: 50 } } }))).toEqual(['limits.defaultTtlSeconds: exceeds limits.maxTtlSeconds']);
  });

  it('reports unreadable and malformed config files', () => {
    dir = makeTempDir();
    expect(problemsOf(() => loadConfig({ file: join(dir!.path, 'missing.json') }))[0]).toMatch(/cannot read \(ENOENT\)/);
    const bad = join(dir.path, 'bad.json');
    writeFileSync(bad, '{ nope');
    expect(problemsOf(() => loadConfig({ file: bad }))[0]).toMatch(/not valid JSON/);
    writeFileSync(bad, '[1]');
    expect(problemsOf(() => loadConfig({ file: bad }))[0]).toMatch(/must hold a JSON object/);
  });

  it('uses the public origin when configured', () => {
    expect(relayOrigin(loadConfig({ fileContents: { server: { publicOrigin: 'https://relay.example.org/' } } }))).toBe('https://relay.example.org');
    expect(relayOrigin(loadConfig({ fileContents: { server: { host: '::1', port: 9 } } }))).toBe('http://[::1]:9');
  });
});
