import { describe, expect, it } from 'vitest';
import { defaultMediaConfig, parseMediaConfig } from '../../src/media/media-config.js';

describe('media config', () => {
  it('has safe defaults: local disk, 100 MiB objects, 1 GiB per account, 30 days', () => {
    const config = defaultMediaConfig();
    expect(config.backend).toBe('local');
    expect(config.maxObjectBytes).toBe(100 * 1024 * 1024);
    expect(config.quotaBytesPerAccount).toBe(1024 * 1024 * 1024);
    expect(config.defaultTtlSeconds).toBe(30 * 86_400);
    expect(config.local).toEqual({ directory: 'media', urlKeyFile: 'media-url.key' });
    expect(config.s3.endPoint).toBeNull();
    expect(config.s3.pathStyle).toBe(true);
  });

  it('refuses unknown keys, inconsistent limits and an s3 backend without an endpoint', () => {
    expect(() => parseMediaConfig({ nope: 1 } as never)).toThrow();
    expect(() => parseMediaConfig({ s3: { endpoint: 'x' } } as never)).toThrow();
    expect(() => parseMediaConfig({ uploadUrlTtlSeconds: 7200, pendingTtlSeconds: 3600 })).toThrow(/pendingTtlSeconds/);
    expect(() => parseMediaConfig({ defaultTtlSeconds: 100, maxTtlSeconds: 50 })).toThrow(/defaultTtlSeconds/);
    expect(() => parseMediaConfig({ maxObjectBytes: 10, quotaBytesPerAccount: 5 })).toThrow(/maxObjectBytes/);
    expect(() => parseMediaConfig({ backend: 's3' })).toThrow(/endPoint/);
    expect(() => parseMediaConfig({ downloadUrlTtlSeconds: 8 * 86_400 })).toThrow();
    expect(parseMediaConfig({ backend: 's3', s3: { endPoint: 'minio.internal' } }).s3.endPoint).toBe('minio.internal');
  });
});
