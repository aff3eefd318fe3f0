import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SealedStore } from '../../src/store/sealed-store.js';
import { fakeMessage } from '../support/records.js';
import { createTestStore, testAccountId } from '../support/store.js';
import { TempDirs } from '../support/temp-dir.js';

const temp = new TempDirs();
let store: SealedStore;
const bob = testAccountId(2);
const carol = testAccountId(3);

beforeEach(async () => {
  store = (await createTestStore(temp.make())).store;
});
afterEach(() => {
  store.close();
  temp.cleanup();
});

describe('MessageStore', () => {
  it('drops a second delivery of the same incoming message', () => {
    expect(store.messages.insert(fakeMessage({ id: 'x', peer: bob, direction: 'in', body: 'first' }))).toBe(true);
    expect(store.messages.insert(fakeMessage({ id: 'x', peer: bob, direction: 'in', body: 'replayed' }))).toBe(false);
    expect(store.messages.getIncoming(bob, 'x')?.body).toBe('first');
  });

  it('keeps the same id from two different senders apart', () => {
    expect(store.messages.insert(fakeMessage({ id: 'same', peer: bob, direction: 'in' }))).toBe(true);
    expect(store.messages.insert(fakeMessage({ id: 'same', peer: carol, direction: 'in' }))).toBe(true);
    expect(store.messages.getIncoming(carol, 'same')?.peer).toBe(carol);
  });

  it('returns the last N messages of one conversation, oldest first', () => {
    for (let i = 0; i < 5; i++) {
      store.messages.insert(fakeMessage({ id: `b${i}`, peer: bob, direction: i % 2 === 0 ? 'in' : 'out' }));
      store.messages.insert(fakeMessage({ id: `c${i}`, peer: carol, direction: 'in' }));
    }
    expect(store.messages.history(bob, 3).map((m) => m.id)).toEqual(['b2', 'b3', 'b4']);
    expect(store.messages.history(carol, 100)).toHaveLength(5);
  });

  it('counts unread incoming messages per conversation and marks a conversation read', () => {
    store.messages.insert(fakeMessage({ id: '1', peer: bob, direction: 'in' }));
    store.messages.insert(fakeMessage({ id: '2', peer: bob, direction: 'in' }));
    store.messages.insert(fakeMessage({ id: '3', peer: carol, direction: 'in' }));
    store.messages.insert(fakeMessage({ id: '4', peer: carol, direction: 'out' }));
    expect(store.messages.unreadCounts()).toEqual([
      { peer: bob, count: 2 },
      { peer: carol, count: 1 },
    ]);
    const read = store.messages.markConversationRead(bob, 42);
    expect(read.map((m) => [m.id, m.readAt])).toEqual([
      ['1', 42],
      ['2', 42],
    ]);
    expect(store.messages.unreadCounts()).toEqual([{ peer: carol, count: 1 }]);
    expect(store.messages.markConversationRead(bob, 43)).toEqual([]);
  });

  it('updates one outgoing message and reports an unknown id', () => {
    store.messages.insert(fakeMessage({ id: 'o', peer: bob, direction: 'out', deliveries: [{ accountId: bob, deviceId: 1, state: 'sent', at: 1 }] }));
    const updated = store.messages.update('out', bob, 'o', (m) => ({ ...m, deliveries: m.deliveries.map((d) => ({ ...d, state: 'delivered', at: 2 })) }));
    expect(updated?.deliveries[0]?.state).toBe('delivered');
    expect(store.messages.getOutgoing('o')?.deliveries[0]?.state).toBe('delivered');
    expect(store.messages.update('out', bob, 'missing', (m) => m)).toBeUndefined();
    expect(store.messages.getOutgoing('missing')).toBeUndefined();
  });
});

describe('SeenStore', () => {
  it('remembers processed envelope ids and prunes old ones', () => {
    expect(store.seen.markSeen('env-1', 100)).toBe(true);
    expect(store.seen.markSeen('env-1', 101)).toBe(false);
    expect(store.seen.hasSeen('env-1')).toBe(true);
    expect(store.seen.pruneBefore(200)).toBe(1);
    expect(store.seen.hasSeen('env-1')).toBe(false);
  });
});
