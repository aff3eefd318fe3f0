/**
 * Runs the media and push-subscription store contracts against their in-memory implementations
 * (the SQLite ones run in ../sqlite/sqlite-storage.test.ts).
 */
import { InMemoryMediaStore } from '../../../src/storage/memory/in-memory-media-store.js';
import { InMemoryPushSubscriptionStore } from '../../../src/storage/memory/in-memory-push-subscription-store.js';
import { runMediaStoreContract } from '../../support/media-store-contract.js';
import { runPushSubscriptionStoreContract } from '../../support/push-subscription-store-contract.js';

runMediaStoreContract('in memory', () => ({ store: new InMemoryMediaStore(), close: () => undefined }));
runPushSubscriptionStoreContract('in memory', async () => ({ store: new InMemoryPushSubscriptionStore(), addDevices: async () => {}, cleanup: async () => {} }));
