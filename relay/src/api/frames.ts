/**
 * WebSocket frames (text frames of UTF-8 JSON, one object each, `v` = 1). Client frames are
 * validated strictly; an invalid frame is answered with an `error` frame and the connection stays
 * open (until limits.maxBadFrames). Every relay frame that carries a `seq` is queued durably and
 * must be acknowledged with an `ack` frame; frames without `seq` are not stored.
 */
import { z } from 'zod';
import { accountIdSchema, base64url, clientIdSchema, deviceAddressSchema, deviceIdSchema, messageIdSchema } from './common.js';

const v = z.literal(1);
const CIPHERTEXT_CHARS = 1_398_104; // 1 MiB decoded; the configured limits.maxEnvelopeBytes is checked after decoding
const MAX_COPIES = 1_000;

export const copySchema = z.strictObject({ deviceId: deviceIdSchema, ciphertext: base64url(CIPHERTEXT_CHARS) });

// ---- client → relay ----

export const sendFrameSchema = z.strictObject({
  v,
  type: z.literal('send'),
  clientId: clientIdSchema,
  /** The recipient account. */
  to: accountIdSchema,
  /** One ciphertext per device on the recipient's current device list. */
  copies: z.array(copySchema).min(1).max(MAX_COPIES),
  /** One ciphertext per other device on the sender's own list (all but the sending device). */
  selfCopies: z.array(copySchema).max(MAX_COPIES).optional(),
  /** Device-list version the copies were made for; newer devices with a reused id are "stale". */
  listVersion: z.number().int().min(0).optional(),
  selfListVersion: z.number().int().min(0).optional(),
  ttlSeconds: z.number().int().positive().optional(),
  /** Deliver only to devices online now and never store (typing indicators). */
  onlineOnly: z.boolean().optional(),
});
export type SendFrame = z.infer<typeof sendFrameSchema>;

export const ackFrameSchema = z.strictObject({ v, type: z.literal('ack'), seqs: z.array(z.number().int().positive()).min(1).max(1_000) });
export type AckFrame = z.infer<typeof ackFrameSchema>;

export const readFrameSchema = z.strictObject({ v, type: z.literal('read'), messageIds: z.array(messageIdSchema).min(1).max(500) });
export type ReadFrame = z.infer<typeof readFrameSchema>;

export const pingFrameSchema = z.strictObject({ v, type: z.literal('ping'), id: z.string().max(64).optional() });
export type PingFrame = z.infer<typeof pingFrameSchema>;

export const CLIENT_FRAME_TYPES = ['send', 'ack', 'read', 'ping'] as const;
export const clientFrameSchema = z.discriminatedUnion('type', [sendFrameSchema, ackFrameSchema, readFrameSchema, pingFrameSchema]);
export type ClientFrame = z.infer<typeof clientFrameSchema>;

// ---- relay → client ----

export const helloFrameSchema = z.strictObject({
  v,
  type: z.literal('hello'),
  accountId: accountIdSchema,
  deviceId: deviceIdSchema,
  connectionId: z.string(),
  window: z.number().int(),
  heartbeatIntervalMs: z.number().int(),
  maxFrameBytes: z.number().int(),
  maxEnvelopeBytes: z.number().int(),
});
export type HelloFrame = z.infer<typeof helloFrameSchema>;

export const messageFrameSchema = z.strictObject({
  v,
  type: z.literal('message'),
  /** Absent for online-only envelopes, which are neither stored nor acked. */
  seq: z.number().int().positive().optional(),
  messageId: messageIdSchema.optional(),
  from: deviceAddressSchema,
  sentAt: z.number().int(),
  expiresAt: z.number().int().optional(),
  ciphertext: base64url(CIPHERTEXT_CHARS),
  onlineOnly: z.boolean().optional(),
});
export type MessageFrame = z.infer<typeof messageFrameSchema>;

/** Body of a receipt as queued (the relay adds `v`, `type` and `seq` when delivering). */
export const receiptBodySchema = z.strictObject({
  kind: z.enum(['delivered', 'read']),
  /** The recipient device that acknowledged or read. */
  by: deviceAddressSchema,
  messageIds: z.array(messageIdSchema),
  at: z.number().int(),
});
export type ReceiptBody = z.infer<typeof receiptBodySchema>;
export const receiptFrameSchema = receiptBodySchema.extend({ v, type: z.literal('receipt'), seq: z.number().int().positive() });
export type ReceiptFrame = z.infer<typeof receiptFrameSchema>;

/** Body of an expiry report: these copies of your message expired undelivered. */
export const expiredBodySchema = z.strictObject({
  messageId: messageIdSchema,
  devices: z.array(deviceAddressSchema),
  at: z.number().int(),
});
export type ExpiredBody = z.infer<typeof expiredBodySchema>;
export const expiredFrameSchema = expiredBodySchema.extend({ v, type: z.literal('expired'), seq: z.number().int().positive() });
export type ExpiredFrame = z.infer<typeof expiredFrameSchema>;

export const drainedFrameSchema = z.strictObject({ v, type: z.literal('drained') });
export type DrainedFrame = z.infer<typeof drainedFrameSchema>;

export const sentFrameSchema = z.strictObject({
  v,
  type: z.literal('sent'),
  clientId: clientIdSchema,
  /** Absent for online-only sends. */
  messageId: messageIdSchema.optional(),
  sentAt: z.number().int(),
  expiresAt: z.number().int().optional(),
  /** Copies committed durably (0 for online-only). */
  stored: z.number().int(),
  /** True when this client id was already sent: this is the original ack, nothing new was stored. */
  duplicate: z.boolean(),
  /** Online-only: how many device connections it reached. */
  deliveredOnline: z.number().int().optional(),
});
export type SentFrame = z.infer<typeof sentFrameSchema>;

export const errorFrameSchema = z.strictObject({
  v,
  type: z.literal('error'),
  code: z.string(),
  message: z.string(),
  /** The clientId of the send this answers, or the frame type. */
  ref: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
  retryAfterMs: z.number().int().optional(),
});
export type ErrorFrame = z.infer<typeof errorFrameSchema>;

export const prekeysLowFrameSchema = z.strictObject({
  v,
  type: z.literal('prekeys.low'),
  oneTimeX25519: z.number().int(),
  oneTimeKem: z.number().int(),
  lowWatermark: z.number().int(),
});
export type PrekeysLowFrame = z.infer<typeof prekeysLowFrameSchema>;

export const pongFrameSchema = z.strictObject({ v, type: z.literal('pong'), id: z.string().optional() });
export type PongFrame = z.infer<typeof pongFrameSchema>;

/**
 * An account that allowed this account to see its presence went online (its first device
 * connected) or offline (its last device disconnected). Live only: never queued, never acked.
 */
export const presenceFrameSchema = z.strictObject({
  v,
  type: z.literal('presence'),
  accountId: accountIdSchema,
  online: z.boolean(),
  /** When the transition happened (ms since the epoch). */
  lastSeen: z.number().int(),
});
export type PresenceFrame = z.infer<typeof presenceFrameSchema>;

export const serverFrameSchema = z.discriminatedUnion('type', [
  helloFrameSchema,
  messageFrameSchema,
  receiptFrameSchema,
  expiredFrameSchema,
  drainedFrameSchema,
  sentFrameSchema,
  errorFrameSchema,
  prekeysLowFrameSchema,
  pongFrameSchema,
  presenceFrameSchema,
]);
export type ServerFrame = z.infer<typeof serverFrameSchema>;
