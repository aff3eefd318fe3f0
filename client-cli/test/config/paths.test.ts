import { describe, expect, it } from 'vitest';
import { resolveProfilePaths } from '../../src/config/paths.js';
import { CliError } from '../../src/errors.js';

describe('resolveProfilePaths', () => {
  it('puts the default profile under XDG_DATA_HOME', () => {
    const paths = resolveProfilePaths({}, { XDG_DATA_HOME: '/data', HOME: '/home/u' });
    expect(paths.label).toBe('default');
    expect(paths.dataDir).toBe('/data/sealpost/profiles/default');
    expect(paths.storeFile).toBe('/data/sealpost/profiles/default/sealpost.db');
    expect(paths.runtimeDir).toBe('/data/sealpost/profiles/default/run');
  });

  it('falls back to ~/.local/share when XDG_DATA_HOME is unset or relative', () => {
    expect(resolveProfilePaths({ profile: 'bot' }, { HOME: '/home/u' }).dataDir).toBe('/home/u/.local/share/sealpost/profiles/bot');
    expect(resolveProfilePaths({ profile: 'bot' }, { HOME: '/home/u', XDG_DATA_HOME: 'rel' }).dataDir).toBe('/home/u/.local/share/sealpost/profiles/bot');
  });

  it('uses --data-dir as the profile directory, resolved against the working directory', () => {
    const paths = resolveProfilePaths({ dataDir: 'p/alice' }, { HOME: '/home/u' }, '/work');
    expect(paths.dataDir).toBe('/work/p/alice');
    expect(paths.label).toBe('/work/p/alice');
  });

  it('puts runtime files in a per-profile directory under XDG_RUNTIME_DIR', () => {
    const a = resolveProfilePaths({ dataDir: '/x/a' }, { XDG_RUNTIME_DIR: '/run/user/1' });
    const b = resolveProfilePaths({ dataDir: '/y/a' }, { XDG_RUNTIME_DIR: '/run/user/1' });
    expect(a.runtimeDir).toMatch(/^\/run\/user\/1\/sealpost\/[0-9a-f]{16}$/);
    expect(a.runtimeDir).not.toBe(b.runtimeDir);
  });

  it('refuses profile names that could leave the profiles directory, and both selectors at once', () => {
    for (const name of ['../x', '.hidden', 'a/b', '', 'x'.repeat(65)]) {
      expect(() => resolveProfilePaths({ profile: name }, { HOME: '/h' })).toThrow(CliError);
    }
    expect(() => resolveProfilePaths({ profile: 'a', dataDir: '/d' }, {})).toThrow(/mutually exclusive/);
  });
});
