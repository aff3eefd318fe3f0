/**
 * InProcessBus: MessageBus for a single relay process. Handlers run synchronously inside
 * publish (a handler that throws is isolated so one bad subscriber cannot starve the others).
 */
import type { BusEvent, BusHandler, BusSubscription, MessageBus } from './message-bus.js';
import { channelOf } from './message-bus.js';
import type { DeviceAddress } from '../storage/records.js';

export class InProcessBus implements MessageBus {
  private readonly channels = new Map<string, Set<BusHandler>>();
  private closed = false;

  constructor(private readonly onHandlerError: (error: unknown) => void = () => {}) {}

  async publish(address: DeviceAddress, event: BusEvent): Promise<number> {
    if (this.closed) return 0;
    const handlers = this.channels.get(channelOf(address));
    if (handlers === undefined) return 0;
    let reached = 0;
    for (const handler of [...handlers]) {
      try {
        handler(event);
        reached++;
      } catch (error) {
        this.onHandlerError(error);
      }
    }
    return reached;
  }

  async subscribe(address: DeviceAddress, handler: BusHandler): Promise<BusSubscription> {
    const channel = channelOf(address);
    let handlers = this.channels.get(channel);
    if (handlers === undefined) {
      handlers = new Set();
      this.channels.set(channel, handlers);
    }
    // Wrap so subscribing the same function twice gives two independent subscriptions.
    const entry: BusHandler = (event) => handler(event);
    handlers.add(entry);
    return {
      unsubscribe: async () => {
        const set = this.channels.get(channel);
        if (set === undefined) return;
        set.delete(entry);
        if (set.size === 0) this.channels.delete(channel);
      },
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.channels.clear();
  }
}
