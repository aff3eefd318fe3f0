/**
 * Crash test (issue 3): a storm of sends, `kill -9` of the relay process at a random moment,
 * restart on the same data folder. Every message that got a `sent` ack is delivered after the
 * restart, and none is stored twice — also when the sender then retries every send with its
 * original client id, as a client that lost its connection would.
 */
import { toBase64Url } from '@sealpost/crypto/public';
import { afterEach, describe, expect, it } from 'vitest';
import type { MessageFrame } from '../../src/api/index.js';
import { spawnRelay } from '../support/relay-process.js';
import type { RelayProcess } from '../support/relay-process.js';
import { makeTempDir } from '../support/temp-dir.js';
import type { TempDir } from '../support/temp-dir.js';
import { login, registerAccount } from '../support/test-accounts.js';
import type { TestAccount } from '../support/test-accounts.js';
import { connect } from '../support/ws-client.js';

const SENDS = 300;
const ROUNDS = 3;
const body = (i: number) => toBase64Url(new TextEncoder().encode(`message ${i}`));
const sendFrame = (to: TestAccount, i: number) => ({ v: 1, type: 'send', clientId: `storm-${i}`, to: to.accountId, copies: [{ deviceId: 1, ciphertext: body(i) }] });

describe('crash durability', () => {
  let dir: TempDir | undefined;
  let relay: RelayProcess | undefined;
  afterEach(() => {
    if (relay !== undefined && relay.child.exitCode === null && relay.child.signalCode === null) relay.child.kill('SIGKILL');
    dir?.remove();
  });

  for (let round = 1; round <= ROUNDS; round++) {
    it(`keeps every acknowledged send across kill -9 (round ${round})`, async () => {
      dir = makeTempDir();
      const env = { SEALPOST_RELAY_LOG__LEVEL: 'info' };
      relay = await spawnRelay(['--data-dir', dir.path], env);
      const alice = await registerAccount(relay.url);
      const bob = await registerAccount(relay.url);

      const sender = await connect(relay.wsUrl, alice.token());
      const acked = new Set<string>();
      // Kill after a random number of acks, while many sends are still in flight.
      const killAfter = 1 + Math.floor(Math.random() * (SENDS / 2));
      const killed = new Promise<void>((resolve) => {
        sender.socket.on('message', (data) => {
          const frame = JSON.parse(data.toString()) as { type: string; clientId?: string };
          if (frame.type !== 'sent' || frame.clientId === undefined) return;
          acked.add(frame.clientId);
          if (acked.size === killAfter) {
            relay!.child.kill('SIGKILL');
            resolve();
          }
        });
      });
      for (let i = 0; i < SENDS; i++) sender.send(sendFrame(bob, i));
      await killed;
      expect(await relay.exited).toBeNull();
      await sender.closed;
      const ackedAtCrash = new Set(acked);
      expect(ackedAtCrash.size).toBeGreaterThanOrEqual(killAfter);

      relay = await spawnRelay(['--data-dir', dir.path], env);
      // Session keys are per process: log in again, as clients do after a restart.
      const aliceToken = await login(relay.url, alice.accountId, alice.device());
      const bobToken = await login(relay.url, bob.accountId, bob.device());

      // Bob first: everything acked before the crash must be there.
      const receiver = await connect(relay.wsUrl, bobToken);
      const received: MessageFrame[] = [];
      const collect = async () => {
        for (;;) {
          const frame = await receiver.next((f) => f.type === 'message' || f.type === 'drained');
          if (frame.type === 'drained') return;
          received.push(frame as MessageFrame);
          receiver.send({ v: 1, type: 'ack', seqs: [(frame as MessageFrame).seq!] });
        }
      };
      await collect();
      const bodies = received.map((m) => m.ciphertext);
      for (const clientId of ackedAtCrash) expect(bodies, clientId).toContain(body(Number(clientId.slice('storm-'.length))));
      expect(new Set(bodies).size).toBe(bodies.length);
      const beforeRetry = new Set(bodies);

      // The sender retries every send with its client id: committed ones are answered as
      // duplicates, the rest are stored now, and nothing is stored twice.
      const retry = await connect(relay.wsUrl, aliceToken);
      for (let i = 0; i < SENDS; i++) retry.send(sendFrame(bob, i));
      const answers = new Map<string, boolean>();
      while (answers.size < SENDS) {
        const frame = await retry.next('sent');
        answers.set(frame.clientId, frame.duplicate);
      }
      for (const clientId of ackedAtCrash) expect(answers.get(clientId), clientId).toBe(true);

      const more = await connect(relay.wsUrl, bobToken);
      await receiver.close();
      const late: MessageFrame[] = [];
      for (;;) {
        const frame = await more.next((f) => f.type === 'message' || f.type === 'drained');
        if (frame.type === 'drained') break;
        late.push(frame as MessageFrame);
        more.send({ v: 1, type: 'ack', seqs: [(frame as MessageFrame).seq!] });
      }
      const all = [...beforeRetry, ...late.map((m) => m.ciphertext)];
      expect(all).toHaveLength(SENDS);
      expect(new Set(all).size).toBe(SENDS);
      await Promise.all([retry.close(), more.close()]);
      relay.child.kill('SIGTERM');
      expect(await relay.exited).toBe(0);
    });
  }
});
