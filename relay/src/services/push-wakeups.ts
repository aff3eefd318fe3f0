/**
 * Web Push wake-ups for devices without a live connection (DESIGN.md §4 "Push", docs/push.md
 * "How it works"). After something was queued for a device — an envelope, a receipt, an expiry
 * report — or its prekey pool was found low, the bus says how many connections of the device it
 * reached; none means the device is offline, so its queue depth is read and handed to the
 * PushNotifier. Fire and forget: the send path never waits for this, and a failure is only
 * logged, because the entry is already durable and the device fetches it when it next connects.
 * A relay without push (no notifier) does nothing here.
 */
import type { PushNotifier } from '../push/push-notifier.js';
import type { PushKind } from '../push/push-payload.js';
import type { DeviceAddress } from '../storage/records.js';
import type { ServiceDeps } from './service-deps.js';

export class PushWakeups {
  /** Wake-ups between the queue read and the notifier, so shutdown can let them finish. */
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly deps: Pick<ServiceDeps, 'storage' | 'logger' | 'push'>) {}

  /** `reached` is what bus.publish answered for the event that told the device. */
  notifyIfOffline(address: DeviceAddress, kind: PushKind, reached: number): void {
    const push: PushNotifier | undefined = this.deps.push;
    if (reached > 0 || push === undefined) return;
    const task: Promise<void> = this.deps.storage.messages
      .stats(address)
      .then((stats) => push.notify(address.accountId, address.deviceId, kind, stats.count))
      .catch((error: unknown) => {
        this.deps.logger.warn({ event: 'push.wake_failed', accountId: address.accountId, deviceId: address.deviceId, kind, err: error }, 'could not wake an offline device');
      })
      .finally(() => {
        this.inFlight.delete(task);
      });
    this.inFlight.add(task);
  }

  /** Resolves once every wake-up started so far has reached the notifier (or failed). */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }
}
