/**
 * The real executable in a child process: it listens where told, SIGTERM drains (WebSockets get
 * 1001, the process exits 0), and its logs — at debug level, during registration, login and a
 * send — contain no token, key, signature or payload.
 */
import { toBase64Url } from '@sealpost/crypto/public';
import { afterEach, describe, expect, it } from 'vitest';
import { sentFrameSchema } from '../../src/api/index.js';
import { spawnRelay } from '../support/relay-process.js';
import { makeTempDir } from '../support/temp-dir.js';
import type { TempDir } from '../support/temp-dir.js';
import { registerAccount } from '../support/test-accounts.js';
import { connect } from '../support/ws-client.js';

describe('sealpost-relay process', () => {
  let dir: TempDir | undefined;
  afterEach(() => dir?.remove());

  it('drains on SIGTERM and never logs secrets or payloads', async () => {
    dir = makeTempDir();
    const relay = await spawnRelay(['--data-dir', dir.path, '--log-level', 'debug'], { SEALPOST_RELAY_RATE_LIMITS__AUTH_PER_ADDRESS__LIMIT: '1000' });
    const { child } = relay;
    try {
      const url = relay.url;
      const alice = await registerAccount(url, { prekeys: 1 });
      const bob = await registerAccount(url);
      const socket = await connect(relay.wsUrl, alice.token());
      const payload = toBase64Url(new TextEncoder().encode('a very secret ciphertext payload'));
      socket.send({ v: 1, type: 'send', clientId: 'c1', to: bob.accountId, copies: [{ deviceId: 1, ciphertext: payload }] });
      sentFrameSchema.parse(await socket.next('sent'));

      child.kill('SIGTERM');
      expect(await socket.closed).toEqual({ code: 1001, reason: 'RELAY_ERR_SHUTTING_DOWN' });
      expect(await relay.exited).toBe(0);
      const stdout = relay.stdout();
      expect(stdout).toContain('"event":"relay.closed"');

      for (const secret of [alice.token(), bob.token(), payload, alice.identity.accountKeyText, alice.token().split('.')[2]!]) {
        expect(stdout).not.toContain(secret);
      }
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
