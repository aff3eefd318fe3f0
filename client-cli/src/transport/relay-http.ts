/**
 * The relay's HTTP /v1 routes as typed calls (docs/api.md). Requests are JSON; every answer is
 * checked against the relay's contract (./wire-checks.ts) before use, so a misbehaving relay
 * yields CLI_ERR_RELAY_PROTOCOL instead of undefined fields deep inside.
 */
import type {
  AccountResponse,
  BundleResponse,
  ChallengeResponse,
  DeviceListResponse,
  DeviceListUpdateResponse,
  MediaDownloadResponse,
  MediaInfoJson,
  MediaUploadRequest,
  MediaUploadResponse,
  PrekeyCountsResponse,
  PrekeyUpload,
  PresenceResponse,
  PresenceViewers,
  PushStatusResponse,
  PushSubscriptionRequest,
  RegisterRequest,
  RegisterResponse,
  SessionRequest,
  SessionResponse,
  VapidKeyResponse,
} from '@sealpost/relay/api';
import {
  checkAccount,
  checkBundles,
  checkChallenge,
  checkDeviceList,
  checkDeviceListUpdate,
  checkErrorBody,
  checkMediaDownload,
  checkMediaInfo,
  checkMediaUpload,
  checkPrekeyCounts,
  checkPresence,
  checkPresenceViewers,
  checkPushStatus,
  checkRegister,
  checkSession,
  checkVapidKey,
  parser,
} from './wire-checks.js';
import { CliError } from '../errors.js';
import { sendRequest, type HttpAnswer } from './http-request.js';
import { RelayRefusal, unreachable } from './relay-errors.js';

/** A response schema: anything with zod's safeParse. */
interface Schema<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false; error: { message: string } };
}

const ERROR_BODY = parser(checkErrorBody);

/** The schema of a 204 answer. */
const NO_BODY: Schema<undefined> = {
  safeParse: (value) => (value === undefined ? { success: true, data: undefined } : { success: false, error: { message: 'expected no body' } }),
};

/** How long one HTTP request may take before the relay counts as unreachable. */
export const HTTP_TIMEOUT_MS = 20_000;

/**
 * Supplies the session token for authenticated routes: a cached one, or (`fresh`) a new one
 * after the relay refused the cached one.
 */
export type Authenticator = (fresh: boolean) => Promise<string>;

/** Relay codes that mean "sign in again" (the token expired or was never valid). */
export function isAuthRefusal(error: unknown): boolean {
  return error instanceof RelayRefusal && (error.info.code === 'RELAY_ERR_UNAUTHENTICATED' || error.info.code === 'RELAY_ERR_SESSION_EXPIRED');
}

export class RelayHttp {
  private token: string | undefined;
  private authenticator: Authenticator | undefined;

  constructor(readonly baseUrl: string) {}

  setToken(token: string | undefined): void {
    this.token = token;
  }

  /** Lets authenticated calls sign in on demand, and once more when the relay refuses the token. */
  setAuthenticator(authenticator: Authenticator): void {
    this.authenticator = authenticator;
  }

  private async request<T>(method: string, path: string, schema: Schema<T>, body?: unknown, authenticated = true): Promise<T> {
    if (authenticated && this.token === undefined && this.authenticator !== undefined) this.token = await this.authenticator(false);
    try {
      return await this.attempt(method, path, schema, body, authenticated);
    } catch (error) {
      if (!authenticated || this.authenticator === undefined || !isAuthRefusal(error)) throw error;
      this.token = await this.authenticator(true);
      return this.attempt(method, path, schema, body, authenticated);
    }
  }

  private async attempt<T>(method: string, path: string, schema: Schema<T>, body: unknown, authenticated: boolean): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (authenticated && this.token !== undefined) headers.authorization = `Bearer ${this.token}`;
    let response: HttpAnswer;
    try {
      response = await sendRequest(new URL(path, this.baseUrl), method, headers, body === undefined ? undefined : JSON.stringify(body), HTTP_TIMEOUT_MS);
    } catch (error) {
      throw unreachable(this.baseUrl, error);
    }
    if (response.status === 204) return this.noContent(schema, method, path);
    let json: unknown;
    try {
      json = JSON.parse(response.body);
    } catch (error) {
      if (response.status >= 500) throw new CliError('CLI_ERR_RELAY_REFUSED', `${method} ${path}: HTTP ${response.status}`);
      throw new CliError('CLI_ERR_RELAY_PROTOCOL', `${method} ${path}: HTTP ${response.status} without a JSON body`, undefined, { cause: error });
    }
    if (response.status < 200 || response.status >= 300) {
      const parsed = ERROR_BODY.safeParse(json);
      if (!parsed.success) throw new CliError('CLI_ERR_RELAY_PROTOCOL', `${method} ${path}: HTTP ${response.status} with an unknown error body`);
      const retryAfter = response.headers['retry-after'];
      const retryAfterMs =
        typeof parsed.data.error.details?.retryAfterMs === 'number' ? parsed.data.error.details.retryAfterMs : typeof retryAfter === 'string' ? Number(retryAfter) * 1000 : undefined;
      throw new RelayRefusal({ code: parsed.data.error.code, message: parsed.data.error.message, details: parsed.data.error.details, retryAfterMs });
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new CliError('CLI_ERR_RELAY_PROTOCOL', `${method} ${path}: ${parsed.error.message}`);
    return parsed.data;
  }

