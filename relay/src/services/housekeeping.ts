/**
 * Periodic housekeeping: expire messages (and report them), purge stale challenges, drop expired
 * provisioning channels (their memory), apply the idle-device policy when one is configured, and
 * sweep deleted, expired and abandoned media from the backend. Runs on a timer that never
 * overlaps itself.
 */
import type { MediaService } from '../media/media-service.js';
import type { AccountService } from './account-service.js';
import type { MessageService } from './message-service.js';
import type { ServiceDeps } from './service-deps.js';

export class Housekeeping {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly messages: MessageService,
    private readonly accounts: AccountService,
    private readonly media: MediaService,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      if (this.running === undefined) {
        this.running = this.runOnce()
          .catch((error: unknown) => this.deps.logger.error({ err: error }, 'housekeeping failed'))
          .finally(() => {
            this.running = undefined;
          });
      }
    }, this.deps.config.delivery.expirySweepIntervalMs);
    this.timer.unref();
  }

  async runOnce(): Promise<void> {
    const expired = await this.messages.sweepExpired();
    const now = this.deps.clock();
    const challenges = await this.deps.storage.challenges.purgeExpired(now);
    const channels = await this.deps.provisioning.sweep(now);
    let idle = 0;
    const days = this.deps.config.devices.idleRemovalDays;
    if (days !== null) {
      const candidates = await this.deps.storage.accounts.listIdleDevices(now - days * 86_400_000, 1_000);
      for (const device of candidates) {
        // A device with a live connection is not idle, whatever its stored last-seen says.
        if ((await this.deps.bus.publish(device, { type: 'queued' })) > 0) continue;
        // Nor one seen lately whose "last seen" is still in memory (written every few seconds).
        if (((await this.deps.presence.lastSeen(device)) ?? 0) >= now - days * 86_400_000) continue;
        if (await this.accounts.removeDevice(device)) idle++;
      }
    }
    // Last, and on its own: an unreachable S3 endpoint must not hold up the rest.
    let mediaRemoved = 0;
    try {
      mediaRemoved = (await this.media.sweep()).removed;
    } catch (error) {
      this.deps.logger.warn({ event: 'media.sweep_failed', code: (error as { code?: unknown }).code }, 'media sweep failed; retried at the next run');
    }
    if (expired + challenges + channels + idle + mediaRemoved > 0) {
      this.deps.logger.info({ event: 'housekeeping', expired, challenges, provisioningChannels: channels, idleDevicesRemoved: idle, mediaRemoved }, 'housekeeping');
    }
  }

  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
