/**
 * Checks of what the relay sends (HTTP bodies and WebSocket frames), typed by the relay's own
 * contract (`@sealpost/relay/api`, imported for its types only).
 *
 * Why not the relay's zod schemas: they are strict by design (the relay refuses unknown fields
 * from clients), but a client must accept fields a newer relay adds; and loading zod and building
 * every schema is a large share of a command's start-up. The checks below verify exactly what the
 * client reads and ignore anything else. Each is assigned to the contract type, so a change in
 * the contract that they do not follow fails to compile.
 */
import type {
  AccountResponse,
  BundleResponse,
  ChallengeResponse,
  DeviceListResponse,
  DeviceListUpdateResponse,
  ErrorBody,
  MediaDownloadResponse,
  MediaInfoJson,
  MediaUploadResponse,
  PrekeyCountsResponse,
  PresenceResponse,
  PresenceViewers,
  PushStatusResponse,
  RegisterResponse,
  ServerFrame,
  SessionResponse,
  VapidKeyResponse,
} from '@sealpost/relay/api';

/** The WebSocket path (the relay's WS_PATH; a unit test keeps the two equal). */
export const WS_PATH = '/v1/ws';

export class WireError extends Error {}

type Check<T> = (value: unknown, path: string) => T;

const fail = (path: string, what: string): never => {
  throw new WireError(`${path}: expected ${what}`);
};

const string: Check<string> = (v, p) => (typeof v === 'string' ? v : fail(p, 'a string'));
const b64: Check<string> = (v, p) => (typeof v === 'string' && /^[A-Za-z0-9_-]*$/.test(v) ? v : fail(p, 'base64url text'));
const int: Check<number> = (v, p) => (typeof v === 'number' && Number.isSafeInteger(v) ? v : fail(p, 'an integer'));
const bool: Check<boolean> = (v, p) => (typeof v === 'boolean' ? v : fail(p, 'true or false'));
const nullable =
  <T>(check: Check<T>): Check<T | null> =>
  (v, p) =>
    v === null ? null : check(v, p);
const optional =
  <T>(check: Check<T>): Check<T | undefined> =>
  (v, p) =>
    v === undefined ? undefined : check(v, p);
const array =
  <T>(check: Check<T>): Check<T[]> =>
  (v, p) =>
    Array.isArray(v) ? v.map((item, i) => check(item, `${p}[${i}]`)) : fail(p, 'an array');
const literal =
  <T extends string | number | boolean>(value: T): Check<T> =>
  (v, p) =>
    v === value ? value : fail(p, JSON.stringify(value));
const oneOf =
  <T extends string>(values: readonly T[]): Check<T> =>
  (v, p) =>
    values.includes(v as T) ? (v as T) : fail(p, values.join(' | '));
const record: Check<Record<string, unknown>> = (v, p) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : fail(p, 'an object'));

type Shape = Record<string, Check<unknown>>;
type Checked<S extends Shape> = { [K in keyof S as undefined extends ReturnType<S[K]> ? never : K]: ReturnType<S[K]> } & {
  [K in keyof S as undefined extends ReturnType<S[K]> ? K : never]?: Exclude<ReturnType<S[K]>, undefined>;
};

/** An object with these fields (others are ignored and dropped). */
function object<S extends Shape>(shape: S): Check<Checked<S>> {
  return (v, p) => {
    const input = record(v, p);
    const out: Record<string, unknown> = {};
    for (const [key, check] of Object.entries(shape)) {
      const value = check(input[key], `${p}.${key}`);
      if (value !== undefined) out[key] = value;
    }
    return out as Checked<S>;
  };
}

const stringRecord: Check<Record<string, string>> = (v, p) => {
  const input = record(v, p);
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(input)) out[key] = string(value, `${p}.${key}`);
  return out;
};

const deviceAddress = object({ accountId: string, deviceId: int });
const details = optional(record);

