/**
 * Web Push configuration (`push.*` in the relay config): a zod schema in the relay config's style
 * (strict objects, a safe default and a doc line for every option) so the relay schema can take
 * it as `push: pushConfigSchema`. RFC 8292 §2.1 names the contact `subject`; RFC 8030 §5.2/§5.3
 * define the TTL and Urgency headers the notifier sends.
 */
import { z } from 'zod';

const positiveInt = () => z.number().int().positive();
const nonNegativeInt = () => z.number().int().nonnegative();

/** RFC 8292 §2.1: the `sub` claim is a `mailto:` or `https:` URI the push service may contact. */
export function isVapidSubject(text: string): boolean {
  if (/^mailto:[^\s@]+@[^\s@]+$/.test(text)) return true;
  try {
    return new URL(text).protocol === 'https:';
  } catch {
    return false;
  }
}

export const pushUrgencies = ['very-low', 'low', 'normal', 'high'] as const;
export type PushUrgency = (typeof pushUrgencies)[number];

export const pushConfigSchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe('Send Web Push wake-ups to offline devices that registered a subscription.'),
    subject: z
      .string()
      .refine(isVapidSubject, 'expected a mailto: address or an https: URL')
      .nullable()
      .default(null)
      .describe('VAPID contact (RFC 8292 §2.1), mailto: or https:. Null: server.publicOrigin when it is https; without either, push stays off.'),
    vapidKeyFile: z.string().min(1).default('vapid-keys.json').describe('VAPID key pair file (mode 0600), relative to dataDir unless absolute; generated on first start.'),
    allowPrivateEndpoints: z
      .boolean()
      .default(false)
      .describe('Allow push endpoints on loopback, private, link-local and CGNAT addresses (a LAN ntfy server, tests). Off: the relay refuses to reach internal hosts.'),
    coalesceIntervalMs: positiveInt().default(30_000).describe('At most one push per device per interval; events inside it fold into one trailing push with the latest count.'),
    ttlSeconds: nonNegativeInt().max(28 * 24 * 3600).default(24 * 3600).describe('TTL header (RFC 8030 §5.2): how long the push service keeps an undelivered push.'),
    urgency: z.enum(pushUrgencies).default('normal').describe('Urgency header (RFC 8030 §5.3): very-low, low, normal or high.'),
    topic: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,32}$/, 'expected 1-32 base64url characters')
      .nullable()
      .default('sealpost')
      .describe('Topic header (RFC 8030 §5.4): a newer push replaces an undelivered older one. The same for every device; null: no Topic.'),
    maxRetries: nonNegativeInt().max(20).default(4).describe('Retries after a 429, a 5xx or a network error, before the push is given up (the message stays queued).'),
    backoffBaseMs: positiveInt().default(1_000).describe('First retry delay; doubles per retry (with jitter) up to backoffMaxMs.'),
    backoffMaxMs: positiveInt().default(300_000).describe('Longest retry delay, and the longest Retry-After honoured for a retry.'),
    requestTimeoutMs: positiveInt().default(10_000).describe('Socket idle timeout of one request to a push service.'),
    maxConcurrentRequests: positiveInt().default(16).describe('Requests to push services in flight at once.'),
    maxTrackedDevices: positiveInt().default(50_000).describe('Devices with a push pending or recently sent; beyond it new wake-ups are dropped (counted as failed, reason overload).'),
  })
  .prefault({})
  .describe('Web Push (RFC 8030, 8291, 8292) to devices without a live connection; payloads hold only the kind of event and the pending count.');

export type PushConfig = z.infer<typeof pushConfigSchema>;
export type PushConfigInput = z.input<typeof pushConfigSchema>;

export function defaultPushConfig(): PushConfig {
  return pushConfigSchema.parse({});
}

/**
 * The VAPID subject to sign: `push.subject`, else the relay's public origin when it is https
 * (RFC 8292 §2.1 allows an https URI), else null — the caller then leaves push off and says why.
 */
export function resolveVapidSubject(config: PushConfig, publicOrigin: string | null): string | null {
  if (config.subject !== null) return config.subject;
  if (publicOrigin !== null && isVapidSubject(publicOrigin)) return new URL(publicOrigin).origin;
  return null;
}
