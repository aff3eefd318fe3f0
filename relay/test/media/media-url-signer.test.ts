import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RelayError } from '../../src/errors.js';
import { loadOrCreateMediaUrlKey, MediaUrlSigner } from '../../src/media/media-url-signer.js';
import { makeTempDir } from '../support/temp-dir.js';
import type { TempDir } from '../support/temp-dir.js';

let dir: TempDir;
beforeEach(() => {
  dir = makeTempDir('sealpost-media-key-');
});
afterEach(() => dir.remove());

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error instanceof RelayError ? error.code : `not a RelayError: ${String(error)}`;
  }
}

describe('media URL key file', () => {
  it('is created once with mode 0600 and reused', () => {
    const file = join(dir.path, 'sub', 'media-url.key');
    const first = loadOrCreateMediaUrlKey(file);
    expect(first.length).toBe(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadOrCreateMediaUrlKey(file)).toEqual(first);
    expect(readFileSync(file, 'utf8').trim()).toBe(Buffer.from(first).toString('hex'));
  });

  it('refuses a file that does not hold 64 hex characters', () => {
    const file = join(dir.path, 'bad.key');
    writeFileSync(file, 'zz');
    expect(() => loadOrCreateMediaUrlKey(file)).toThrow(/64 hex/);
  });
});

describe('MediaUrlSigner', () => {
  const signer = new MediaUrlSigner(new Uint8Array(32).fill(1));
  const id = 'A'.repeat(43);
  const query = (fields: Parameters<MediaUrlSigner['query']>[0]) => Object.fromEntries(new URLSearchParams(signer.query(fields)));

  it('verifies its own URLs until they expire', () => {
    const put = query({ op: 'put', mediaId: id, expiresAt: 1000, size: 5 });
    expect(signer.verify('put', id, put, 999)).toEqual({ op: 'put', mediaId: id, expiresAt: 1000, size: 5 });
    expect(codeOf(() => signer.verify('put', id, put, 1000))).toBe('RELAY_ERR_MEDIA_URL_EXPIRED');
    const get = query({ op: 'get', mediaId: id, expiresAt: 1000 });
    expect(signer.verify('get', id, get, 0).size).toBeUndefined();
  });

  it('refuses another key, another id, another operation and malformed fields', () => {
    const put = query({ op: 'put', mediaId: id, expiresAt: 1000, size: 5 });
    const other = new MediaUrlSigner(new Uint8Array(32).fill(2));
    expect(codeOf(() => other.verify('put', id, put, 0))).toBe('RELAY_ERR_MEDIA_URL_INVALID');
    expect(codeOf(() => signer.verify('put', 'B'.repeat(43), put, 0))).toBe('RELAY_ERR_MEDIA_URL_INVALID');
    expect(codeOf(() => signer.verify('get', id, put, 0))).toBe('RELAY_ERR_MEDIA_URL_INVALID');
    for (const bad of [
      { ...put, size: '5.0' },
      { ...put, size: '-5' },
      { ...put, exp: '1e3' },
      { ...put, sig: put.sig + 'A' },
      { ...put, sig: '' },
      { op: 'put', exp: put.exp, size: put.size },
      { ...query({ op: 'get', mediaId: id, expiresAt: 1000 }), size: '5' },
      { ...put, size: ['5', '6'] },
    ]) {
      const verb = bad.op === 'get' ? 'get' : 'put';
      expect(codeOf(() => signer.verify(verb, id, bad, 0)), JSON.stringify(bad)).toBe('RELAY_ERR_MEDIA_URL_INVALID');
    }
  });

  it('refuses a key of the wrong size', () => {
    expect(() => new MediaUrlSigner(new Uint8Array(16))).toThrow(RangeError);
  });
});
