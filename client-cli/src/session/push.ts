/**
 * This device's Web Push subscription on the relay (docs/push.md "Routes"): the relay wakes an
 * offline device with a content-free push (RFC 8030/8291/8292) at the endpoint of the device's
 * push service (a browser's, or a UnifiedPush distributor such as ntfy). The relay checks the
 * endpoint itself (https, public address, valid keys) and says why it refuses one.
 */
import type { PushStatusResponse } from '@sealpost/relay/api';
import { CliError } from '../errors.js';
import { RelayRefusal } from '../transport/relay-errors.js';
import type { Profile } from './profile.js';
import { signedInHttp } from './signed-http.js';

export interface PushSubscriptionInput {
  /** The push service's endpoint URL (a capability URL: whoever holds it can push). */
  readonly endpoint: string;
  /** The subscription's P-256 public key, base64url (RFC 8291 §3.1). */
  readonly p256dh: string;
  /** The 16-byte authentication secret, base64url (RFC 8291 §3.2). */
  readonly auth: string;
}

export interface PushState {
  readonly status: PushStatusResponse;
  /** The relay's VAPID public key (what a browser passes as applicationServerKey). */
  readonly vapidPublicKey: string;
}

/** The relay's refusal, with its reason (e.g. endpoint-not-https) where a script finds it. */
function refused(error: unknown): unknown {
  if (!(error instanceof RelayRefusal) || error.info.code !== 'RELAY_ERR_PUSH_SUBSCRIPTION_REFUSED') return error;
  const details = error.info.details ?? {};
  const reason = typeof details.reason === 'string' ? details.reason : 'refused';
  // The relay's message is its table text plus "(why)"; the why is what the user needs.
  const why = /\(([^()]*)\)$/.exec(error.info.message)?.[1];
  return new CliError('CLI_ERR_PUSH_ENDPOINT_REFUSED', why === undefined ? reason : `${reason}: ${why}`, { reason, ...details, relayCode: error.info.code, relayMessage: error.info.message });
}

export async function subscribePush(profile: Profile, input: PushSubscriptionInput): Promise<PushStatusResponse> {
  try {
    new URL(input.endpoint);
  } catch {
    throw new CliError('CLI_ERR_INVALID_ARGUMENT', `--endpoint "${input.endpoint}" is not a URL`);
  }
  const http = await signedInHttp(profile);
  try {
    return await http.subscribePush({ endpoint: input.endpoint, keys: { p256dh: input.p256dh, auth: input.auth } });
  } catch (error) {
    throw refused(error);
  }
}

export async function pushState(profile: Profile): Promise<PushState> {
  const http = await signedInHttp(profile);
  const [status, key] = await Promise.all([http.pushSubscription(), http.vapidKey()]);
  return { status, vapidPublicKey: key.publicKey };
}

export async function unsubscribePush(profile: Profile): Promise<void> {
  const http = await signedInHttp(profile);
  await http.unsubscribePush();
}