  /** A 204 answer: valid only where the route promises no body. */
  private noContent<T>(schema: Schema<T>, method: string, path: string): T {
    const parsed = schema.safeParse(undefined);
    if (!parsed.success) throw new CliError('CLI_ERR_RELAY_PROTOCOL', `${method} ${path}: unexpected empty answer`);
    return parsed.data;
  }

  challenge(): Promise<ChallengeResponse> {
    return this.request('POST', '/v1/auth/challenge', parser(checkChallenge), {}, false);
  }

  session(request: SessionRequest): Promise<SessionResponse> {
    return this.request('POST', '/v1/auth/session', parser(checkSession), request, false);
  }

  register(request: RegisterRequest): Promise<RegisterResponse> {
    return this.request('POST', '/v1/accounts', parser(checkRegister), request, false);
  }

  account(accountId: string): Promise<AccountResponse> {
    return this.request('GET', `/v1/accounts/${encodeURIComponent(accountId)}`, parser(checkAccount));
  }

  username(username: string): Promise<AccountResponse> {
    return this.request('GET', `/v1/usernames/${encodeURIComponent(username)}`, parser(checkAccount));
  }

  deviceList(accountId: string): Promise<DeviceListResponse> {
    return this.request('GET', `/v1/accounts/${encodeURIComponent(accountId)}/device-list`, parser(checkDeviceList));
  }

  updateDeviceList(deviceList: string): Promise<DeviceListUpdateResponse> {
    return this.request('PUT', '/v1/device-list', parser(checkDeviceListUpdate), { deviceList });
  }

  uploadPrekeys(upload: PrekeyUpload): Promise<PrekeyCountsResponse> {
    return this.request('PUT', '/v1/prekeys', parser(checkPrekeyCounts), upload);
  }

  prekeyCounts(): Promise<PrekeyCountsResponse> {
    return this.request('GET', '/v1/prekeys/counts', parser(checkPrekeyCounts));
  }

  /** Bundles for the listed devices, or for every device on the list when `devices` is absent. */
  bundles(accountId: string, devices?: readonly number[]): Promise<BundleResponse> {
    const query = devices === undefined ? '' : `?devices=${devices.join(',')}`;
    return this.request('GET', `/v1/accounts/${encodeURIComponent(accountId)}/bundles${query}`, parser(checkBundles));
  }

  presence(accountId: string): Promise<PresenceResponse> {
    return this.request('GET', `/v1/accounts/${encodeURIComponent(accountId)}/presence`, parser(checkPresence));
  }

  presenceViewers(): Promise<PresenceViewers> {
    return this.request('GET', '/v1/presence/viewers', parser(checkPresenceViewers));
  }

  async setPresenceViewers(viewers: PresenceViewers): Promise<void> {
    await this.request('PUT', '/v1/presence/viewers', NO_BODY, viewers);
  }

  /** Reserves an upload of `size` ciphertext bytes (docs/media.md "Lifecycle"); answers its URL. */
  createMedia(request: MediaUploadRequest): Promise<MediaUploadResponse> {
    return this.request('POST', '/v1/media', parser(checkMediaUpload), request);
  }

  completeMedia(mediaId: string): Promise<MediaInfoJson> {
    return this.request('POST', `/v1/media/${encodeURIComponent(mediaId)}/complete`, parser(checkMediaInfo), {});
  }

  async deleteMedia(mediaId: string): Promise<void> {
    await this.request('DELETE', `/v1/media/${encodeURIComponent(mediaId)}`, NO_BODY);
  }

  mediaDownload(mediaId: string): Promise<MediaDownloadResponse> {
    return this.request('GET', `/v1/media/${encodeURIComponent(mediaId)}/download`, parser(checkMediaDownload));
  }

  /** The relay's VAPID public key (RFC 8292 §3.2); a public route. */
  vapidKey(): Promise<VapidKeyResponse> {
    return this.request('GET', '/v1/push/vapid-key', parser(checkVapidKey), undefined, false);
  }

  pushSubscription(): Promise<PushStatusResponse> {
    return this.request('GET', '/v1/push/subscription', parser(checkPushStatus));
  }

  subscribePush(subscription: PushSubscriptionRequest): Promise<PushStatusResponse> {
    return this.request('PUT', '/v1/push/subscription', parser(checkPushStatus), subscription);
  }

  async unsubscribePush(): Promise<void> {
    await this.request('DELETE', '/v1/push/subscription', NO_BODY);
  }
}
