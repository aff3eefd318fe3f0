/**
 * Registers real accounts on a test relay and logs their devices in, through the public HTTP
 * routes only (challenge → signed answer → session token), exactly as a client would.
 */
import { expect } from 'vitest';
import { answerChallenge, deviceListText, newIdentity, prekeySet } from './crypto-fixtures.js';
import type { ChallengeJson, TestDevice, TestIdentity } from './crypto-fixtures.js';
import { request } from './http-client.js';

export interface TestAccount {
  readonly identity: TestIdentity;
  readonly accountId: string;
  readonly tokens: Map<number, string>;
  /** The session token of a device (the first one by default). */
  token(deviceId?: number): string;
  device(deviceId?: number): TestDevice;
}

export async function challenge(baseUrl: string): Promise<ChallengeJson> {
  const result = await request<ChallengeJson>(baseUrl, 'POST', '/v1/auth/challenge');
  expect(result.status).toBe(200);
  return result.body;
}

export async function login(baseUrl: string, accountId: string, device: TestDevice): Promise<string> {
  const c = await challenge(baseUrl);
  const result = await request<{ token: string }>(baseUrl, 'POST', '/v1/auth/session', {
    json: { accountId, deviceId: device.deviceId, nonce: c.nonce, signature: await answerChallenge(c, accountId, device) },
  });
  expect(result.status, JSON.stringify(result.body)).toBe(200);
  return result.body.token;
}

export interface RegisterOptions {
  readonly deviceIds?: readonly number[];
  readonly username?: string;
  readonly invite?: string;
  /** Upload a prekey set with this many one-time keys of each kind for every device. */
  readonly prekeys?: number;
}

export async function registerAccount(baseUrl: string, options: RegisterOptions = {}): Promise<TestAccount> {
  const identity = await newIdentity(options.deviceIds ?? [1]);
  const first = identity.devices[0]!;
  const c = await challenge(baseUrl);
  const result = await request<{ accountId: string }>(baseUrl, 'POST', '/v1/accounts', {
    json: {
      accountKey: identity.accountKeyText,
      deviceList: await deviceListText(identity, 1),
      deviceId: first.deviceId,
      nonce: c.nonce,
      signature: await answerChallenge(c, identity.account.accountId, first),
      ...(options.username === undefined ? {} : { username: options.username }),
      ...(options.invite === undefined ? {} : { invite: options.invite }),
    },
  });
  expect(result.status, JSON.stringify(result.body)).toBe(201);
  const accountId = result.body.accountId;
  const tokens = new Map<number, string>();
  for (const device of identity.devices) tokens.set(device.deviceId, await login(baseUrl, accountId, device));
  const account: TestAccount = {
    identity,
    accountId,
    tokens,
    token: (deviceId = first.deviceId) => tokens.get(deviceId) as string,
    device: (deviceId = first.deviceId) => identity.devices.find((d) => d.deviceId === deviceId) as TestDevice,
  };
  if (options.prekeys !== undefined) {
    for (const device of identity.devices) {
      const upload = await request(baseUrl, 'PUT', '/v1/prekeys', { token: account.token(device.deviceId), json: await prekeySet(device, options.prekeys) });
      expect(upload.status, JSON.stringify(upload.body)).toBe(200);
    }
  }
  return account;
}
