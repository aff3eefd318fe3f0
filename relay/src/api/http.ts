/**
 * HTTP request and response bodies of the relay's /v1 routes (docs/api.md has an example of
 * each). Request schemas are strict: unknown fields are refused, not ignored.
 */
import { z } from 'zod';
import { accountIdSchema, base64url, deviceIdSchema } from './common.js';

// Generous hard caps on encoded sizes; the configured limits are checked after decoding.
const KEY_CHARS = 4_096; // an encoded ML-KEM-1024 prekey with signature is ~2.2 kB of base64url
const LIST_CHARS = 16_384; // 100 devices × 70 bytes
const MAX_UPLOAD_KEYS = 1_000;

// POST /v1/auth/challenge
export const challengeResponseSchema = z.strictObject({
  nonce: base64url(64),
  origin: z.string(),
  issuedAt: z.number().int(),
  expiresAt: z.number().int(),
});
export type ChallengeResponse = z.infer<typeof challengeResponseSchema>;

// POST /v1/auth/session
export const sessionRequestSchema = z.strictObject({
  accountId: accountIdSchema,
  deviceId: deviceIdSchema,
  nonce: base64url(64),
  signature: base64url(128),
});
export type SessionRequest = z.infer<typeof sessionRequestSchema>;
export const sessionResponseSchema = z.strictObject({ token: z.string(), expiresAt: z.number().int() });
export type SessionResponse = z.infer<typeof sessionResponseSchema>;

// POST /v1/accounts
export const registerRequestSchema = z.strictObject({
  /** Encoded (typed) Ed25519 account key. */
  accountKey: base64url(64),
  /** Signed device list, version ≥ 1, that lists `deviceId`. */
  deviceList: base64url(LIST_CHARS),
  /** The registering device, which answers the challenge below with its signing key. */
  deviceId: deviceIdSchema,
  nonce: base64url(64),
  signature: base64url(128),
  username: z.string().max(64).optional(),
  invite: z.string().max(128).optional(),
});
export type RegisterRequest = z.infer<typeof registerRequestSchema>;
export const registerResponseSchema = z.strictObject({
  accountId: accountIdSchema,
  username: z.string().nullable(),
  deviceListVersion: z.number().int(),
});
export type RegisterResponse = z.infer<typeof registerResponseSchema>;

// GET /v1/accounts/:accountId and GET /v1/usernames/:username
export const accountResponseSchema = z.strictObject({
  accountId: accountIdSchema,
  accountKey: base64url(64),
  username: z.string().nullable(),
});
export type AccountResponse = z.infer<typeof accountResponseSchema>;

// GET /v1/accounts/:accountId/device-list
export const deviceListResponseSchema = z.strictObject({
  accountId: accountIdSchema,
  version: z.number().int(),
  deviceList: base64url(LIST_CHARS),
});
export type DeviceListResponse = z.infer<typeof deviceListResponseSchema>;

// PUT /v1/device-list
export const deviceListUpdateSchema = z.strictObject({ deviceList: base64url(LIST_CHARS) });
export type DeviceListUpdate = z.infer<typeof deviceListUpdateSchema>;
export const deviceListUpdateResponseSchema = z.strictObject({
  version: z.number().int(),
  added: z.array(deviceIdSchema),
  removed: z.array(deviceIdSchema),
  replaced: z.array(deviceIdSchema),
});
export type DeviceListUpdateResponse = z.infer<typeof deviceListUpdateResponseSchema>;

// PUT /v1/prekeys
export const prekeyUploadSchema = z.strictObject({
  /** Signed X25519 prekey (replaces the current one). */
  signedPrekey: base64url(KEY_CHARS).optional(),
  /** Signed last-resort ML-KEM-1024 prekey (replaces the current one). */
  lastResortKem: base64url(KEY_CHARS).optional(),
  /** Unsigned one-time X25519 prekeys, added to the pool. */
  oneTimeX25519: z.array(base64url(KEY_CHARS)).max(MAX_UPLOAD_KEYS).optional(),
  /** Signed one-time ML-KEM-1024 prekeys, added to the pool. */
  oneTimeKem: z.array(base64url(KEY_CHARS)).max(MAX_UPLOAD_KEYS).optional(),
});
export type PrekeyUpload = z.infer<typeof prekeyUploadSchema>;

