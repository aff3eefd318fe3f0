/**
 * Builds a PushService for tests: a fresh VAPID key pair in a temp data folder, an in-memory
 * subscription store, a manual scheduler, Prometheus counters on their own registry, and trust
 * for the test CA passed explicitly (in-process tests cannot set NODE_EXTRA_CA_CERTS, which Node
 * reads at start-up; push-extra-ca.test.ts covers that path in a child process).
 */
import { join } from 'node:path';
import { Registry } from 'prom-client';
import type { Resolver } from '../../../src/push/endpoint-policy.js';
import { pushConfigSchema } from '../../../src/push/push-config.js';
import type { PushConfig, PushConfigInput } from '../../../src/push/push-config.js';
import { createPromPushMetrics } from '../../../src/push/push-metrics.js';
import { PushService } from '../../../src/push/push-service.js';
import { loadOrCreateVapidKeys } from '../../../src/push/vapid-keys.js';
import type { VapidKeys } from '../../../src/push/vapid-keys.js';
import { InMemoryPushSubscriptionStore } from '../../../src/storage/memory/in-memory-push-subscription-store.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { ManualScheduler } from './manual-scheduler.js';
import type { TestCa } from './test-ca.js';

export const TEST_SUBJECT = 'mailto:ops@sealpost.test';

export interface PushHarness {
  readonly push: PushService;
  readonly store: InMemoryPushSubscriptionStore;
  readonly scheduler: ManualScheduler;
  readonly registry: Registry;
  readonly vapid: VapidKeys;
  readonly config: PushConfig;
  /** Sum of a counter's values whose labels match. */
  metric(name: string, labels?: Record<string, string>): Promise<number>;
  close(): Promise<void>;
}

export function makePushHarness(ca: TestCa, config: PushConfigInput = {}, options: { resolve?: Resolver; trustCa?: boolean } = {}): PushHarness {
  const dir = makeTempDir('sealpost-push-');
  const vapid = loadOrCreateVapidKeys(join(dir.path, 'vapid-keys.json'));
  const parsed = pushConfigSchema.parse({ allowPrivateEndpoints: true, subject: TEST_SUBJECT, ...config });
  const store = new InMemoryPushSubscriptionStore();
  const scheduler = new ManualScheduler();
  const registry = new Registry();
  const push = new PushService({
    config: parsed,
    subject: parsed.subject ?? TEST_SUBJECT,
    vapid,
    store,
    scheduler,
    metrics: createPromPushMetrics(registry),
    random: () => 0.5,
    ...(options.resolve === undefined ? {} : { resolve: options.resolve }),
    ...(options.trustCa === false ? {} : { ca: ca.caCert }),
  });
  return {
    push,
    store,
    scheduler,
    registry,
    vapid,
    config: parsed,
    async metric(name, labels = {}) {
      const found = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
      return (found?.values ?? []).filter((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val)).reduce((sum, v) => sum + v.value, 0);
    },
    async close() {
      await push.close();
      dir.remove();
    },
  };
}
