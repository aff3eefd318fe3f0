import { mediaDownloadResponseSchema, mediaInfoSchema, mediaUploadResponseSchema, pushStatusResponseSchema, serverFrameSchema, vapidKeyResponseSchema, WS_PATH as RELAY_WS_PATH } from '@sealpost/relay/api';
import { describe, expect, it } from 'vitest';
import {
  checkBundles,
  checkChallenge,
  checkErrorBody,
  checkMediaDownload,
  checkMediaInfo,
  checkMediaUpload,
  checkPushStatus,
  checkServerFrame,
  checkVapidKey,
  parser,
  WireError,
  WS_PATH,
} from '../../src/transport/wire-checks.js';

const alice = 'sp1c9gwc3kty36ifxkkweu4z9wkn9va892ymidyy';

const FRAMES: Array<Record<string, unknown>> = [
  { v: 1, type: 'hello', accountId: alice, deviceId: 1, connectionId: 'c1', window: 32, heartbeatIntervalMs: 30000, maxFrameBytes: 1000, maxEnvelopeBytes: 900 },
  { v: 1, type: 'message', seq: 3, messageId: 'm1', from: { accountId: alice, deviceId: 2 }, sentAt: 5, ciphertext: 'AAEC' },
  { v: 1, type: 'message', from: { accountId: alice, deviceId: 2 }, sentAt: 5, ciphertext: 'AAEC', onlineOnly: true },
  { v: 1, type: 'receipt', seq: 4, kind: 'read', by: { accountId: alice, deviceId: 1 }, messageIds: ['m1'], at: 9 },
  { v: 1, type: 'expired', seq: 5, messageId: 'm1', devices: [{ accountId: alice, deviceId: 1 }], at: 9 },
  { v: 1, type: 'drained' },
  { v: 1, type: 'sent', clientId: 'c', messageId: 'm1', sentAt: 1, stored: 2, duplicate: false },
  { v: 1, type: 'error', code: 'RELAY_ERR_DEVICE_MISMATCH', message: 'x', ref: 'c', details: { missing: [] } },
  { v: 1, type: 'prekeys.low', oneTimeX25519: 1, oneTimeKem: 2, lowWatermark: 10 },
  { v: 1, type: 'pong' },
  { v: 1, type: 'presence', accountId: alice, online: true, lastSeen: 7 },
];

describe('wire checks', () => {
  it('use the relay WebSocket path', () => {
    expect(WS_PATH).toBe(RELAY_WS_PATH);
  });

  it('accept every frame the relay schema accepts, field for field', () => {
    for (const frame of FRAMES) {
      expect(serverFrameSchema.safeParse(frame).success, String(frame.type)).toBe(true);
      expect(checkServerFrame(frame), String(frame.type)).toEqual(frame);
    }
  });

  it('ignore fields a newer relay adds, and frame types it invents', () => {
    expect(checkServerFrame({ v: 1, type: 'drained', backlog: 3 })).toEqual({ v: 1, type: 'drained' });
    expect(checkServerFrame({ v: 1, type: 'weather', accountId: alice })).toBeUndefined();
  });

  it('reject a known frame with a missing or mistyped field', () => {
    expect(() => checkServerFrame({ v: 1, type: 'receipt', seq: 4, kind: 'seen', by: { accountId: alice, deviceId: 1 }, messageIds: [], at: 1 })).toThrow(WireError);
    expect(() => checkServerFrame({ v: 1, type: 'message', from: { accountId: alice }, sentAt: 1, ciphertext: 'AA' })).toThrow(/from.deviceId/);
    expect(() => checkServerFrame({ v: 1, type: 'message', from: { accountId: alice, deviceId: 1 }, sentAt: 1, ciphertext: 'not base64!' })).toThrow(WireError);
    expect(() => checkServerFrame({ v: 2, type: 'drained' })).toThrow(WireError);
  });

  it('check HTTP bodies, including nullable and nested fields', () => {
    expect(parser(checkChallenge).safeParse({ nonce: 'AA', origin: 'http://x', issuedAt: 1, expiresAt: 2 }).success).toBe(true);
    expect(parser(checkChallenge).safeParse({ nonce: 'AA', origin: 'http://x', issuedAt: '1', expiresAt: 2 })).toMatchObject({ success: false });
    const bundles = { accountId: alice, accountKey: 'AA', deviceListVersion: 1, deviceList: 'AA', bundles: [{ deviceId: 1, signedPrekey: 'AA', oneTimePrekey: null, kemPrekey: 'AA', kemLastResort: true }] };
    expect(checkBundles(bundles, 'body')).toEqual(bundles);
    expect(checkErrorBody({ error: { code: 'RELAY_ERR_X', message: 'm' } }, 'body')).toEqual({ error: { code: 'RELAY_ERR_X', message: 'm' } });
  });

  it('check media and push bodies as the relay schemas define them', () => {
    const mediaId = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcde';
    const cases: Array<[{ safeParse(v: unknown): { success: boolean } }, (v: unknown, p: string) => unknown, Record<string, unknown>]> = [
      [mediaUploadResponseSchema, checkMediaUpload, { mediaId, size: 100, upload: { url: 'http://r.example/v1/media/blob/x?sig=1', method: 'PUT', headers: { 'x-amz-meta': 'y' } }, uploadExpiresAt: 1, completeBy: 2, expiresAt: 3 }],
      [mediaInfoSchema, checkMediaInfo, { mediaId, size: 100, state: 'stored', createdAt: 1, expiresAt: 2 }],
      [mediaDownloadResponseSchema, checkMediaDownload, { mediaId, url: 'http://r.example/x', size: 100, urlExpiresAt: 1, expiresAt: 2 }],
      [vapidKeyResponseSchema, checkVapidKey, { publicKey: 'B'.repeat(87) }],
      [pushStatusResponseSchema, checkPushStatus, { subscribed: false }],
      [pushStatusResponseSchema, checkPushStatus, { subscribed: true, endpoint: 'https://push.example/x', createdAt: 1, failureCount: 0 }],
    ];
    for (const [schema, check, body] of cases) {
      expect(schema.safeParse(body).success).toBe(true);
      expect(check(body, 'body')).toEqual(body);
    }
    expect(() => checkMediaUpload({ ...(cases[0]?.[2] ?? {}), upload: { url: 'x', method: 'POST', headers: {} } }, 'body')).toThrow(WireError);
    expect(() => checkMediaUpload({ ...(cases[0]?.[2] ?? {}), upload: { url: 'x', method: 'PUT', headers: { a: 1 } } }, 'body')).toThrow(WireError);
    expect(() => checkPushStatus({ subscribed: true }, 'body')).toThrow(WireError);
    expect(() => checkMediaInfo({ mediaId, size: 1, state: 'deleted', createdAt: 1, expiresAt: 1 }, 'body')).toThrow(WireError);
  });
});
