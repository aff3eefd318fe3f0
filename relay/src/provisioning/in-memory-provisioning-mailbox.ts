/**
 * InMemoryProvisioningMailbox: ProvisioningMailbox in this process's memory. Every bound is
 * enforced here (channels, messages per role, total bytes) because unauthenticated joiners can
 * write to a channel; waiters are woken by the post that concerns them, so a long poll costs a
 * timer and no polling.
 */
import type { ProvisioningRole } from '../api/http.js';
import { RelayError } from '../errors.js';
import type { MailboxLimits, MailboxStats, OpenChannel, ProvisioningMailbox } from './provisioning-mailbox.js';

interface Waiter {
  readonly role: ProvisioningRole;
  readonly wake: () => void;
}

interface Channel {
  readonly info: OpenChannel;
  readonly queues: Record<ProvisioningRole, Uint8Array[]>;
  readonly waiters: Set<Waiter>;
}

export class InMemoryProvisioningMailbox implements ProvisioningMailbox {
  private readonly channels = new Map<string, Channel>();
  private bytes = 0;
  private stopped = false;

  /** The live channel, after dropping it if it has expired. */
  private live(channelId: string, now: number): Channel | undefined {
    const channel = this.channels.get(channelId);
    if (channel !== undefined && now >= channel.info.expiresAt) {
      this.drop(channelId, channel);
      return undefined;
    }
    return channel;
  }

  private drop(channelId: string, channel: Channel): void {
    this.channels.delete(channelId);
    for (const queue of Object.values(channel.queues)) for (const message of queue) this.bytes -= message.length;
    for (const waiter of [...channel.waiters]) waiter.wake();
  }

  async open(channel: OpenChannel, limits: MailboxLimits, now: number): Promise<void> {
    if (this.channels.has(channel.channelId)) throw new Error('provisioning channel id already in use');
    if (this.channels.size >= limits.maxChannels) await this.sweep(now);
    if (this.channels.size >= limits.maxChannels) throw new RelayError('RELAY_ERR_PROVISIONING_BUSY', 'provisioning.maxChannels reached');
    this.channels.set(channel.channelId, { info: { ...channel, owner: { ...channel.owner } }, queues: { initiator: [], joiner: [] }, waiters: new Set() });
  }

  async get(channelId: string, now: number): Promise<OpenChannel | null> {
    return this.live(channelId, now)?.info ?? null;
  }

  async post(channelId: string, to: ProvisioningRole, message: Uint8Array, limits: MailboxLimits, now: number): Promise<void> {
    const channel = this.live(channelId, now);
    if (channel === undefined) throw new RelayError('RELAY_ERR_PROVISIONING_NOT_FOUND');
    const queue = channel.queues[to];
    if (queue.length >= limits.maxMessagesPerRole) throw new RelayError('RELAY_ERR_PROVISIONING_FULL', undefined, { maxMessagesPerRole: limits.maxMessagesPerRole });
    if (this.bytes + message.length > limits.maxTotalBytes) throw new RelayError('RELAY_ERR_PROVISIONING_BUSY', 'provisioning.maxTotalBytes reached');
    // A copy: the caller's buffer may be reused once this resolves.
    queue.push(new Uint8Array(message));
    this.bytes += message.length;
    for (const waiter of [...channel.waiters]) if (waiter.role === to) waiter.wake();
  }

  async take(channelId: string, role: ProvisioningRole, now: number): Promise<Uint8Array | null> {
    const channel = this.live(channelId, now);
    if (channel === undefined) throw new RelayError('RELAY_ERR_PROVISIONING_NOT_FOUND');
    const message = channel.queues[role].shift();
    if (message === undefined) return null;
    this.bytes -= message.length;
    return message;
  }

  waitFor(channelId: string, role: ProvisioningRole, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    const channel = this.channels.get(channelId);
    // Checked at registration, so a message posted between the caller's take() and this call is never missed.
    if (this.stopped || channel === undefined || channel.queues[role].length > 0 || timeoutMs <= 0 || signal?.aborted === true) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        channel.waiters.delete(waiter);
        resolve();
      };
      const waiter: Waiter = { role, wake: done };
      const timer = setTimeout(done, timeoutMs);
      signal?.addEventListener('abort', done, { once: true });
      channel.waiters.add(waiter);
    });
  }

  async close(channelId: string): Promise<boolean> {
    const channel = this.channels.get(channelId);
    if (channel === undefined) return false;
    this.drop(channelId, channel);
    return true;
  }

  async sweep(now: number): Promise<number> {
    let dropped = 0;
    for (const [channelId, channel] of [...this.channels]) {
      if (now >= channel.info.expiresAt) {
        this.drop(channelId, channel);
        dropped++;
      }
    }
    return dropped;
  }

  async stats(): Promise<MailboxStats> {
    let messages = 0;
    let waiting = 0;
    for (const channel of this.channels.values()) {
      messages += channel.queues.initiator.length + channel.queues.joiner.length;
      waiting += channel.waiters.size;
    }
    return { channels: this.channels.size, messages, bytes: this.bytes, waiting };
  }

  async shutdown(): Promise<void> {
    this.stopped = true;
    for (const channel of this.channels.values()) for (const waiter of [...channel.waiters]) waiter.wake();
  }
}
