/**
 * Prometheus metrics (prom-client) for one relay instance, on its own registry so several
 * relays in one process (tests) do not collide. Labels are low-cardinality codes and kinds only:
 * never account ids, device ids or anything from a payload.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { MessageStore } from '../storage/message-store.js';

export interface RelayMetrics {
  readonly registry: Registry;
  readonly connections: Gauge;
  readonly wsCloses: Counter<'code'>;
  readonly sends: Counter<'result'>;
  readonly copiesStored: Counter;
  readonly acks: Counter<'kind'>;
  readonly receipts: Counter<'kind'>;
  readonly expired: Counter;
  readonly errors: Counter<'code'>;
  readonly bundleFetches: Counter;
  readonly httpDuration: Histogram<'route' | 'method' | 'status'>;
  readonly sendLatency: Histogram;
  readonly commitBatchSize: Histogram;
  readonly commitDuration: Histogram;
}

export function createRelayMetrics(options: { messages?: () => MessageStore | undefined; defaultMetrics?: boolean } = {}): RelayMetrics {
  const registry = new Registry();
  if (options.defaultMetrics === true) collectDefaultMetrics({ register: registry, prefix: 'sealpost_relay_' });
  const registers = [registry];
  const queueDepth = new Gauge({
    name: 'sealpost_relay_queue_entries',
    help: 'Entries waiting in all device queues.',
    registers,
    async collect() {
      const store = options.messages?.();
      if (store !== undefined) this.set((await store.totalStats()).count);
    },
  });
  const queueBytes = new Gauge({
    name: 'sealpost_relay_queue_bytes',
    help: 'Payload bytes waiting in all device queues.',
    registers,
    async collect() {
      const store = options.messages?.();
      if (store !== undefined) this.set((await store.totalStats()).bytes);
    },
  });
  void queueDepth;
  void queueBytes;
  return {
    registry,
    connections: new Gauge({ name: 'sealpost_relay_ws_connections', help: 'Open authenticated WebSocket connections.', registers }),
    wsCloses: new Counter({ name: 'sealpost_relay_ws_closes_total', help: 'WebSocket connections closed by the relay, by RELAY_ERR code.', labelNames: ['code'], registers }),
    sends: new Counter({ name: 'sealpost_relay_sends_total', help: 'Send frames by result (stored, duplicate, online_only, refused).', labelNames: ['result'], registers }),
    copiesStored: new Counter({ name: 'sealpost_relay_copies_stored_total', help: 'Ciphertext copies committed to device queues.', registers }),
    acks: new Counter({ name: 'sealpost_relay_acks_total', help: 'Queue entries acknowledged by devices, by entry kind.', labelNames: ['kind'], registers }),
    receipts: new Counter({ name: 'sealpost_relay_receipts_total', help: 'Receipts queued for senders, by kind (delivered, read).', labelNames: ['kind'], registers }),
    expired: new Counter({ name: 'sealpost_relay_expired_copies_total', help: 'Message copies that expired undelivered.', registers }),
    errors: new Counter({ name: 'sealpost_relay_errors_total', help: 'Errors answered to clients, by RELAY_ERR code.', labelNames: ['code'], registers }),
    bundleFetches: new Counter({ name: 'sealpost_relay_bundle_fetches_total', help: 'Prekey bundle fetches served.', registers }),
    httpDuration: new Histogram({
      name: 'sealpost_relay_http_request_duration_seconds',
      help: 'HTTP request latency by route pattern.',
      labelNames: ['route', 'method', 'status'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers,
    }),
    sendLatency: new Histogram({
      name: 'sealpost_relay_send_duration_seconds',
      help: 'From a send frame arriving to its durable sent ack.',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
      registers,
    }),
    commitBatchSize: new Histogram({
      name: 'sealpost_relay_commit_batch_size',
      help: 'Writes grouped into one committed transaction (group commit).',
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512],
      registers,
    }),
    commitDuration: new Histogram({
      name: 'sealpost_relay_commit_duration_seconds',
      help: 'Duration of one group commit including fsync.',
      buckets: [0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5],
      registers,
    }),
  };
}