// PUT /v1/prekeys and GET /v1/prekeys/counts
export const prekeyCountsSchema = z.strictObject({
  oneTimeX25519: z.number().int(),
  oneTimeKem: z.number().int(),
  signedPrekey: z.boolean(),
  lastResortKem: z.boolean(),
  lowWatermark: z.number().int(),
});
export type PrekeyCountsResponse = z.infer<typeof prekeyCountsSchema>;

// GET /v1/accounts/:accountId/bundles[?devices=1,2]
export const bundleQuerySchema = z.strictObject({
  devices: z
    .string()
    .regex(/^\d{1,10}(,\d{1,10}){0,99}$/, 'expected comma-separated device ids')
    .optional(),
});
export const deviceBundleSchema = z.strictObject({
  deviceId: deviceIdSchema,
  signedPrekey: base64url(KEY_CHARS).nullable(),
  oneTimePrekey: base64url(KEY_CHARS).nullable(),
  kemPrekey: base64url(KEY_CHARS).nullable(),
  kemLastResort: z.boolean(),
});
export type DeviceBundleJson = z.infer<typeof deviceBundleSchema>;
export const bundleResponseSchema = z.strictObject({
  accountId: accountIdSchema,
  accountKey: base64url(64),
  deviceListVersion: z.number().int(),
  deviceList: base64url(LIST_CHARS),
  bundles: z.array(deviceBundleSchema),
});
export type BundleResponse = z.infer<typeof bundleResponseSchema>;

// PUT and GET /v1/presence/viewers
export const presenceViewersSchema = z.strictObject({ accountIds: z.array(accountIdSchema).max(1_000) });
export type PresenceViewers = z.infer<typeof presenceViewersSchema>;

// GET /v1/accounts/:accountId/presence
export const presenceResponseSchema = z.strictObject({
  accountId: accountIdSchema,
  online: z.boolean(),
  lastSeenAt: z.number().int().nullable(),
});
export type PresenceResponse = z.infer<typeof presenceResponseSchema>;

// Provisioning (linking a new device): POST /v1/provisioning, then
// PUT / GET /v1/provisioning/:channelId/messages/:role, DELETE /v1/provisioning/:channelId.
const PROVISIONING_CHARS = 1_398_102; // 1 MiB decoded; provisioning.maxMessageBytes is checked after decoding
export const PROVISIONING_ROLES = ['initiator', 'joiner'] as const;
export const provisioningRoleSchema = z.enum(PROVISIONING_ROLES);
export type ProvisioningRole = z.infer<typeof provisioningRoleSchema>;
/** 128 random bits, unpadded base64url: the capability that names a channel. */
export const provisioningChannelIdSchema = z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'expected a 22-character channel id');
/** Longest a GET may wait for a message (long poll). */
export const PROVISIONING_MAX_WAIT_MS = 30_000;

export const provisioningChannelSchema = z.strictObject({
  channelId: provisioningChannelIdSchema,
  expiresAt: z.number().int(),
});
export type ProvisioningChannel = z.infer<typeof provisioningChannelSchema>;
/** Body of a PUT, and of a GET that found a message: opaque ciphertext, end-to-end encrypted by the two devices. */
export const provisioningMessageSchema = z.strictObject({ ciphertext: base64url(PROVISIONING_CHARS).min(1) });
export type ProvisioningMessage = z.infer<typeof provisioningMessageSchema>;
export const provisioningWaitQuerySchema = z.strictObject({
  waitMs: z
    .string()
    .regex(/^\d{1,5}$/, 'expected milliseconds')
    .refine((text) => Number(text) <= PROVISIONING_MAX_WAIT_MS, `at most ${PROVISIONING_MAX_WAIT_MS}`)
    .optional(),
});

// GET /healthz and /readyz
export const healthResponseSchema = z.strictObject({ status: z.enum(['ok', 'unavailable']) });
