/**
 * Child process for push-extra-ca.test.ts: builds a PushService exactly as a relay would — no
 * `ca` option, so TLS trust is Node's default store plus whatever NODE_EXTRA_CA_CERTS named at
 * start-up — sends one push, and prints the outcome as one JSON line on stdout.
 * argv[2]: JSON { endpoint, p256dh, auth, dataDir }.
 */
import { join } from 'node:path';
import { pushConfigSchema } from '../../../src/push/push-config.js';
import type { PushFailureReason, PushMetrics } from '../../../src/push/push-metrics.js';
import { PushService } from '../../../src/push/push-service.js';
import { loadOrCreateVapidKeys } from '../../../src/push/vapid-keys.js';
import { InMemoryPushSubscriptionStore } from '../../../src/storage/memory/in-memory-push-subscription-store.js';

const input = JSON.parse(process.argv[2] ?? '{}') as { endpoint: string; p256dh: string; auth: string; dataDir: string };
const outcome = { sent: 0, failed: {} as Partial<Record<PushFailureReason, number>> };
const metrics: PushMetrics = {
  sent: () => void outcome.sent++,
  failed: (reason) => void (outcome.failed[reason] = (outcome.failed[reason] ?? 0) + 1),
  coalesced() {},
  retried() {},
  subscriptionRemoved() {},
};
const config = pushConfigSchema.parse({ allowPrivateEndpoints: true, subject: 'mailto:ops@sealpost.test', maxRetries: 0, requestTimeoutMs: 20_000 });
const push = new PushService({
  config,
  subject: 'mailto:ops@sealpost.test',
  vapid: loadOrCreateVapidKeys(join(input.dataDir, 'vapid-keys.json')),
  store: new InMemoryPushSubscriptionStore(),
  metrics,
});
const device = { accountId: 'sp1child', deviceId: 1 };
await push.subscribe(device, { endpoint: input.endpoint, p256dh: input.p256dh, auth: input.auth });
push.notify(device.accountId, device.deviceId, 'message', 1);
await push.settled();
await push.close();
process.stdout.write(`${JSON.stringify({ ...outcome, extraCa: process.env.NODE_EXTRA_CA_CERTS !== undefined })}\n`);
