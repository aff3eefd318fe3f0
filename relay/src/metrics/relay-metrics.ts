/**
 * Prometheus metrics (prom-client) for one relay instance, on its own registry so several
 * relays in one process (tests) do not collide. Labels are low-cardinality codes and kinds only:
 * never account ids, device ids or anything from a payload.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { MailboxStats, ProvisioningMailbox } from '../provisioning/provisioning-mailbox.js';
import type { MessageStore } from '../storage/message-store.js';
import type { QueueSummary } from '../storage/records.js';

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
  readonly deliveryDelay: Histogram;
  readonly presenceFrames: Counter;
  readonly commitBatchSize: Histogram;
  readonly commitDuration: Histogram;
  readonly checkpointPause: Histogram;
}

export interface RelayMetricsSources {
  readonly messages?: () => MessageStore | undefined;
  readonly provisioning?: () => ProvisioningMailbox | undefined;
  readonly defaultMetrics?: boolean;
}

/**
 * Reads a source once per scrape however many gauges need it: prom-client starts every
 * collect() of a scrape in the same tick, so sharing the read while it is pending is enough,
 * and the next scrape reads afresh.
 */
function sharedWhilePending<T>(read: () => Promise<T> | undefined): () => Promise<T> | undefined {
  let pending: Promise<T> | undefined;
  return () => {
    if (pending === undefined) {
      const value = read();
      if (value === undefined) return undefined;
      pending = value.finally(() => {
        pending = undefined;
      });
    }
    return pending;
  };
}

export function createRelayMetrics(options: RelayMetricsSources = {}): RelayMetrics {
  const registry = new Registry();
  if (options.defaultMetrics === true) collectDefaultMetrics({ register: registry, prefix: 'sealpost_relay_' });
  const registers = [registry];
  const queues = sharedWhilePending<QueueSummary>(() => options.messages?.()?.queueSummary());
  const mailbox = sharedWhilePending<MailboxStats>(() => options.provisioning?.()?.stats());
  const gauge = <T>(name: string, help: string, read: () => Promise<T> | undefined, pick: (value: T) => number) =>
    new Gauge({
      name,
      help,
      registers,
      async collect() {
        const value = read();
        if (value !== undefined) this.set(pick(await value));
      },
    });
  gauge('sealpost_relay_queue_entries', 'Entries waiting in all device queues.', queues, (q) => q.count);
  gauge('sealpost_relay_queue_bytes', 'Payload bytes waiting in all device queues.', queues, (q) => q.bytes);
  gauge('sealpost_relay_queue_devices', 'Devices with at least one entry waiting.', queues, (q) => q.devices);
  gauge('sealpost_relay_queue_max_entries', 'Entries in the deepest single device queue (compare with limits.maxQueueMessages).', queues, (q) => q.maxCount);
  gauge('sealpost_relay_queue_max_bytes', 'Bytes in the fullest single device queue (compare with limits.maxQueueBytes).', queues, (q) => q.maxBytes);
  gauge('sealpost_relay_provisioning_channels', 'Provisioning channels open (in memory).', mailbox, (m) => m.channels);
  gauge('sealpost_relay_provisioning_bytes', 'Ciphertext bytes waiting in provisioning channels.', mailbox, (m) => m.bytes);
  gauge('sealpost_relay_provisioning_waiting', 'Provisioning long polls waiting for a message.', mailbox, (m) => m.waiting);
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
    deliveryDelay: new Histogram({
      name: 'sealpost_relay_delivery_delay_seconds',
      help: 'From a message being sent to a recipient device acking its copy (includes time the device was offline).',
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 30, 60, 300, 3_600, 86_400],
      registers,
    }),
    presenceFrames: new Counter({ name: 'sealpost_relay_presence_frames_total', help: 'Presence frames delivered to connected devices of allowed viewers.', registers }),
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
    checkpointPause: new Histogram({
      name: 'sealpost_relay_wal_checkpoint_pause_seconds',
      help: 'Time new writes were held back for a WAL checkpoint that resets the log (RESTART or TRUNCATE).',
      buckets: [0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5],
      registers,
    }),
  };
}
