/** Runs the PresenceTracker contract against the in-memory tracker. */
import { InMemoryPresenceTracker } from '../../src/presence/in-memory-presence-tracker.js';
import { runPresenceTrackerContract } from '../support/presence-tracker-contract.js';

runPresenceTrackerContract('in-memory', async () => new InMemoryPresenceTracker());
