/**
 * The composition root: builds a relay from a validated config — storage (SQLite unless one is
 * passed in), bus, presence, provisioning mailbox, rate limiter, metrics, the media backend
 * (local disk or S3), Web Push (when enabled and a VAPID subject is known), services, the HTTP
 * app and the WebSocket gateway on the same server — without listening. `listen()` makes the
 * media backend ready (creates a missing S3 bucket), then opens the port; `close()` drains:
 * readiness turns 503, long polls end, new upgrades are refused, WebSockets close with 1001,
 * in-flight HTTP requests finish, push wake-ups already started reach the notifier, push stops
 * (timers cancelled, connections to push services ended), pending writes commit, then storage
 * closes. Storage that fails for good (a failed fdatasync) ends the process: see onStorageFatal.
 */
import { isAbsolute, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { InProcessBus } from './bus/in-process-bus.js';
import type { MessageBus } from './bus/message-bus.js';
import { relayOrigin } from './config/config-schema.js';
import type { RelayConfig } from './config/config-schema.js';
import { buildHttpApp } from './http/build-http-app.js';
import { createLogger } from './logging/create-logger.js';
import type { Logger } from './logging/create-logger.js';
import { createMediaBackend } from './media/media-backend-from-config.js';
import { createRelayMetrics } from './metrics/relay-metrics.js';
import { InMemoryPresenceTracker } from './presence/in-memory-presence-tracker.js';
import type { PresenceTracker } from './presence/presence-tracker.js';
import { InMemoryProvisioningMailbox } from './provisioning/in-memory-provisioning-mailbox.js';
import type { ProvisioningMailbox } from './provisioning/provisioning-mailbox.js';
import { createPushFromConfig } from './push/push-from-config.js';
import type { PushTestOptions } from './push/push-from-config.js';
import { InMemoryRateLimiter } from './rate-limit/in-memory-rate-limiter.js';
import type { RateLimiter } from './rate-limit/rate-limiter.js';
import { createRelayServices } from './services/relay-services.js';
import type { RelayServices } from './services/relay-services.js';
import type { Clock } from './services/service-deps.js';
import { loadSessionKey } from './services/session-tokens.js';
import type { RelayStorage } from './storage/relay-storage.js';
import { openSqliteStorage } from './storage/sqlite/sqlite-storage.js';
import type { SqliteStorageOptions } from './storage/sqlite/sqlite-storage.js';
import { WsGateway } from './ws/ws-gateway.js';

export interface RelayOptions {
  readonly config: RelayConfig;
  readonly logger?: Logger;
  readonly clock?: Clock;
  readonly storage?: RelayStorage;
  readonly bus?: MessageBus;
  readonly presence?: PresenceTracker;
  readonly provisioning?: ProvisioningMailbox;
  readonly limiter?: RateLimiter;
  /** Run housekeeping (expiry, idle devices, media sweep) on its timer; tests may drive it by hand instead. */
  readonly housekeeping?: boolean;
  /** In-process tests only: seams (CA, scheduler, sender) of the push service built from config. */
  readonly pushTest?: PushTestOptions;
  /**
   * Storage built from config failed for good (a failed fdatasync of the WAL or checkpoint: after
   * one the kernel may have dropped the unwritten pages, so nothing may be acknowledged any more —
   * storage/sqlite/group-commit.ts). Default: log at fatal and exit the process with status 1, so
   * the service manager restarts the relay and SQLite recovers from the WAL on disk.
   */
  readonly onStorageFatal?: (error: Error) => void;
  /** In-process tests only: seams of the SQLite storage built from config. */
  readonly storageTest?: Pick<SqliteStorageOptions, 'fdatasync' | 'checkpointIntervalMs'>;
}

export interface Relay {
  readonly app: FastifyInstance;
  readonly services: RelayServices;
  readonly gateway: WsGateway;
  /** Opens the port; resolves to the URL it listens on. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export function sqliteFileOf(config: RelayConfig): string {
  return isAbsolute(config.storage.sqliteFile) ? config.storage.sqliteFile : join(config.dataDir, config.storage.sqliteFile);
}

export function createRelay(options: RelayOptions): Relay {
  const { config } = options;
  let boundPort = config.server.port;
  const logger = options.logger ?? createLogger(config.log.level);
  const clock = options.clock ?? Date.now;
  let storage: RelayStorage | undefined = options.storage;
  const provisioning = options.provisioning ?? new InMemoryProvisioningMailbox();
  const metrics = createRelayMetrics({ messages: () => storage?.messages, provisioning: () => provisioning, defaultMetrics: true });
  storage ??= openSqliteStorage({
    file: sqliteFileOf(config),
    busyTimeoutMs: config.storage.busyTimeoutMs,
    maxCommitBatch: config.storage.maxCommitBatch,
    minCommitIntervalMs: config.storage.minCommitIntervalMs,
    onCommit: (size, seconds) => {
      metrics.commitBatchSize.observe(size);
      metrics.commitDuration.observe(seconds);
    },
    onCheckpoint: (result) => {
      if (result.mode !== 'PASSIVE') metrics.checkpointPause.observe(result.pausedMs / 1000);
    },
    onFatal:
      options.onStorageFatal ??
      ((error) => {
        logger.fatal({ event: 'storage.failed', err: error }, 'storage failed; exiting so that nothing not on disk is acknowledged');
        process.exit(1);
      }),
    ...options.storageTest,
    now: clock(),
  });
  const bus = options.bus ?? new InProcessBus((error) => logger.error({ err: error }, 'bus handler failed'));
  const origin = () => relayOrigin(config, boundPort);
  const openedStorage = storage;
  const assemble = () => {
    // Key files are read (or created) here: the media URL key, the VAPID pair, the session key.
    const media = createMediaBackend({ media: config.media, dataDir: config.dataDir, clock, origin });
    const push = createPushFromConfig({
      push: config.push,
      dataDir: config.dataDir,
      publicOrigin: config.server.publicOrigin,
      store: openedStorage.pushSubscriptions,
      registry: metrics.registry,
      logger,
      ...(options.pushTest === undefined ? {} : { test: options.pushTest }),
    });
    const services = createRelayServices(
      {
        config,
        storage: openedStorage,
        bus,
        presence: options.presence ?? new InMemoryPresenceTracker(),
        provisioning,
        limiter: options.limiter ?? new InMemoryRateLimiter(),
        mediaBackend: media.backend,
        ...(push === undefined ? {} : { push }),
        metrics,
        logger,
        clock,
        origin,
      },
      loadSessionKey(config.auth.sessionKeyFile),
      push,
    );
    return { media, push, services };
  };
  let assembled: ReturnType<typeof assemble>;
  try {
    assembled = assemble();
  } catch (error) {
    // A damaged key file stops the start; give back the database opened for it.
    if (options.storage === undefined) void openedStorage.close().catch(() => undefined);
    throw error;
  }
  const { media, push, services } = assembled;

  let draining = false;
  const app = buildHttpApp(services, { draining: () => draining });
  const gateway = new WsGateway(app.server, services);
  if (options.housekeeping !== false) services.housekeeping.start();

  let closing: Promise<void> | undefined;
  return {
    app,
    services,
    gateway,
    async listen() {
      // The bucket must exist before the first upload URL is handed out.
      await media.prepare();
      await app.listen({ host: config.server.host, port: config.server.port });
      const address = app.server.address();
      const port = typeof address === 'object' && address !== null ? address.port : config.server.port;
      boundPort = port;
      const host = config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host;
      logger.info({ event: 'relay.listening', host: config.server.host, port, origin: relayOrigin(config, port) }, 'relay listening');
      return `http://${host}:${port}`;
    },
    close() {
      closing ??= (async () => {
        draining = true;
        logger.info({ event: 'relay.draining' }, 'relay draining');
        await services.housekeeping.stop();
        // Long polls would otherwise hold app.close() for up to 30 s; they answer 204 now.
        await services.provisioning.stop();
        await gateway.close(config.server.shutdownGraceMs);
        await app.close();
        // Wake-ups still reading queue depths finish before push and storage close under them.
        await services.wakeups.settled();
        await push?.close();
        await bus.close();
        await openedStorage.close();
        logger.info({ event: 'relay.closed' }, 'relay closed');
      })();
      return closing;
    },
  };
}
