/**
 * Waiting for a sent message to reach a state (`send --wait`): resolves as soon as the stored
 * state gets there — from a receipt this process handles, or one another process of the profile
 * stored — and fails with CLI_ERR_TIMEOUT at the deadline or with the link's error if it ends.
 */
import { CliError } from '../errors.js';
import type { DeliveryState, MessageRecord } from '../store/records.js';
import { reached } from './messenger.js';
import type { Connection } from './connection.js';

/** Another process (e.g. `listen`) may store receipts for us; look at the store this often. */
const STORE_POLL_MS = 500;

export function waitForState(connection: Connection, message: MessageRecord, target: DeliveryState, deadline: number | undefined): Promise<MessageRecord> {
  const { store } = connection.profile;
  const current = (): MessageRecord | undefined => store.run(() => store.messages.getOutgoing(message.id));
  return new Promise((resolve, reject) => {
    let finished = false;
    const timers: NodeJS.Timeout[] = [];
    const finish = (outcome: () => void): void => {
      if (finished) return;
      finished = true;
      off();
      for (const timer of timers) clearTimeout(timer);
      clearInterval(poll);
      outcome();
    };
    const check = (): void => {
      const latest = current();
      if (latest !== undefined && reached(latest, target)) finish(() => resolve(latest));
    };
    const off = connection.events.on((event) => {
      if (event.type === 'receipt' && event.messageId === message.id) check();
    });
    const poll = setInterval(check, STORE_POLL_MS);
    if (deadline !== undefined) {
      timers.push(
        setTimeout(() => {
          const latest = current() ?? message;
          finish(() => reject(new CliError('CLI_ERR_TIMEOUT', `message ${message.id} did not become ${target}`, { messageId: message.id, wanted: target, deliveries: latest.deliveries })));
        }, Math.max(0, deadline - Date.now())),
      );
    }
    connection.ended().then(
      () => finish(() => reject(new CliError('CLI_ERR_INTERRUPTED', 'the connection closed while waiting'))),
      (error: unknown) => finish(() => reject(error)),
    );
    check();
  });
}

/** Rejects with CLI_ERR_TIMEOUT if `work` does not settle before `deadline` (ms since the epoch). */
export function beforeDeadline<T>(work: Promise<T>, deadline: number | undefined, what: string): Promise<T> {
  if (deadline === undefined) return work;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new CliError('CLI_ERR_TIMEOUT', what)), Math.max(0, deadline - Date.now()));
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
