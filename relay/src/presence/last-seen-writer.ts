/**
 * LastSeenWriter: "last seen" times on their way to storage. Connecting and disconnecting only
 * note a time in memory (the latest per device); every `intervalMs` the times noted since the
 * previous write go to the store in a few transactions (`AccountStore.touchDevices`, at most
 * `chunkSize` devices each), and `close()` writes what is left on shutdown. So a reconnect storm
 * of 10,000 devices costs a handful of commits instead of one durable write per connection and
 * per disconnect, and no connection waits for a write before its `hello`.
 *
 * What a crash costs: the times noted since the last write (a few seconds' worth) — never a
 * message; a device that connects again is seen again (docs/api.md "Presence"). Until a time is
 * written, readers combine it with the stored one (`pending`, `pendingForAccount`); the
 * idle-device policy also asks the presence tracker, which holds the same times.
 */
import type { AccountStore, DeviceSeen } from '../storage/account-store.js';
import type { DeviceAddress } from '../storage/records.js';

export interface LastSeenWriterOptions {
  /** How long a noted time may wait in memory before it is written. */
  readonly intervalMs: number;
  /** Most devices per transaction, so one write never holds the event loop for long. */
  readonly chunkSize?: number;
  /** A failed write (its times stay noted and are tried again at the next interval). */
  readonly onError?: (error: unknown) => void;
}

export class LastSeenWriter {
  /** accountId → deviceId → latest time noted and not yet written. */
  private noted = new Map<string, Map<number, number>>();
  /** Times handed to the store and not yet committed, so readers still see them. */
  private writing = new Map<string, Map<number, number>>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private closed = false;
  private readonly chunkSize: number;

  constructor(
    private readonly store: Pick<AccountStore, 'touchDevices'>,
    private readonly options: LastSeenWriterOptions,
  ) {
    this.chunkSize = options.chunkSize ?? 1_000;
  }

  /** Notes that `address` was seen at `at`; written within `intervalMs`. */
  note(address: DeviceAddress, at: number): void {
    let devices = this.noted.get(address.accountId);
    if (devices === undefined) {
      devices = new Map();
      this.noted.set(address.accountId, devices);
    }
    const before = devices.get(address.deviceId);
    if (before === undefined || at > before) devices.set(address.deviceId, at);
    this.schedule();
  }

  /** The latest time noted for a device and not yet committed; null when none. */
  pending(address: DeviceAddress): number | null {
    const a = this.noted.get(address.accountId)?.get(address.deviceId);
    const b = this.writing.get(address.accountId)?.get(address.deviceId);
    if (a === undefined) return b ?? null;
    return b === undefined ? a : Math.max(a, b);
  }

  /** The latest time noted for any device of the account and not yet committed; null when none. */
  pendingForAccount(accountId: string): number | null {
    let latest: number | null = null;
    for (const devices of [this.noted.get(accountId), this.writing.get(accountId)]) {
      for (const at of devices?.values() ?? []) if (latest === null || at > latest) latest = at;
    }
    return latest;
  }

  /** Devices with a time waiting to be written. */
  get size(): number {
    let n = 0;
    for (const devices of this.noted.values()) n += devices.size;
    return n;
  }

  private schedule(): void {
    if (this.timer !== undefined || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush().catch((error: unknown) => this.options.onError?.(error));
    }, this.options.intervalMs);
    // Never keeps the process alive; shutdown writes the rest through close().
    this.timer.unref();
  }

  /** Writes every time noted so far; resolves once they are committed. */
  async flush(): Promise<void> {
    // One write at a time: times noted meanwhile wait for the next one.
    while (this.running !== undefined) await this.running.catch(() => undefined);
    if (this.noted.size === 0) return;
    this.running = this.write();
    try {
      await this.running;
    } finally {
      this.running = undefined;
    }
  }

  private async write(): Promise<void> {
    this.writing = this.noted;
    this.noted = new Map();
    const seen: DeviceSeen[] = [];
    for (const [accountId, devices] of this.writing) for (const [deviceId, at] of devices) seen.push({ address: { accountId, deviceId }, at });
    try {
      for (let i = 0; i < seen.length; i += this.chunkSize) await this.store.touchDevices(seen.slice(i, i + this.chunkSize));
    } catch (error) {
      // Keep the times (rows already written are simply written again) and retry later.
      for (const { address, at } of seen) {
        const devices = this.noted.get(address.accountId);
        const newer = devices?.get(address.deviceId);
        if (newer === undefined || newer < at) {
          if (devices === undefined) this.noted.set(address.accountId, new Map([[address.deviceId, at]]));
          else devices.set(address.deviceId, at);
        }
      }
      throw error;
    } finally {
      this.writing = new Map();
      if (this.noted.size > 0) this.schedule();
    }
  }

  /** Stops the timer and writes what is left (relay shutdown). Later notes are still written by flush(). */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
  }
}
