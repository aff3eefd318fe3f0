/**
 * Provisioning channels for linking a new device (docs/api.md "Linking a device"). An existing
 * device opens a channel and shows its id (with a secret of its own) to the user; the new device,
 * which has no account and so no session, joins with the id alone. The relay only relays: the
 * messages are ciphertexts the two devices encrypt end to end, bounded in size, count and
 * lifetime, and kept in memory only. The initiator role is bound to the device that opened the
 * channel, so someone who learns a channel id can at most play the joiner — and the joiner's
 * messages are worthless to it without the secret that never reaches the relay.
 */
import { randomBytes } from 'node:crypto';
import { toBase64Url } from '@sealpost/crypto/public';
import type { ProvisioningChannel, ProvisioningRole } from '../api/http.js';
import { RelayError } from '../errors.js';
import type { MailboxLimits, OpenChannel } from '../provisioning/provisioning-mailbox.js';
import type { DeviceAddress } from '../storage/records.js';
import type { ServiceDeps } from './service-deps.js';
import { decodeField } from './wire-bytes.js';

const CHANNEL_ID_BYTES = 16;

const otherRole = (role: ProvisioningRole): ProvisioningRole => (role === 'initiator' ? 'joiner' : 'initiator');

export class ProvisioningService {
  private stopped = false;

  constructor(private readonly deps: ServiceDeps) {}

  private limits(): MailboxLimits {
    const { provisioning } = this.deps.config;
    return { maxChannels: provisioning.maxChannels, maxMessagesPerRole: provisioning.maxMessagesPerRole, maxTotalBytes: provisioning.maxTotalBytes };
  }

  /** Opens a channel owned by the calling device. */
  async open(owner: DeviceAddress): Promise<ProvisioningChannel> {
    const now = this.deps.clock();
    // 128 random bits: the id is the joiner's only credential, so it must be unguessable.
    const channelId = randomBytes(CHANNEL_ID_BYTES).toString('base64url');
    const expiresAt = now + this.deps.config.provisioning.ttlSeconds * 1000;
    await this.deps.provisioning.open({ channelId, owner: { accountId: owner.accountId, deviceId: owner.deviceId }, createdAt: now, expiresAt }, this.limits(), now);
    this.deps.logger.info({ event: 'provisioning.opened', expiresAt }, 'provisioning channel opened');
    return { channelId, expiresAt };
  }

  /**
   * The channel, if `caller` may act as `role` on it: the initiator only with the session of the
   * device that opened it; the joiner without any session.
   */
  private async authorize(channelId: string, role: ProvisioningRole, caller: DeviceAddress | null): Promise<OpenChannel> {
    const channel = await this.deps.provisioning.get(channelId, this.deps.clock());
    if (channel === null) throw new RelayError('RELAY_ERR_PROVISIONING_NOT_FOUND');
    if (role === 'initiator' && (caller === null || caller.accountId !== channel.owner.accountId || caller.deviceId !== channel.owner.deviceId)) {
      throw new RelayError('RELAY_ERR_FORBIDDEN', 'only the device that opened the channel may act as its initiator');
    }
    return channel;
  }

  /** Sends a message from `role` to the other party. */
  async put(channelId: string, role: ProvisioningRole, caller: DeviceAddress | null, ciphertextText: string): Promise<void> {
    await this.authorize(channelId, role, caller);
    const ciphertext = decodeField(ciphertextText, 'ciphertext');
    const max = this.deps.config.provisioning.maxMessageBytes;
    if (ciphertext.length > max) throw new RelayError('RELAY_ERR_PROVISIONING_TOO_LARGE', undefined, { maxMessageBytes: max });
    await this.deps.provisioning.post(channelId, otherRole(role), ciphertext, this.limits(), this.deps.clock());
  }

  /**
   * Takes the oldest message for `role`, waiting up to `waitMs` for one (long poll); null when
   * none came. `signal` aborts the wait when the client goes away, so no message is taken for a
   * request nobody will read.
   */
  async get(channelId: string, role: ProvisioningRole, caller: DeviceAddress | null, waitMs: number, signal?: AbortSignal): Promise<string | null> {
    await this.authorize(channelId, role, caller);
    // The wait is transport time, not protocol time: real milliseconds, not the injected clock.
    const deadline = Date.now() + waitMs;
    for (;;) {
      if (signal?.aborted === true) return null;
      const message = await this.deps.provisioning.take(channelId, role, this.deps.clock());
      if (message !== null) return toBase64Url(message);
      const remaining = deadline - Date.now();
      if (remaining <= 0 || this.stopped) return null;
      await this.deps.provisioning.waitFor(channelId, role, remaining, signal);
    }
  }

  /** Closes a channel early (the initiator, once linking is done or abandoned). */
  async close(channelId: string, caller: DeviceAddress): Promise<void> {
    await this.authorize(channelId, 'initiator', caller);
    await this.deps.provisioning.close(channelId);
  }

  /** Shutdown: ends every long poll now (they answer 204) instead of holding the drain. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.deps.provisioning.shutdown();
  }
}
