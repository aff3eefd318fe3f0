/**
 * One push request, made with the `web-push` package (the only relay module that sends with it):
 * RFC 8291 aes128gcm encryption of the payload to the subscription's keys, an RFC 8292 VAPID JWT
 * (`Authorization: vapid t=…, k=…`, audience = the endpoint's origin, expiry 12 h ahead), and the
 * RFC 8030 headers TTL (§5.2), Urgency (§5.3) and Topic (§5.4). The answer becomes an outcome the
 * notifier acts on; the sender itself never retries or waits.
 */
import webpush from 'web-push';
import type { PushSubscriptionRecord } from '../storage/push-subscription-store.js';
import type { AddressClass } from './address-ranges.js';
import type { GuardedAgent } from './guarded-agent.js';
import { PushAddressRefusedError } from './guarded-agent.js';
import type { PushConfig } from './push-config.js';
import type { VapidKeys } from './vapid-keys.js';

export type SendOutcome =
  | { readonly type: 'delivered'; readonly status: number }
  /** RFC 8030 §7.3: the subscription expired or was removed; stop sending to it. */
  | { readonly type: 'gone'; readonly status: 404 | 410 }
  /** Worth another try: 429 (RFC 6585 §4), 5xx, or no answer at all. */
  | { readonly type: 'retry'; readonly reason: 'rate-limited' | 'server-error' | 'network'; readonly status?: number; readonly retryAfterMs?: number; readonly errorCode?: string }
  /** Any other answer (400, 401, 403, 413…) or a request web-push refused to build: no retry. */
  | { readonly type: 'rejected'; readonly status?: number }
  /** The endpoint's address was refused at connect time (DNS rebinding or a private literal). */
  | { readonly type: 'refused'; readonly addressClass: AddressClass };

export interface PushSender {
  send(subscription: PushSubscriptionRecord, payload: Buffer): Promise<SendOutcome>;
  /** Ends open connections; requests in flight fail. */
  close(): void;
}

/** RFC 9110 §10.2.3: Retry-After is delay-seconds or an HTTP-date; undefined when absent or bad. */
export function parseRetryAfter(value: string | string[] | undefined, now: number): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // All three HTTP-date forms (RFC 9110 §5.6.7) start with a day name; Date.parse alone is too lax.
  if (!/^[A-Za-z]{3,9},? /.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

export interface WebPushSenderOptions {
  readonly config: Pick<PushConfig, 'ttlSeconds' | 'urgency' | 'topic' | 'requestTimeoutMs'>;
  readonly vapid: VapidKeys;
  /** RFC 8292 §2.1 contact: mailto: or https:. */
  readonly subject: string;
  readonly agent: GuardedAgent;
  readonly now?: () => number;
}

interface WebPushErrorLike {
  readonly statusCode?: unknown;
  readonly headers?: Record<string, string | string[] | undefined>;
  readonly code?: unknown;
}

export class WebPushSender implements PushSender {
  constructor(private readonly options: WebPushSenderOptions) {}

  async send(subscription: PushSubscriptionRecord, payload: Buffer): Promise<SendOutcome> {
    const { config, vapid, subject, agent } = this.options;
    try {
      const result = await webpush.sendNotification({ endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } }, payload, {
        vapidDetails: { subject, publicKey: vapid.publicKey, privateKey: vapid.privateKey },
        TTL: config.ttlSeconds,
        urgency: config.urgency,
        ...(config.topic === null ? {} : { topic: config.topic }),
        timeout: config.requestTimeoutMs,
        agent,
        contentEncoding: 'aes128gcm',
      });
      return { type: 'delivered', status: result.statusCode };
    } catch (error) {
      return this.classify(error);
    }
  }

  private classify(error: unknown): SendOutcome {
    if (error instanceof PushAddressRefusedError) return { type: 'refused', addressClass: error.addressClass };
    const e = (typeof error === 'object' && error !== null ? error : {}) as WebPushErrorLike;
    if (error instanceof webpush.WebPushError && typeof e.statusCode === 'number') {
      const status = e.statusCode;
      if (status === 404 || status === 410) return { type: 'gone', status };
      const retryAfterMs = parseRetryAfter(e.headers?.['retry-after'], (this.options.now ?? Date.now)());
      if (status === 429) return { type: 'retry', reason: 'rate-limited', status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
      if (status >= 500) return { type: 'retry', reason: 'server-error', status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
      return { type: 'rejected', status };
    }
    // No HTTP answer: refused or reset connection, TLS failure, socket timeout ("Socket timeout").
    if (typeof e.code === 'string' || (error instanceof Error && /socket timeout/i.test(error.message))) {
      return { type: 'retry', reason: 'network', errorCode: typeof e.code === 'string' ? e.code : 'ETIMEDOUT' };
    }
    // web-push refused to build the request (bad subject, bad key): retrying cannot help.
    return { type: 'rejected' };
  }

  close(): void {
    this.options.agent.destroy();
  }
}