export const checkChallenge: Check<ChallengeResponse> = object({ nonce: b64, origin: string, issuedAt: int, expiresAt: int });
export const checkSession: Check<SessionResponse> = object({ token: string, expiresAt: int });
export const checkRegister: Check<RegisterResponse> = object({ accountId: string, username: nullable(string), deviceListVersion: int });
export const checkAccount: Check<AccountResponse> = object({ accountId: string, accountKey: b64, username: nullable(string) });
export const checkDeviceList: Check<DeviceListResponse> = object({ accountId: string, version: int, deviceList: b64 });
export const checkDeviceListUpdate: Check<DeviceListUpdateResponse> = object({ version: int, added: array(int), removed: array(int), replaced: array(int) });
export const checkPrekeyCounts: Check<PrekeyCountsResponse> = object({ oneTimeX25519: int, oneTimeKem: int, signedPrekey: bool, lastResortKem: bool, lowWatermark: int });
export const checkBundles: Check<BundleResponse> = object({
  accountId: string,
  accountKey: b64,
  deviceListVersion: int,
  deviceList: b64,
  bundles: array(object({ deviceId: int, signedPrekey: nullable(b64), oneTimePrekey: nullable(b64), kemPrekey: nullable(b64), kemLastResort: bool })),
});
export const checkPresence: Check<PresenceResponse> = object({ accountId: string, online: bool, lastSeenAt: nullable(int) });
export const checkPresenceViewers: Check<PresenceViewers> = object({ accountIds: array(string) });
export const checkMediaUpload: Check<MediaUploadResponse> = object({
  mediaId: b64,
  size: int,
  upload: object({ url: string, method: literal('PUT'), headers: stringRecord }),
  uploadExpiresAt: int,
  completeBy: int,
  expiresAt: int,
});
export const checkMediaInfo: Check<MediaInfoJson> = object({ mediaId: b64, size: int, state: oneOf(['pending', 'stored'] as const), createdAt: int, expiresAt: int });
export const checkMediaDownload: Check<MediaDownloadResponse> = object({ mediaId: b64, url: string, size: int, urlExpiresAt: int, expiresAt: int });
export const checkVapidKey: Check<VapidKeyResponse> = object({ publicKey: b64 });
const pushSubscribed = object({ subscribed: literal(true), endpoint: string, createdAt: int, failureCount: int });
const pushUnsubscribed = object({ subscribed: literal(false) });
export const checkPushStatus: Check<PushStatusResponse> = (v, p) => (record(v, p).subscribed === true ? pushSubscribed(v, p) : pushUnsubscribed(v, p));
export const checkErrorBody: Check<ErrorBody> = object({ error: object({ code: string, message: string, details }) });

const FRAME_CHECKS: { readonly [T in ServerFrame['type']]: Check<Extract<ServerFrame, { type: T }>> } = {
  hello: object({ v: literal(1), type: literal('hello'), accountId: string, deviceId: int, connectionId: string, window: int, heartbeatIntervalMs: int, maxFrameBytes: int, maxEnvelopeBytes: int }),
  message: object({
    v: literal(1),
    type: literal('message'),
    seq: optional(int),
    messageId: optional(string),
    from: deviceAddress,
    sentAt: int,
    expiresAt: optional(int),
    ciphertext: b64,
    onlineOnly: optional(bool),
  }),
  receipt: object({ v: literal(1), type: literal('receipt'), seq: int, kind: oneOf(['delivered', 'read'] as const), by: deviceAddress, messageIds: array(string), at: int }),
  expired: object({ v: literal(1), type: literal('expired'), seq: int, messageId: string, devices: array(deviceAddress), at: int }),
  drained: object({ v: literal(1), type: literal('drained') }),
  sent: object({
    v: literal(1),
    type: literal('sent'),
    clientId: string,
    messageId: optional(string),
    sentAt: int,
    expiresAt: optional(int),
    stored: int,
    duplicate: bool,
    deliveredOnline: optional(int),
  }),
  error: object({ v: literal(1), type: literal('error'), code: string, message: string, ref: optional(string), details, retryAfterMs: optional(int) }),
  'prekeys.low': object({ v: literal(1), type: literal('prekeys.low'), oneTimeX25519: int, oneTimeKem: int, lowWatermark: int }),
  pong: object({ v: literal(1), type: literal('pong'), id: optional(string) }),
  presence: object({ v: literal(1), type: literal('presence'), accountId: string, online: bool, lastSeen: int }),
};

/**
 * A server frame, or undefined for a frame this client does not know (a newer relay may add
 * types). Throws WireError for a known type with missing or wrong fields.
 */
export function checkServerFrame(value: unknown): ServerFrame | undefined {
  const frame = record(value, 'frame');
  const type = frame.type;
  if (typeof type !== 'string' || !Object.hasOwn(FRAME_CHECKS, type)) return undefined;
  return FRAME_CHECKS[type as ServerFrame['type']](value, type) as ServerFrame;
}

/** Adapts a check to the `safeParse` shape RelayHttp uses. */
export function parser<T>(check: Check<T>): { safeParse(value: unknown): { success: true; data: T } | { success: false; error: { message: string } } } {
  return {
    safeParse(value) {
      try {
        return { success: true, data: check(value, 'body') };
      } catch (error) {
        if (error instanceof WireError) return { success: false, error: { message: error.message } };
        throw error;
      }
    },
  };
}
