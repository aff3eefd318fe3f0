/**
 * Prekeys (DESIGN.md §2, PQXDH §2.3): uploads are checked — every signed prekey must verify under
 * the uploading device's signing key and sit in the right slot (X25519 signed prekey, one-time
 * ML-KEM, last-resort ML-KEM) — then stored; bundle fetches are rate-limited per requester, per
 * target and per pair (prekey exhaustion), take one one-time key of each kind atomically, and
 * tell the owner when a pool runs low — over its connection, or with a Web Push wake-up when it
 * has none.
 */
import { decodeOneTimePrekey, verifySignedPrekey } from '@sealpost/crypto/public';
import type { SignedPrekeyKind } from '@sealpost/crypto/public';
import type { BundleResponse, PrekeyCountsResponse, PrekeyUpload } from '../api/http.js';
import { RelayError } from '../errors.js';
import type { DeviceAddress, PrekeyCounts, StoredPrekey } from '../storage/records.js';
import type { PushWakeups } from './push-wakeups.js';
import { enforceRate } from './rate-limits.js';
import type { ServiceDeps } from './service-deps.js';
import { checked, decodeField, encodeField } from './wire-bytes.js';

export class PrekeyService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly wakeups: PushWakeups,
  ) {}

  private withWatermark(counts: PrekeyCounts): PrekeyCountsResponse {
    return { ...counts, lowWatermark: this.deps.config.prekeys.lowWatermark };
  }

  isLow(counts: Pick<PrekeyCounts, 'oneTimeX25519' | 'oneTimeKem'>): boolean {
    const low = this.deps.config.prekeys.lowWatermark;
    return counts.oneTimeX25519 < low || counts.oneTimeKem < low;
  }

  async upload(address: DeviceAddress, upload: PrekeyUpload): Promise<PrekeyCountsResponse> {
    const { limits } = this.deps.config;
    const oneTimeX25519Text = upload.oneTimeX25519 ?? [];
    const oneTimeKemText = upload.oneTimeKem ?? [];
    if (oneTimeX25519Text.length > limits.maxPrekeysPerUpload || oneTimeKemText.length > limits.maxPrekeysPerUpload) {
      throw new RelayError('RELAY_ERR_TOO_MANY_PREKEYS', `at most ${limits.maxPrekeysPerUpload} one-time keys of each kind per upload`, { max: limits.maxPrekeysPerUpload });
    }
    const device = await this.deps.storage.accounts.getDevice(address);
    if (device === null) throw new RelayError('RELAY_ERR_DEVICE_NOT_FOUND');

    const signed = (text: string, field: string, kind: SignedPrekeyKind, lastResort: boolean): StoredPrekey => {
      const key = checked(field, () => verifySignedPrekey(decodeField(text, field), device.signingKey));
      if (key.kind !== kind || key.lastResort !== lastResort) {
        throw new RelayError('RELAY_ERR_PREKEY_INVALID', `${field} must be a ${lastResort ? 'last-resort' : 'non-last-resort'} ${kind} prekey`, { field });
      }
      return { keyId: key.keyId, bytes: key.bytes };
    };
    const counts = await this.deps.storage.prekeys.upload(
      address,
      {
        signedPrekey: upload.signedPrekey === undefined ? undefined : signed(upload.signedPrekey, 'signedPrekey', 'x25519', false),
        lastResortKem: upload.lastResortKem === undefined ? undefined : signed(upload.lastResortKem, 'lastResortKem', 'mlkem1024', true),
        oneTimeKem: oneTimeKemText.map((text, i) => signed(text, `oneTimeKem[${i}]`, 'mlkem1024', false)),
        oneTimeX25519: oneTimeX25519Text.map((text, i) => {
          const field = `oneTimeX25519[${i}]`;
          const key = checked(field, () => decodeOneTimePrekey(decodeField(text, field)));
          return { keyId: key.keyId, bytes: key.bytes };
        }),
      },
      limits.maxPrekeyPool,
    );
    return this.withWatermark(counts);
  }

  async counts(address: DeviceAddress): Promise<PrekeyCountsResponse> {
    return this.withWatermark(await this.deps.storage.prekeys.counts(address));
  }

  /**
   * Bundles for the target account's devices (all, or the listed ones), never the requesting
   * device itself. One one-time key of each kind is removed per device.
   */
  async fetchBundles(requester: DeviceAddress, targetAccountId: string, onlyDevices?: readonly number[]): Promise<BundleResponse> {
    const { rateLimits } = this.deps.config;
    const now = this.deps.clock();
    await enforceRate(this.deps.limiter, `bundle:requester:${requester.accountId}`, rateLimits.bundlePerRequester, now);
    await enforceRate(this.deps.limiter, `bundle:target:${targetAccountId}`, rateLimits.bundlePerTarget, now);
    await enforceRate(this.deps.limiter, `bundle:pair:${requester.accountId}:${targetAccountId}`, rateLimits.bundlePerPair, now);

    const account = await this.deps.storage.accounts.getAccount(targetAccountId);
    const list = await this.deps.storage.accounts.getDeviceList(targetAccountId);
    if (account === null || list === null) throw new RelayError('RELAY_ERR_ACCOUNT_NOT_FOUND');
    // Every device of another account is listed by the store itself, inside the take; a chosen
    // subset goes in id order, each id once (unknown ids are skipped there).
    let deviceIds: number[] | undefined;
    const own = targetAccountId === requester.accountId;
    if (onlyDevices !== undefined || own) {
      const ids = onlyDevices === undefined ? (await this.deps.storage.accounts.listDevices(targetAccountId)).map((d) => d.deviceId) : [...new Set(onlyDevices)].sort((a, b) => a - b);
      deviceIds = own ? ids.filter((id) => id !== requester.deviceId) : ids;
    }
    const bundles = await this.deps.storage.prekeys.takeBundles(targetAccountId, deviceIds);
    this.deps.metrics.bundleFetches.inc();

    for (const bundle of bundles) {
      if (this.isLow(bundle.remaining)) {
        const owner = { accountId: targetAccountId, deviceId: bundle.deviceId };
        const reached = await this.deps.bus.publish(owner, { type: 'prekeys-low', oneTimeX25519: bundle.remaining.oneTimeX25519, oneTimeKem: bundle.remaining.oneTimeKem });
        this.wakeups.notifyIfOffline(owner, 'prekeys-low', reached);
      }
    }
    const text = (key: StoredPrekey | null) => (key === null ? null : encodeField(key.bytes));
    return {
      accountId: targetAccountId,
      accountKey: encodeField(account.accountKey),
      deviceListVersion: list.version,
      deviceList: encodeField(list.bytes),
      bundles: bundles.map((b) => ({
        deviceId: b.deviceId,
        signedPrekey: text(b.signedPrekey),
        oneTimePrekey: text(b.oneTimeX25519),
        kemPrekey: text(b.kemPrekey),
        kemLastResort: b.kemLastResort,
      })),
    };
  }
}
