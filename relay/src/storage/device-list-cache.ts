/**
 * An in-memory cache of each account's device rows for the send path (MessageService.planSend
 * reads the recipient's and the sender's lists on every send). It wraps an AccountStore: every
 * write through the wrapper that can change an account's devices (createAccount, deleteAccount,
 * replaceDeviceList, removeDevice) drops that account's entry when it starts and again when it
 * settles, and a read that overlapped any such write is not cached — so once a write through
 * this relay's storage resolved, no read returns the list from before it.
 *
 * Writes this process never sees (an operator's `sealpost-relay admin` removing a device or
 * deleting an account in another process sharing the database) leave an entry stale for at most
 * `ttlMs`. That is safe on the send path: the enqueue re-checks every target device inside its
 * transaction and refuses a removed one as `extra` (the sender then calls forget()), and the
 * removed device's own connection is caught by its next send (MessageService.requireActive reads
 * storage, uncached) or by the next heartbeat (DeviceConnection.closeIfRemoved). `lastSeenAt` in
 * a cached row is not kept up to date: readers of this cache must not use it.
 */
import type { AccountStore } from './account-store.js';
import type { DeviceRecord } from './records.js';

export interface DeviceListReader {
  /** The account's devices (empty when it has none or does not exist), possibly from the cache. */
  listDevices(accountId: string): Promise<readonly DeviceRecord[]>;
  /** Drops an account's cached list (a write showed it out of date). */
  forget(accountId: string): void;
}

export interface DeviceListCacheOptions {
  /** How long a cached list may be used (bounds staleness after writes by other processes). */
  readonly ttlMs: number;
  /** Most accounts kept; the oldest entry goes first. */
  readonly maxAccounts: number;
  readonly clock?: () => number;
}

/** AccountStore methods that can change an account's device rows, and where their account id is. */
const WRITES: Record<string, (args: unknown[]) => string> = {
  createAccount: (args) => (args[0] as { accountId: string }).accountId,
  deleteAccount: (args) => args[0] as string,
  replaceDeviceList: (args) => args[0] as string,
  removeDevice: (args) => (args[0] as { accountId: string }).accountId,
};

export function cacheDeviceLists(store: AccountStore, options: DeviceListCacheOptions): { accounts: AccountStore; deviceLists: DeviceListReader } {
  const clock = options.clock ?? Date.now;
  const entries = new Map<string, { readonly devices: readonly DeviceRecord[]; readonly at: number }>();
  // Bumped when any device-changing write starts or settles; a read that saw it move caches nothing.
  let writes = 0;

  const deviceLists: DeviceListReader = {
    async listDevices(accountId) {
      const entry = entries.get(accountId);
      if (entry !== undefined && clock() - entry.at < options.ttlMs) return entry.devices;
      const before = writes;
      const devices = await store.listDevices(accountId);
      if (writes === before && devices.length > 0) {
        entries.delete(accountId);
        entries.set(accountId, { devices, at: clock() });
        if (entries.size > options.maxAccounts) entries.delete(entries.keys().next().value as string);
      }
      return devices;
    },
    forget(accountId) {
      entries.delete(accountId);
    },
  };

  const wrapped = new Map<PropertyKey, unknown>();
  const accounts = new Proxy(store, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      let bound = wrapped.get(property);
      if (bound === undefined) {
        const accountOf = typeof property === 'string' ? WRITES[property] : undefined;
        const method = value as (...args: unknown[]) => unknown;
        bound =
          accountOf === undefined
            ? method.bind(target)
            : async (...args: unknown[]) => {
                const accountId = accountOf(args);
                writes++;
                entries.delete(accountId);
                try {
                  return await method.apply(target, args);
                } finally {
                  writes++;
                  entries.delete(accountId);
                }
              };
        wrapped.set(property, bound);
      }
      return bound;
    },
  });
  return { accounts, deviceLists };
}
