/**
 * Contract suite for MessageBus. A networked bus (Redis) runs the same suite; `settle` lets an
 * asynchronous implementation deliver before assertions (the in-process bus needs none).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BusEvent, MessageBus } from '../../src/bus/message-bus.js';

export interface BusFactory {
  (): Promise<{ bus: MessageBus; cleanup: () => Promise<void>; settle?: () => Promise<void> }>;
}

export function runMessageBusContract(name: string, makeBus: BusFactory): void {
  describe(`MessageBus contract: ${name}`, () => {
    let bus: MessageBus;
    let cleanup: () => Promise<void>;
    let settle: () => Promise<void>;
    const a1 = { accountId: 'a', deviceId: 1 };
    const a2 = { accountId: 'a', deviceId: 2 };

    beforeEach(async () => {
      const made = await makeBus();
      bus = made.bus;
      cleanup = made.cleanup;
      settle = made.settle ?? (async () => {});
    });
    afterEach(async () => {
      await cleanup();
    });

    it('delivers an event to every subscriber of that device only, and counts them', async () => {
      const got1: BusEvent[] = [];
      const got1b: BusEvent[] = [];
      const got2: BusEvent[] = [];
      await bus.subscribe(a1, (e) => got1.push(e));
      await bus.subscribe(a1, (e) => got1b.push(e));
      await bus.subscribe(a2, (e) => got2.push(e));
      expect(await bus.publish(a1, { type: 'queued' })).toBe(2);
      await settle();
      expect(got1).toEqual([{ type: 'queued' }]);
      expect(got1b).toEqual([{ type: 'queued' }]);
      expect(got2).toEqual([]);
    });

    it('reaches nobody on a channel without subscribers', async () => {
      expect(await bus.publish({ accountId: 'nobody', deviceId: 1 }, { type: 'device-removed' })).toBe(0);
    });

    it('keeps event contents intact', async () => {
      const got: BusEvent[] = [];
      await bus.subscribe(a1, (e) => got.push(e));
      const events: BusEvent[] = [
        { type: 'online-only', frame: '{"v":1}' },
        { type: 'connected', connectionId: 'c-1', openedAt: 5, sequence: 2 },
        { type: 'prekeys-low', oneTimeX25519: 1, oneTimeKem: 0 },
      ];
      for (const event of events) await bus.publish(a1, event);
      await settle();
      expect(got).toEqual(events);
    });

    it('stops delivering after unsubscribe', async () => {
      const got: BusEvent[] = [];
      const subscription = await bus.subscribe(a1, (e) => got.push(e));
      await subscription.unsubscribe();
      expect(await bus.publish(a1, { type: 'queued' })).toBe(0);
      await settle();
      expect(got).toEqual([]);
    });

    it('isolates a throwing subscriber from the others', async () => {
      const got: BusEvent[] = [];
      await bus.subscribe(a1, () => {
        throw new Error('boom');
      });
      await bus.subscribe(a1, (e) => got.push(e));
      await bus.publish(a1, { type: 'queued' });
      await settle();
      expect(got).toEqual([{ type: 'queued' }]);
    });
  });
}
