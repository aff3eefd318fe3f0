/** The push.* config block: safe defaults, strictness, the VAPID subject (RFC 8292 §2.1) and Retry-After parsing. */
import { describe, expect, it } from 'vitest';
import { defaultPushConfig, isVapidSubject, pushConfigSchema, resolveVapidSubject } from '../../src/push/push-config.js';
import { parseRetryAfter } from '../../src/push/push-sender.js';

describe('pushConfigSchema', () => {
  it('defaults to on, no private endpoints, bounded retries and a coalescing interval', () => {
    const config = defaultPushConfig();
    expect(config.enabled).toBe(true);
    expect(config.allowPrivateEndpoints).toBe(false);
    expect(config.subject).toBeNull();
    expect(config.coalesceIntervalMs).toBeGreaterThan(0);
    expect(config.maxRetries).toBeGreaterThanOrEqual(0);
    expect(config.backoffMaxMs).toBeGreaterThanOrEqual(config.backoffBaseMs);
  });

  it('refuses unknown keys, bad subjects, urgencies and topics', () => {
    expect(pushConfigSchema.safeParse({ allowPrivate: true }).success).toBe(false);
    expect(pushConfigSchema.safeParse({ subject: 'http://relay.example.org' }).success).toBe(false);
    expect(pushConfigSchema.safeParse({ subject: 'ops@example.org' }).success).toBe(false);
    expect(pushConfigSchema.safeParse({ urgency: 'urgent' }).success).toBe(false);
    expect(pushConfigSchema.safeParse({ topic: 'has space' }).success).toBe(false);
    expect(pushConfigSchema.safeParse({ topic: 'x'.repeat(33) }).success).toBe(false);
    expect(pushConfigSchema.parse({ subject: 'mailto:ops@example.org', topic: null }).topic).toBeNull();
  });

  it('accepts mailto: and https: subjects only', () => {
    expect(isVapidSubject('mailto:ops@example.org')).toBe(true);
    expect(isVapidSubject('https://relay.example.org')).toBe(true);
    expect(isVapidSubject('http://relay.example.org')).toBe(false);
    expect(isVapidSubject('mailto:')).toBe(false);
  });

  it('falls back to an https public origin for the subject, else to none', () => {
    const config = defaultPushConfig();
    expect(resolveVapidSubject({ ...config, subject: 'mailto:a@b.example' }, 'https://relay.example.org')).toBe('mailto:a@b.example');
    expect(resolveVapidSubject(config, 'https://relay.example.org/')).toBe('https://relay.example.org');
    expect(resolveVapidSubject(config, 'http://127.0.0.1:8787')).toBeNull();
    expect(resolveVapidSubject(config, null)).toBeNull();
  });
});

describe('parseRetryAfter (RFC 9110 §10.2.3)', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  it('reads delay-seconds and HTTP-dates', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:01:30 GMT', now)).toBe(90_000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 00:00:00 GMT', now)).toBe(0);
  });
  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
  });
});
