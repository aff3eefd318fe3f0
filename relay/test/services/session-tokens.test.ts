/** Session tokens: round trip, expiry, tampering, another key, and loading the key file. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SessionTokens, loadSessionKey } from '../../src/services/session-tokens.js';
import { makeTempDir } from '../support/temp-dir.js';
import type { TempDir } from '../support/temp-dir.js';

describe('SessionTokens', () => {
  let dir: TempDir | undefined;
  afterEach(() => dir?.remove());
  const key = new Uint8Array(32).fill(1);
  const device = { accountId: 'sp1abc', deviceId: 7 };

  it('verifies its own tokens until they expire', () => {
    const tokens = new SessionTokens(key, 1_000);
    const { token, expiresAt } = tokens.mint(device, 5_000);
    expect(expiresAt).toBe(6_000);
    expect(tokens.verify(token, 5_999)).toEqual(device);
    expect(() => tokens.verify(token, 6_000)).toThrow(expect.objectContaining({ code: 'RELAY_ERR_SESSION_EXPIRED' }));
  });

  it('refuses tokens made under another key or altered in any part', () => {
    const { token } = new SessionTokens(key, 1_000).mint(device, 0);
    const other = new SessionTokens(new Uint8Array(32).fill(2), 1_000);
    expect(() => other.verify(token, 0)).toThrow(expect.objectContaining({ code: 'RELAY_ERR_UNAUTHENTICATED' }));
    const tokens = new SessionTokens(key, 1_000);
    const [v, payload, mac] = token.split('.') as [string, string, string];
    for (const bad of [`v2.${payload}.${mac}`, `${v}.${payload}A.${mac}`, `${v}.${payload}`, `${v}.${payload}.${mac}.x`, '']) {
      expect(() => tokens.verify(bad, 0)).toThrow(expect.objectContaining({ code: 'RELAY_ERR_UNAUTHENTICATED' }));
    }
  });

  it('answers a token verified before from memory, still checking its expiry', () => {
    const tokens = new SessionTokens(key, 1_000);
    const { token } = tokens.mint(device, 5_000);
    const [v, payload, mac] = token.split('.') as [string, string, string];
    const forged = `${v}.${payload}.${mac.slice(0, -2)}AA`;
    expect(() => tokens.verify(forged, 5_000)).toThrow(expect.objectContaining({ code: 'RELAY_ERR_UNAUTHENTICATED' }));
    const first = tokens.verify(token, 5_000);
    expect(first).toEqual(device);
    // The answer is a copy: changing it changes nothing for the next caller.
    (first as { deviceId: number }).deviceId = 99;
    expect(tokens.verify(token, 5_500)).toEqual(device);
    expect(() => tokens.verify(forged, 5_500)).toThrow(expect.objectContaining({ code: 'RELAY_ERR_UNAUTHENTICATED' }));
    expect(() => tokens.verify(token, 6_000)).toThrow(expect.objectContaining({ code: 'RELAY_ERR_SESSION_EXPIRED' }));
    // An expired token is refused before it is remembered, also the first time.
    const late = tokens.mint(device, 0).token;
    expect(() => tokens.verify(late, 2_000)).toThrow(expect.objectContaining({ code: 'RELAY_ERR_SESSION_EXPIRED' }));
    expect(() => tokens.verify(late, 0)).not.toThrow();
  });

  it('loads a 32-byte hex key file, makes a random key without one, and refuses bad files', () => {
    dir = makeTempDir();
    const file = join(dir.path, 'key');
    writeFileSync(file, `${'ab'.repeat(32)}\n`);
    expect(loadSessionKey(file)).toEqual(new Uint8Array(32).fill(0xab));
    expect(loadSessionKey(null)).not.toEqual(loadSessionKey(null));
    writeFileSync(file, 'short');
    expect(() => loadSessionKey(file)).toThrow(expect.objectContaining({ code: 'RELAY_ERR_CONFIG_INVALID' }));
  });
});
