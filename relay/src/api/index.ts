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
  PROVISIONING_ROLES,
  PROVISIONING_MAX_WAIT_MS,
  provisioningRoleSchema,
  provisioningChannelIdSchema,
  provisioningChannelSchema,
  provisioningMessageSchema,
  provisioningWaitQuerySchema,
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
  ProvisioningRole,
  ProvisioningChannel,
  ProvisioningMessage,
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
  presenceFrameSchema,
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
  PresenceFrame,
  ServerFrame,
} from './frames.js';
export {
  MEDIA_ID_PATTERN,
  mediaIdSchema,
  mediaUploadRequestSchema,
  mediaUploadResponseSchema,
  mediaInfoSchema,
  mediaDownloadResponseSchema,
  mediaUsageSchema,
  mediaParamsSchema,
} from './media.js';
export type { MediaUploadRequest, MediaUploadResponse, MediaInfoJson, MediaDownloadResponse, MediaUsageJson } from './media.js';
export { MAX_ENDPOINT_LENGTH, pushSubscriptionRequestSchema, vapidKeyResponseSchema, pushStatusResponseSchema } from './push.js';
export type { PushSubscriptionRequest, VapidKeyResponse, PushStatusResponse } from './push.js';
export { RELAY_ERRORS } from '../errors.js';
export type { RelayErrorCode, RelayErrorInfo } from '../errors.js';
