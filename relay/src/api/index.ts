/**
 * @sealpost/relay/api — the relay's wire contract for clients: zod schemas and types of every
 * HTTP body and WebSocket frame, and the error table. No server code (docs/api.md).
 */
export { API_VERSION, WS_PATH, base64url, accountIdSchema, deviceIdSchema, deviceAddressSchema, clientIdSchema, messageIdSchema, usernameSchema, errorBodySchema } from './common.js';
export type { DeviceAddressJson, ErrorBody } from './common.js';
export {
  challengeResponseSchema,
  sessionRequestSchema,
  sessionResponseSchema,
  registerRequestSchema,
  registerResponseSchema,
  accountResponseSchema,
  deviceListResponseSchema,
  deviceListUpdateSchema,
  deviceListUpdateResponseSchema,
  prekeyUploadSchema,
  prekeyCountsSchema,
  bundleQuerySchema,
  deviceBundleSchema,
  bundleResponseSchema,
  presenceViewersSchema,
  presenceResponseSchema,
  healthResponseSchema,
} from './http.js';
export type {
  ChallengeResponse,
  SessionRequest,
  SessionResponse,
  RegisterRequest,
  RegisterResponse,
  AccountResponse,
  DeviceListResponse,
  DeviceListUpdate,
  DeviceListUpdateResponse,
  PrekeyUpload,
  PrekeyCountsResponse,
  DeviceBundleJson,
  BundleResponse,
  PresenceViewers,
  PresenceResponse,
} from './http.js';
export {
  CLIENT_FRAME_TYPES,
  copySchema,
  sendFrameSchema,
  ackFrameSchema,
  readFrameSchema,
  pingFrameSchema,
  clientFrameSchema,
  helloFrameSchema,
  messageFrameSchema,
  receiptBodySchema,
  receiptFrameSchema,
  expiredBodySchema,
  expiredFrameSchema,
  drainedFrameSchema,
  sentFrameSchema,
  errorFrameSchema,
  prekeysLowFrameSchema,
  pongFrameSchema,
  serverFrameSchema,
} from './frames.js';
export type {
  SendFrame,
  AckFrame,
  ReadFrame,
  PingFrame,
  ClientFrame,
  HelloFrame,
  MessageFrame,
  ReceiptBody,
  ReceiptFrame,
  ExpiredBody,
  ExpiredFrame,
  DrainedFrame,
  SentFrame,
  ErrorFrame,
  PrekeysLowFrame,
  PongFrame,
  ServerFrame,
} from './frames.js';
export { RELAY_ERRORS } from '../errors.js';
export type { RelayErrorCode, RelayErrorInfo } from '../errors.js';
