/** The VAPID key file (RFC 8292): generated once, private (0600), validated on every load. */
import { createECDH } from 'node:crypto';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VapidKeyFileError, loadOrCreateVapidKeys, loadVapidKeys, vapidKeyPath } from '../../src/push/vapid-keys.js';
import { makeTempDir } from '../support/temp-dir.js';
import type { TempDir } from '../support/temp-dir.js';

const posix = process.platform !== 'win32';

describe('VAPID keys', () => {
  let dir: TempDir;
  let file: string;

  beforeEach(() => {
    dir = makeTempDir('sealpost-vapid-');
    file = vapidKeyPath(join(dir.path, 'data'), 'vapid-keys.json');
  });
  afterEach(() => dir.remove());

  it('generates a valid P-256 pair on first start, mode 0600, and loads the same pair after', () => {
    const keys = loadOrCreateVapidKeys(file, 1234);
    const publicKey = Buffer.from(keys.publicKey, 'base64url');
    expect(publicKey).toHaveLength(65);
    expect(publicKey[0]).toBe(0x04);
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(Buffer.from(keys.privateKey, 'base64url'));
    expect(ecdh.getPublicKey().toString('base64url')).toBe(keys.publicKey);
    if (posix) expect(statSync(file).mode & 0o777).toBe(0o600);
    const stored = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    expect(stored).toEqual({ v: 1, publicKey: keys.publicKey, privateKey: keys.privateKey, createdAt: 1234 });
    expect(loadOrCreateVapidKeys(file, 9999)).toEqual(keys);
    expect(loadVapidKeys(file)).toEqual(keys);
  });

  it('keeps the first pair when two relays start at once', () => {
    const first = loadOrCreateVapidKeys(file, 1);
    const second = loadOrCreateVapidKeys(file, 2);
    expect(second).toEqual(first);
  });

  it('resolves relative file names against the data folder and keeps absolute ones', () => {
    expect(vapidKeyPath('/srv/data', 'vapid.json')).toBe(join('/srv/data', 'vapid.json'));
    expect(vapidKeyPath('/srv/data', '/etc/sealpost/vapid.json')).toBe('/etc/sealpost/vapid.json');
  });

  function corrupt(content: string): VapidKeyFileError {
    writeFileSync(file, content, { mode: 0o600 });
    try {
      loadOrCreateVapidKeys(file);
    } catch (error) {
      expect(error).toBeInstanceOf(VapidKeyFileError);
      return error as VapidKeyFileError;
    }
    throw new Error('expected the corrupt file to be refused');
  }

  it('refuses a corrupt file with a clear message and never overwrites it', () => {
    const good = loadOrCreateVapidKeys(file);
    const other = createECDH('prime256v1');
    other.generateKeys();
    expect(corrupt('{not json').message).toMatch(/not valid JSON.*move it away/);
    expect(corrupt('[]').message).toMatch(/version/);
    expect(corrupt(JSON.stringify({ v: 2, ...good })).message).toMatch(/unknown version 2/);
    expect(corrupt(JSON.stringify({ v: 1, publicKey: good.publicKey })).message).toMatch(/privateKey is not 32 bytes/);
    expect(corrupt(JSON.stringify({ v: 1, publicKey: good.publicKey.slice(0, 40), privateKey: good.privateKey })).message).toMatch(/publicKey is not a 65-byte/);
    expect(corrupt(JSON.stringify({ v: 1, publicKey: other.getPublicKey().toString('base64url'), privateKey: good.privateKey })).message).toMatch(/does not belong/);
    expect(corrupt(JSON.stringify({ v: 1, publicKey: good.publicKey, privateKey: Buffer.alloc(32).toString('base64url') })).message).toMatch(/not a valid P-256 scalar/);
    expect(corrupt(JSON.stringify({ v: 1, publicKey: good.publicKey, privateKey: Buffer.alloc(32, 0xff).toString('base64url') })).message).toMatch(/not a valid P-256 scalar/);
    expect(readFileSync(file, 'utf8')).toContain('"privateKey":"__________');
  });

  it.runIf(posix)('refuses a key file others can read', () => {
    loadOrCreateVapidKeys(file);
    chmodSync(file, 0o644);
    expect(() => loadVapidKeys(file)).toThrow(/mode is 0644, expected 0600/);
  });
});
