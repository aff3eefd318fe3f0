/**
 * The relay's one typed configuration (DESIGN.md §6): a zod schema with a safe default and a doc
 * line for every option. Objects are strict, so an unknown key anywhere is refused at start
 * rather than silently ignored. docs/config.md is rendered from this schema (render-config-doc.ts)
 * and a test keeps the two equal.
 */
import { z } from 'zod';
import { mediaConfigSchema } from '../media/media-config.js';
import { pushConfigSchema } from '../push/push-config.js';

const positiveInt = () => z.number().int().positive();
const nonNegativeInt = () => z.number().int().nonnegative();

/** A token-bucket rule: at most `limit` events per `windowMs`, refilled continuously. */
const rateRule = (limit: number, windowMs: number, what: string) =>
  z
    .strictObject({
      limit: positiveInt().default(limit).describe('Events allowed per window (also the burst size).'),
      windowMs: positiveInt().default(windowMs).describe('Window length in milliseconds.'),
    })
    .prefault({})
    .describe(what);

export const configSchema = z.strictObject({
  dataDir: z.string().min(1).default('./data').describe('Folder for the SQLite database and other relay state; created if missing.'),

  server: z
    .strictObject({
      host: z.string().min(1).default('127.0.0.1').describe('Interface to listen on. Keep 127.0.0.1 behind a reverse proxy.'),
      port: nonNegativeInt().max(65535).default(8787).describe('TCP port to listen on (0 picks a free port).'),
      publicOrigin: z
        .string()
        .url()
        .nullable()
        .default(null)
        .describe('Origin clients use to reach this relay (e.g. https://relay.example.org); signed into every auth challenge. Default: http://HOST:PORT.'),
      trustProxy: z.boolean().default(false).describe('Trust X-Forwarded-For from a reverse proxy when rate-limiting by client address.'),
      bodyLimitBytes: positiveInt().default(1_048_576).describe('Largest HTTP request body accepted.'),
      shutdownGraceMs: positiveInt().default(10_000).describe('On SIGTERM, how long to wait for in-flight work before closing anyway.'),
    })
    .prefault({})
    .describe('Listening socket and HTTP behaviour.'),

  log: z
    .strictObject({
      level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('pino log level. Logs never contain payloads, keys or tokens.'),
    })
    .prefault({})
    .describe('Structured logging (pino, JSON lines on stdout).'),

  storage: z
    .strictObject({
      sqliteFile: z.string().min(1).default('relay.sqlite').describe('SQLite database file, relative to dataDir unless absolute.'),
      busyTimeoutMs: positiveInt().default(5_000).describe('How long SQLite waits on a locked database before failing.'),
      maxCommitBatch: positiveInt().default(256).describe('Most writes grouped into one committed transaction (group commit).'),
      minCommitIntervalMs: z
        .number()
        .min(0)
        .max(100)
        .default(2)
        .describe('Least time between the starts of two group commits: under load, writes wait up to this long to share a commit and its fdatasync (fewer, larger commits); 0 commits as soon as a write arrives.'),
    })
    .prefault({})
    .describe('Storage (SQLite in WAL mode; every acknowledged write is flushed to disk first: see self-hosting.md "Durability").'),

  registration: z
    .strictObject({
      policy: z.enum(['open', 'invite', 'closed']).default('open').describe('Who may register: anyone (open), holders of an admin-made invite token (invite), nobody (closed).'),
      inviteTtlSeconds: positiveInt().default(7 * 24 * 3600).describe('Lifetime of a newly created invite token.'),
    })
    .prefault({})
    .describe('Account registration.'),

  auth: z
    .strictObject({
      challengeTtlMs: positiveInt().default(60_000).describe('How long an auth challenge may be answered after it was issued.'),
      sessionTtlMs: positiveInt().default(15 * 60_000).describe('Lifetime of a relay-signed session token.'),
      sessionKeyFile: z
        .string()
        .min(1)
        .nullable()
        .default(null)
        .describe('File holding the 32-byte session-token MAC key (hex). Null: a fresh random key per process, so tokens end at restart. Set it when several relays share a load balancer.'),
      maxPendingChallenges: positiveInt().default(100_000).describe('Most unanswered challenges kept at once; older ones are dropped first.'),
    })
    .prefault({})
    .describe('Device authentication by signed challenge; no passwords or bearer secrets are stored.'),

  limits: z
    .strictObject({
      maxEnvelopeBytes: positiveInt().max(1_048_576).default(65_536).describe('Largest ciphertext (decoded bytes) in one copy of a message.'),
      maxFrameBytes: positiveInt().default(4 * 1_048_576).describe('Largest WebSocket frame; a bigger one closes the connection with 1009.'),
      maxQueueMessages: positiveInt().default(10_000).describe('Most messages waiting in one device queue; further sends to it fail with RELAY_ERR_QUEUE_FULL.'),
      maxQueueBytes: positiveInt().default(128 * 1_048_576).describe('Most ciphertext bytes waiting in one device queue.'),
      defaultTtlSeconds: positiveInt().default(30 * 24 * 3600).describe('TTL of a message sent without one.'),
      maxTtlSeconds: positiveInt().default(30 * 24 * 3600).describe('Longest TTL a sender may ask for.'),
      sendRecordRetentionSeconds: positiveInt().default(30 * 24 * 3600).describe('How long a send is remembered for client-id dedup and read-receipt routing.'),
      maxDevicesPerAccount: positiveInt().max(1000).default(10).describe('Most devices on one account device list.'),
      maxPrekeysPerUpload: positiveInt().default(100).describe('Most one-time prekeys of each kind in one upload.'),
      maxPrekeyPool: positiveInt().default(500).describe('Most stored one-time prekeys of each kind per device.'),
      maxBadFrames: positiveInt().default(20).describe('Invalid frames tolerated on one connection before it is closed with 4002.'),
    })
    .prefault({})
    .describe('Size and count limits.'),

  delivery: z
    .strictObject({
      window: positiveInt().max(10_000).default(64).describe('Queued envelopes sent to a device and not yet acked, at most.'),
      slowConsumerBytes: positiveInt().default(8 * 1_048_576).describe('Unsent bytes buffered for one WebSocket before it is closed as a slow consumer (4500).'),
      expirySweepIntervalMs: positiveInt().default(60_000).describe('How often expired messages, challenges and send records are removed.'),
      expiryBatch: positiveInt().default(1_000).describe('Most expired rows handled per sweep step.'),
    })
    .prefault({})
    .describe('WebSocket delivery.'),

  presence: z
    .strictObject({
      heartbeatIntervalMs: positiveInt().default(30_000).describe('WebSocket ping interval; a peer that misses one pong is closed, so a dead peer is found within twice this.'),
      lastSeenWriteIntervalMs: positiveInt()
        .max(60_000)
        .default(5_000)
        .describe("How long a device's \"last seen\" time may wait in memory before it is written to the database (all waiting times go in one write; a crash loses at most this much of them, never a message)."),
    })
    .prefault({})
    .describe('Presence and heartbeats.'),

  prekeys: z
    .strictObject({
      lowWatermark: nonNegativeInt().default(10).describe('A device is told (prekeys.low frame) when a one-time pool falls below this.'),
    })
    .prefault({})
    .describe('Prekey pools.'),

  provisioning: z
    .strictObject({
      ttlSeconds: positiveInt().max(86_400).default(600).describe('Lifetime of a provisioning channel for linking a new device; it and its messages vanish after it.'),
      maxMessageBytes: positiveInt().max(1_048_576).default(65_536).describe('Largest ciphertext (decoded bytes) in one provisioning message.'),
      maxMessagesPerRole: positiveInt().max(1_000).default(8).describe('Most uncollected messages waiting for one party of a channel.'),
      maxChannels: positiveInt().default(1_000).describe('Most provisioning channels open at once on this relay (they are held in memory only).'),
      maxTotalBytes: positiveInt().default(32 * 1_048_576).describe('Most ciphertext bytes held in all provisioning channels together.'),
    })
    .prefault({})
    .describe('Provisioning channels: short-lived in-memory mailboxes through which an existing device hands account material to a new one (docs/api.md "Linking a device"). Never stored.'),

  devices: z
    .strictObject({
      idleRemovalDays: positiveInt()
        .nullable()
        .default(null)
        .describe('Hide devices not seen for this many days from bundles and sends and drop their queues. Null (the default): never.'),
    })
    .prefault({})
    .describe('Device lifecycle.'),

  rateLimits: z
    .strictObject({
      bundlePerRequester: rateRule(120, 60_000, 'Bundle fetches by one requesting account.'),
      bundlePerTarget: rateRule(300, 60_000, 'Bundle fetches of one target account, from everyone (prekey exhaustion).'),
      bundlePerPair: rateRule(6, 600_000, 'Bundle fetches by one account of one target account.'),
      sendPerDevice: rateRule(600, 60_000, 'Send frames from one device.'),
      authPerAddress: rateRule(60, 60_000, 'Challenge and session requests from one client address.'),
      registerPerAddress: rateRule(10, 3_600_000, 'Registrations from one client address.'),
      requestsPerDevice: rateRule(600, 60_000, 'Authenticated HTTP requests from one device.'),
      provisioningCreatePerAddress: rateRule(10, 600_000, 'Provisioning channels opened from one client address.'),
      provisioningPerAddress: rateRule(240, 60_000, 'Provisioning message requests (put, get, close) from one client address.'),
    })
    .prefault({})
    .describe('Rate limits (token buckets). Over the limit: HTTP 429 with Retry-After, or an error frame with retryAfterMs.'),

  metrics: z
    .strictObject({
      enabled: z.boolean().default(true).describe('Serve Prometheus metrics on GET /metrics.'),
    })
    .prefault({})
    .describe('Prometheus metrics.'),

  // Sections owned by their modules (docs/media.md, docs/push.md), mounted here so there is one config.
  media: mediaConfigSchema,
  push: pushConfigSchema,
});

export type RelayConfig = z.infer<typeof configSchema>;
/** What a config file, the environment or flags may hold: any subset of the options. */
export type RelayConfigInput = z.input<typeof configSchema>;

/** The configuration with every default filled in. */
export function defaultConfig(): RelayConfig {
  return configSchema.parse({});
}

/**
 * The origin signed into auth challenges: the configured one, or http://host:port using the
 * port actually bound (which differs from the configured one when that is 0).
 */
export function relayOrigin(config: RelayConfig, boundPort: number = config.server.port): string {
  if (config.server.publicOrigin !== null) return new URL(config.server.publicOrigin).origin;
  const host = config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host;
  return `http://${host}:${boundPort}`;
}
