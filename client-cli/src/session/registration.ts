/**
 * `init`: a new account with this as its first device (DESIGN.md §2). Creates the account key
 * and the device keys, certifies the device, signs device list version 1, registers on the relay
 * (answering its challenge with the device key), stores the identity, then signs in and uploads
 * the first prekeys.
 */
import { createAccountIdentity, createDeviceKeys, encodeAccountSecret, encodeDeviceKeys, issueDeviceCertificate, signDeviceList, type CryptoSuite } from '@sealpost/crypto';
import { KEY_TYPE, encodePublicKey } from '@sealpost/crypto/public';
import type { PrekeyCountsResponse } from '@sealpost/relay/api';
import { CliError } from '../errors.js';
import type { KdfPreset } from '../store/kdf.js';
import type { IdentityRecord } from '../store/records.js';
import { RelayHttp } from '../transport/relay-http.js';
import { RelayRefusal } from '../transport/relay-errors.js';
import { toB64 } from './encoding.js';
import { localDevice } from './local-device.js';
import { createPrekeys, prekeyNeeds } from './prekeys.js';
import type { CommandContext } from '../cli/context.js';
import { createProfile, discardStore, type Profile } from './profile.js';
import { answerChallenge, deviceAuthenticator } from './relay-auth.js';

/** The first device of an account has id 1; `link` gives later devices the next free ids. */
export const FIRST_DEVICE_ID = 1;

export interface RegisterOptions {
  readonly relayUrl: string;
  readonly username: string | undefined;
  readonly deviceName: string;
  readonly now: number;
}

export interface RegisterResult {
  readonly identity: IdentityRecord;
  readonly prekeys: PrekeyCountsResponse;
}

function refusalToCli(error: unknown): never {
  if (error instanceof RelayRefusal) {
    const { code, message } = error.info;
    if (code === 'RELAY_ERR_USERNAME_TAKEN' || code === 'RELAY_ERR_USERNAME_INVALID') {
      throw new CliError('CLI_ERR_INVALID_ARGUMENT', `${code}: ${message}`, { relayCode: code });
    }
  }
  throw error;
}

export async function registerAccount(suite: CryptoSuite, profile: Profile, http: RelayHttp, options: RegisterOptions): Promise<RegisterResult> {
  const account = createAccountIdentity(suite);
  const device = createDeviceKeys(suite);
  const deviceId = FIRST_DEVICE_ID;
  const certificate = issueDeviceCertificate(suite, account, deviceId, device, options.now);
  const deviceList = signDeviceList(suite, account, {
    version: 1,
    issuedAt: options.now,
    devices: [{ deviceId, deviceSigningKey: device.signingKey, deviceIdentityKey: device.identityDhKey }],
  });

  const answer = await answerChallenge(http, suite, device, account.accountId, deviceId);
  let registered;
  try {
    registered = await http.register({
      accountKey: toB64(encodePublicKey(KEY_TYPE.ACCOUNT_ED25519, account.accountKey)),
      deviceList: toB64(deviceList),
      deviceId,
      ...answer,
      ...(options.username === undefined ? {} : { username: options.username }),
    });
  } catch (error) {
    refusalToCli(error);
  }
  if (registered.accountId !== account.accountId) throw new CliError('CLI_ERR_RELAY_PROTOCOL', 'the relay registered another account id');

  const identity: IdentityRecord = {
    relayUrl: options.relayUrl,
    accountId: account.accountId,
    username: registered.username,
    deviceId,
    deviceName: options.deviceName,
    accountPublicKey: toB64(account.accountKey),
    accountSecret: toB64(encodeAccountSecret(account)),
    deviceKeys: toB64(encodeDeviceKeys(device)),
    deviceCertificate: toB64(certificate),
    deviceList: toB64(deviceList),
    deviceListVersion: 1,
    createdAt: options.now,
  };
  profile.store.transaction(() => profile.store.identity.put(identity));

  await deviceAuthenticator(suite, profile.store, http, { keys: device, accountId: account.accountId, deviceId }, () => options.now)(true);
  const local = localDevice(suite, identity);
  const upload = createPrekeys(suite, profile.store, local, prekeyNeeds(profile.store, undefined, options.now), options.now);
  const prekeys = await http.uploadPrekeys(upload);
  return { identity, prekeys };
}

/**
 * `init` end to end: a new store, then the registration. If the relay refuses before an identity
 * exists, the new store is removed again so `init` can be retried (e.g. with another username).
 */
export async function initProfile(ctx: CommandContext, options: Omit<RegisterOptions, 'now'>, kdf?: KdfPreset): Promise<RegisterResult> {
  const profile = await createProfile(ctx, kdf);
  try {
    return await registerAccount(profile.crypto, profile, new RelayHttp(options.relayUrl), { ...options, now: ctx.now() });
  } catch (error) {
    const registered = profile.store.run(() => profile.store.identity.get()) !== undefined;
    profile.close();
    if (!registered) discardStore(profile.paths);
    throw error;
  } finally {
    profile.close();
  }
}
