/**
 * Device authentication (DESIGN.md §2 "Relay auth"): the relay issues a challenge (fresh 32-byte
 * nonce, its origin, the issue time); the device signs authChallengeMessage over it plus its
 * account and device id with its device signing key; the relay consumes the nonce (single use,
 * so a replayed answer finds nothing), refuses it when older than auth.challengeTtlMs, and
 * verifies the signature strictly (RFC 8032 §5.1.7). Success yields a short-lived session token.
 */
import { randomBytes } from 'node:crypto';
import { AUTH_NONCE_BYTES, toBase64Url, verifyAuthSignature } from '@sealpost/crypto/public';
import type { ChallengeResponse, SessionRequest, SessionResponse } from '../api/http.js';
import { RelayError } from '../errors.js';
import type { DeviceAddress } from '../storage/records.js';
import type { ServiceDeps } from './service-deps.js';
import type { SessionTokens } from './session-tokens.js';
import { decodeField } from './wire-bytes.js';

export interface ChallengeAnswer {
  readonly accountId: string;
  readonly deviceId: number;
  readonly nonce: string;
  readonly signature: string;
}

export class AuthService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly tokens: SessionTokens,
  ) {}

  async issueChallenge(): Promise<ChallengeResponse> {
    const issuedAt = this.deps.clock();
    const expiresAt = issuedAt + this.deps.config.auth.challengeTtlMs;
    const nonce = toBase64Url(new Uint8Array(randomBytes(AUTH_NONCE_BYTES)));
    await this.deps.storage.challenges.issue(nonce, { issuedAt, expiresAt }, this.deps.config.auth.maxPendingChallenges);
    return { nonce, origin: this.deps.origin(), issuedAt, expiresAt };
  }

  /**
   * Checks a challenge answer against a device signing key. The nonce is consumed first, so
   * every answer — right or wrong — uses it up and it can never be tried twice.
   */
  async verifyAnswer(answer: ChallengeAnswer, deviceSigningKey: Uint8Array | null): Promise<void> {
    const nonce = decodeField(answer.nonce, 'nonce');
    const signature = decodeField(answer.signature, 'signature');
    const challenge = await this.deps.storage.challenges.consume(answer.nonce);
    if (challenge === null) throw new RelayError('RELAY_ERR_CHALLENGE_INVALID');
    if (this.deps.clock() >= challenge.expiresAt) throw new RelayError('RELAY_ERR_CHALLENGE_EXPIRED');
    if (deviceSigningKey === null) throw new RelayError('RELAY_ERR_DEVICE_NOT_FOUND');
    const ok = verifyAuthSignature(
      { origin: this.deps.origin(), nonce, issuedAt: challenge.issuedAt, accountId: answer.accountId, deviceId: answer.deviceId },
      signature,
      deviceSigningKey,
    );
    if (!ok) throw new RelayError('RELAY_ERR_BAD_SIGNATURE', 'challenge signature');
  }

  async createSession(request: SessionRequest): Promise<SessionResponse> {
    const device = await this.deps.storage.accounts.getDevice(request);
    await this.verifyAnswer(request, device?.signingKey ?? null);
    return this.tokens.mint({ accountId: request.accountId, deviceId: request.deviceId }, this.deps.clock());
  }

  /** The device an Authorization header value speaks for; the device must still exist. */
  async authenticate(authorization: string | undefined): Promise<DeviceAddress> {
    const match = /^Bearer ([A-Za-z0-9._-]{1,1024})$/.exec(authorization ?? '');
    if (match === null) throw new RelayError('RELAY_ERR_UNAUTHENTICATED');
    const address = this.tokens.verify(match[1] as string, this.deps.clock());
    if (!(await this.deps.storage.accounts.hasDevice(address))) throw new RelayError('RELAY_ERR_UNAUTHENTICATED', 'device no longer registered');
    return address;
  }
}
