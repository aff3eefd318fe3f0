/**
 * Contract suite for ProvisioningMailbox: channel lifetime, per-role queues in order, every
 * bound, and waits that wake on a post and never miss one.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { MailboxLimits, OpenChannel, ProvisioningMailbox } from '../../src/provisioning/provisioning-mailbox.js';

const LIMITS: MailboxLimits = { maxChannels: 3, maxMessagesPerRole: 2, maxTotalBytes: 100 };
const owner = { accountId: 'sp1owner', deviceId: 1 };
const bytes = (length: number, fill = 1) => new Uint8Array(length).fill(fill);

let counter = 0;
function channel(expiresAt = 10_000): OpenChannel {
  counter++;
  return { channelId: `channel-${counter}`, owner, createdAt: 0, expiresAt };
}

export function runProvisioningMailboxContract(name: string, makeMailbox: () => Promise<ProvisioningMailbox>): void {
  describe(`ProvisioningMailbox contract: ${name}`, () => {
    let mailbox: ProvisioningMailbox;
    beforeEach(async () => {
      mailbox = await makeMailbox();
    });

    it('keeps a channel until it expires', async () => {
      const c = channel(1_000);
      await mailbox.open(c, LIMITS, 0);
      expect(await mailbox.get(c.channelId, 999)).toEqual(c);
      expect(await mailbox.get(c.channelId, 1_000)).toBeNull();
      await expect(mailbox.post(c.channelId, 'joiner', bytes(1), LIMITS, 1_000)).rejects.toMatchObject({ code: 'RELAY_ERR_PROVISIONING_NOT_FOUND' });
      await expect(mailbox.take(c.channelId, 'joiner', 1_000)).rejects.toMatchObject({ code: 'RELAY_ERR_PROVISIONING_NOT_FOUND' });
      expect(await mailbox.get('unknown', 0)).toBeNull();
    });

    it('delivers each message once, oldest first, only to the role it was sent to', async () => {
      const c = channel();
      await mailbox.open(c, LIMITS, 0);
      await mailbox.post(c.channelId, 'joiner', bytes(3, 1), LIMITS, 1);
      await mailbox.post(c.channelId, 'joiner', bytes(3, 2), LIMITS, 2);
      await mailbox.post(c.channelId, 'initiator', bytes(4, 9), LIMITS, 3);
      expect(await mailbox.take(c.channelId, 'joiner', 4)).toEqual(bytes(3, 1));
      expect(await mailbox.take(c.channelId, 'joiner', 4)).toEqual(bytes(3, 2));
      expect(await mailbox.take(c.channelId, 'joiner', 4)).toBeNull();
      expect(await mailbox.take(c.channelId, 'initiator', 4)).toEqual(bytes(4, 9));
      expect(await mailbox.stats()).toEqual({ channels: 1, messages: 0, bytes: 0, waiting: 0 });
    });

    it('keeps its own copy of a posted message', async () => {
      const c = channel();
      await mailbox.open(c, LIMITS, 0);
      const message = bytes(5, 7);
      await mailbox.post(c.channelId, 'initiator', message, LIMITS, 1);
      message.fill(0);
      expect(await mailbox.take(c.channelId, 'initiator', 2)).toEqual(bytes(5, 7));
    });

    it('enforces messages per role, total bytes and open channels, storing nothing when refused', async () => {
      const a = channel();
      await mailbox.open(a, LIMITS, 0);
      await mailbox.post(a.channelId, 'joiner', bytes(10), LIMITS, 1);
      await mailbox.post(a.channelId, 'joiner', bytes(10), LIMITS, 1);
      await expect(mailbox.post(a.channelId, 'joiner', bytes(1), LIMITS, 1)).rejects.toMatchObject({ code: 'RELAY_ERR_PROVISIONING_FULL' });
      await mailbox.post(a.channelId, 'initiator', bytes(70), LIMITS, 1);
      await expect(mailbox.post(a.channelId, 'initiator', bytes(11), LIMITS, 1)).rejects.toMatchObject({ code: 'RELAY_ERR_PROVISIONING_BUSY' });
      expect(await mailbox.stats()).toEqual({ channels: 1, messages: 3, bytes: 90, waiting: 0 });

      await mailbox.open(channel(), LIMITS, 0);
      await mailbox.open(channel(500), LIMITS, 0);
      await expect(mailbox.open(channel(), LIMITS, 100)).rejects.toMatchObject({ code: 'RELAY_ERR_PROVISIONING_BUSY' });
      // Once one has expired, opening makes room by dropping it.
      await mailbox.open(channel(), LIMITS, 500);
      expect((await mailbox.stats()).channels).toBe(3);
    });

    it('closes and sweeps channels, freeing their bytes', async () => {
      const a = channel(100);
      const b = channel(1_000);
      await mailbox.open(a, LIMITS, 0);
      await mailbox.open(b, LIMITS, 0);
      await mailbox.post(a.channelId, 'joiner', bytes(20), LIMITS, 1);
      await mailbox.post(b.channelId, 'joiner', bytes(30), LIMITS, 1);
      expect(await mailbox.sweep(100)).toBe(1);
      expect(await mailbox.stats()).toEqual({ channels: 1, messages: 1, bytes: 30, waiting: 0 });
      expect(await mailbox.close(b.channelId)).toBe(true);
      expect(await mailbox.close(b.channelId)).toBe(false);
      expect(await mailbox.stats()).toEqual({ channels: 0, messages: 0, bytes: 0, waiting: 0 });
    });

    it('wakes a waiter with the post for its role, and returns at once when one is already waiting', async () => {
      const c = channel();
      await mailbox.open(c, LIMITS, 0);
      let woke = false;
      const waiting = mailbox.waitFor(c.channelId, 'joiner', 20_000).then(() => (woke = true));
      expect((await mailbox.stats()).waiting).toBe(1);
      await mailbox.post(c.channelId, 'initiator', bytes(1), LIMITS, 1);
      await new Promise((resolve) => setImmediate(resolve));
      expect(woke).toBe(false);
      await mailbox.post(c.channelId, 'joiner', bytes(2), LIMITS, 1);
      await waiting;
      expect(woke).toBe(true);
      expect((await mailbox.stats()).waiting).toBe(0);
      // A message is waiting: no wait at all (a 20 s timer here would hold the test).
      await mailbox.waitFor(c.channelId, 'joiner', 20_000);
      expect(await mailbox.take(c.channelId, 'joiner', 2)).toEqual(bytes(2));
    });

    it('ends waits on timeout, abort, close and shutdown', async () => {
      const c = channel();
      await mailbox.open(c, LIMITS, 0);
      await mailbox.waitFor(c.channelId, 'joiner', 1);
      const abort = new AbortController();
      const aborted = mailbox.waitFor(c.channelId, 'joiner', 20_000, abort.signal);
      abort.abort();
      await aborted;
      expect((await mailbox.stats()).waiting).toBe(0);
      const closing = mailbox.waitFor(c.channelId, 'initiator', 20_000);
      await mailbox.close(c.channelId);
      await closing;
      const d = channel();
      await mailbox.open(d, LIMITS, 0);
      const stopping = mailbox.waitFor(d.channelId, 'joiner', 20_000);
      await mailbox.shutdown();
      await stopping;
      await mailbox.waitFor(d.channelId, 'joiner', 20_000);
    });
  });
}
