import { describe, expect, it } from 'vitest';
import { messageState, overallState, withDelivery } from '../../src/session/messages.js';
import { fakeMessage } from '../support/records.js';

const bob = 'sp1bob';
const me = 'sp1me';

describe('delivery state', () => {
  it('is delivered only when every recipient device has it, read when any read it, ignoring own devices', () => {
    const d = (accountId: string, deviceId: number, state: 'sent' | 'delivered' | 'read' | 'pending') => ({ accountId, deviceId, state, at: 0 });
    expect(overallState([], bob)).toBe('pending');
    expect(overallState([d(bob, 1, 'delivered'), d(bob, 2, 'sent')], bob)).toBe('sent');
    expect(overallState([d(bob, 1, 'delivered'), d(bob, 2, 'delivered'), d(me, 2, 'sent')], bob)).toBe('delivered');
    expect(overallState([d(bob, 1, 'read'), d(bob, 2, 'sent')], bob)).toBe('read');
    expect(overallState([d(me, 2, 'read')], bob)).toBe('pending');
  });

  it('never moves a device backwards, and returns the same record when nothing changes', () => {
    let m = fakeMessage({ id: 'x', peer: bob, direction: 'out' });
    m = withDelivery(m, { accountId: bob, deviceId: 1 }, 'sent', 1);
    m = withDelivery(m, { accountId: bob, deviceId: 1 }, 'read', 3);
    const same = withDelivery(m, { accountId: bob, deviceId: 1 }, 'delivered', 4);
    expect(same).toBe(m);
    expect(withDelivery(m, { accountId: bob, deviceId: 1 }, 'failed', 5)).toBe(m);
    expect(messageState(m)).toBe('read');
    const failed = withDelivery(withDelivery(m, { accountId: bob, deviceId: 2 }, 'sent', 1), { accountId: bob, deviceId: 2 }, 'failed', 6);
    expect(failed.deliveries.map((x) => x.state)).toEqual(['read', 'failed']);
  });
});
