/**
 * Wire contract of the push routes (docs/api.md "Web Push", docs/push.md): request and response
 * bodies as zod schemas. The subscription body has the shape of the W3C Push API's
 * PushSubscription.toJSON() (endpoint, expirationTime, keys.p256dh, keys.auth), which is also
 * what UnifiedPush distributors hand over.
 */
import { z } from 'zod';

/** Longest endpoint accepted; real ones (FCM, Mozilla autopush, ntfy) stay well below. */
export const MAX_ENDPOINT_LENGTH = 2_048;

const base64urlText = (maxChars: number) =>
  z
    .string()
    .min(1)
    .max(maxChars)
    .regex(/^[A-Za-z0-9_-]+={0,2}$/, 'expected base64url');

// PUT /v1/push/subscription
export const pushSubscriptionRequestSchema = z.strictObject({
  endpoint: z.string().min(1).max(MAX_ENDPOINT_LENGTH),
  /** Sent by browsers; ignored (the push service's 404/410 says when a subscription is gone). */
  expirationTime: z.number().nullable().optional(),
  keys: z.strictObject({
    /** RFC 8291 §3.1 user agent public key: 65-byte uncompressed P-256 point. */
    p256dh: base64urlText(96),
    /** RFC 8291 §3.2 authentication secret: 16 bytes. */
    auth: base64urlText(32),
  }),
});
export type PushSubscriptionRequest = z.infer<typeof pushSubscriptionRequestSchema>;

// GET /v1/push/vapid-key
export const vapidKeyResponseSchema = z.strictObject({
  /** The VAPID public key (RFC 8292 §3.2), unpadded base64url: a browser's applicationServerKey. */
  publicKey: z.string().regex(/^[A-Za-z0-9_-]{87}$/),
});
export type VapidKeyResponse = z.infer<typeof vapidKeyResponseSchema>;

// GET and PUT /v1/push/subscription
export const pushStatusResponseSchema = z.union([
  z.strictObject({ subscribed: z.literal(false) }),
  z.strictObject({
    subscribed: z.literal(true),
    endpoint: z.string(),
    createdAt: z.number().int(),
    /** Pushes given up in a row since the last accepted one. */
    failureCount: z.number().int().nonnegative(),
  }),
]);
export type PushStatusResponse = z.infer<typeof pushStatusResponseSchema>;
