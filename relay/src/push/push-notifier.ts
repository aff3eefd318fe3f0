/**
 * PushNotifier: what the message path calls when it queued something for a device that has no
 * live connection. The relay's PushService implements it (./coalescing-push-notifier.ts does the
 * work); a relay without push simply has none, and services must work unchanged either way.
 */
import type { PushKind } from './push-payload.js';

export interface PushNotifier {
  /**
   * Records that `accountId`/`deviceId` has `pendingCount` entries waiting, the latest of them
   * of `kind`. Returns at once and never throws for a well-formed call: nothing on the send path
   * may wait for, or fail because of, a push service.
   */
  notify(accountId: string, deviceId: number, kind: PushKind, pendingCount: number): void;
}
