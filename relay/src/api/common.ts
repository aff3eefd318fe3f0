/**
 * Building blocks of the wire contract: how ids, binary fields and errors look in JSON. Binary
 * structures travel as unpadded base64url strings (RFC 4648 §5); the relay decodes them strictly
 * (canonical form only) after schema validation.
 */
import { isAccountId } from '@sealpost/crypto/public';
import { z } from 'zod';
import { ValidMemo } from './valid-memo.js';

/** Wire-format version carried by every WebSocket frame (`v`) and in every HTTP path (/v1). */
export const API_VERSION = 1;
export const WS_PATH = '/v1/ws';

/** Unpadded base64url text of at most `maxChars` characters. */
export const base64url = (maxChars: number) =>
  z
    .string()
    .max(maxChars)
    .regex(/^[A-Za-z0-9_-]*$/, 'expected unpadded base64url');

/**
 * Account ids already found valid. The checksum costs a SHA-256 per check, and every send frame
 * and many requests name an account; 10,000 ids (under 1 MB) cover the active accounts of a relay.
 */
export const knownAccountIds = new ValidMemo(isAccountId, 10_000);

/** An account id ("sp1…") with a valid checksum. */
export const accountIdSchema = z.string().refine((text) => knownAccountIds.test(text), 'expected an account id (sp1…) with a valid checksum');

/** Device ids are u32, chosen by the account when it lists the device. */
export const deviceIdSchema = z.number().int().min(0).max(0xffffffff);

export const deviceAddressSchema = z.strictObject({ accountId: accountIdSchema, deviceId: deviceIdSchema });
export type DeviceAddressJson = z.infer<typeof deviceAddressSchema>;

/** A sender-chosen idempotency key for one send (unique per sending device). */
export const clientIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._:-]+$/, 'expected 1-64 characters of A-Z a-z 0-9 . _ : -');

/** Relay-assigned id of one send (shared by all its copies). */
export const messageIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/);

export const usernameSchema = z.string().min(3).max(32);

/** The body of every HTTP error response. */
export const errorBodySchema = z.strictObject({
  error: z.strictObject({
    code: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;
