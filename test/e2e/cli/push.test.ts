// Web Push subscriptions through the real binary: a relay with push on (and loopback endpoints
// allowed, as for a LAN push service) takes, shows and removes this device's subscription and
// refuses a plain-http endpoint with its reason; a relay with push off says it has no push.
import { createECDH, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLines, requireBuild, runSealpost } from '../../support/cli-process.js';
import { TestRelay } from '../../support/cli-relay.js';

let root: string;
const relays: TestRelay[] = [];

async function json(profile: string, ...args: string[]): Promise<Record<string, unknown>> {
  const result = await runSealpost(['--data-dir', profile, '--json', ...args]);
  expect(result.code, `${args.join(' ')}\n${result.stdout}\n${result.stderr}`).toBe(0);
  const values = jsonLines(result.stdout);
  expect(values).toHaveLength(1);
  return values[0] as Record<string, unknown>;
}

/** A subscription's keys as a browser makes them (RFC 8291 §3): a P-256 point and 16 bytes. */
function subscriptionKeys(): { p256dh: string; auth: string } {
  const ecdh = createECDH('prime256v1');
  return { p256dh: ecdh.generateKeys().toString('base64url'), auth: randomBytes(16).toString('base64url') };
}

beforeAll(() => {
  requireBuild();
  root = mkdtempSync(join(tmpdir(), 'sealpost-e2e-push-'));
});

afterAll(async () => {
  for (const relay of relays) await relay.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('push subscriptions', () => {
  it('subscribe, status, a refused non-https endpoint, unsubscribe', async () => {
    const relay = await TestRelay.start(mkdtempSync(join(root, 'relay-')), { push: { subject: 'mailto:ops@example.org' } }, ['--push-allow-private-endpoints']);
    relays.push(relay);
    const alice = join(root, 'alice');
    await json(alice, 'init', '--relay', relay.origin, '--username', 'alice');

    const before = await json(alice, 'push', 'status');
    expect(before).toMatchObject({ type: 'push-status', v: 1, subscribed: false });
    expect(String(before.vapidPublicKey)).toMatch(/^[A-Za-z0-9_-]{87}$/);

    const keys = subscriptionKeys();
    const endpoint = 'https://127.0.0.1:9/push/v1/alice-laptop';
    const subscribed = await json(alice, 'push', 'subscribe', '--endpoint', endpoint, '--p256dh', keys.p256dh, '--auth', keys.auth);
    expect(subscribed).toMatchObject({ type: 'push-subscribe', subscribed: true, endpoint, failureCount: 0 });
    expect(await json(alice, 'push', 'status')).toMatchObject({ subscribed: true, endpoint, failureCount: 0, vapidPublicKey: before.vapidPublicKey });

    // RFC 8030 §8.1: push services are reached over https only; the relay says so and keeps the
    // subscription it had.
    const refused = await runSealpost(['--data-dir', alice, '--json', 'push', 'subscribe', '--endpoint', 'http://127.0.0.1:9/push', '--p256dh', keys.p256dh, '--auth', keys.auth]);
    expect(refused.code).toBe(10);
    expect(jsonLines(refused.stdout)[0]).toMatchObject({ type: 'error', code: 'CLI_ERR_PUSH_ENDPOINT_REFUSED', exitCode: 10, details: { reason: 'endpoint-not-https', relayCode: 'RELAY_ERR_PUSH_SUBSCRIPTION_REFUSED' } });
    const text = await runSealpost(['--data-dir', alice, 'push', 'subscribe', '--endpoint', 'https://127.0.0.1:9/push', '--p256dh', 'not-a-key', '--auth', keys.auth]);
    expect(text.code).toBe(10);
    expect(text.stderr).toContain('p256dh-invalid');
    expect(await json(alice, 'push', 'status')).toMatchObject({ subscribed: true, endpoint });

    expect(await json(alice, 'push', 'unsubscribe')).toMatchObject({ type: 'push-unsubscribe', subscribed: false });
    expect(await json(alice, 'push', 'status')).toMatchObject({ subscribed: false });
  });

  it('a relay with push switched off says so', async () => {
    const relay = await TestRelay.start(mkdtempSync(join(root, 'no-push-relay-')), { push: { enabled: false } });
    relays.push(relay);
    const bob = join(root, 'bob');
    await json(bob, 'init', '--relay', relay.origin, '--username', 'bob');
    const status = await runSealpost(['--data-dir', bob, '--json', 'push', 'status']);
    expect(status.code).toBe(10);
    expect(jsonLines(status.stdout)[0]).toMatchObject({ code: 'CLI_ERR_FEATURE_UNAVAILABLE', details: { relayCode: 'RELAY_ERR_NOT_FOUND' } });
  });
});
