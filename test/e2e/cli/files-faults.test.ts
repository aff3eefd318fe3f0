// Files when things go wrong on the way, each ending in a clear error, the exit code of its
// category and nothing half-done: a relay with small media limits (an oversize file, a used-up
// quota), and a relay behind a proxy that drops an upload or a download part-way, or holds a
// transfer back until its signed URL has expired.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLines, requireBuild, runSealpost, type RunResult } from '../../support/cli-process.js';
import { FaultProxy } from '../../support/cli-proxy.js';
import { TestRelay } from '../../support/cli-relay.js';

let root: string;
const relays: TestRelay[] = [];
let proxy: FaultProxy;

async function json(profile: string, ...args: string[]): Promise<Record<string, unknown>> {
  const result = await runSealpost(['--data-dir', profile, '--json', ...args]);
  expect(result.code, `${args.join(' ')}\n${result.stdout}\n${result.stderr}`).toBe(0);
  return jsonLines(result.stdout).filter((v) => v.type !== 'progress')[0] as Record<string, unknown>;
}

/** The error object a --json run ended with. */
function errorOf(result: RunResult): Record<string, unknown> {
  return jsonLines(result.stdout).at(-1) as Record<string, unknown>;
}

function file(name: string, size: number): string {
  const path = join(root, name);
  writeFileSync(path, randomBytes(size));
  return path;
}

/** Two registered profiles on `relay`; returns their directories. */
async function pair(relay: { origin: string }, tag: string): Promise<{ alice: string; bob: string }> {
  const alice = join(root, `${tag}-alice`);
  const bob = join(root, `${tag}-bob`);
  await json(alice, 'init', '--relay', relay.origin, '--username', `${tag}alice`);
  await json(bob, 'init', '--relay', relay.origin, '--username', `${tag}bob`);
  return { alice, bob };
}

async function messagesOf(bob: string): Promise<Array<Record<string, unknown>>> {
  const received = await json(bob, 'receive');
  return (received.events as Array<Record<string, unknown>>).filter((e) => e.type === 'message');
}

beforeAll(async () => {
  requireBuild();
  root = mkdtempSync(join(tmpdir(), 'sealpost-e2e-file-faults-'));
});

afterAll(async () => {
  for (const relay of relays) await relay.stop();
  await proxy?.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('media limits', () => {
  // A 100,000-byte file pads to 100,352 bytes and encrypts to 100,402: two fit the quota, a
  // third does not; a 200,000-byte file encrypts to more than the largest object.
  it('an oversize file and a used-up quota are refused before any upload, naming the limit', async () => {
    const relay = await TestRelay.start(mkdtempSync(join(root, 'limits-relay-')), { media: { maxObjectBytes: 150_000, quotaBytesPerAccount: 250_000 } });
    relays.push(relay);
    const { alice, bob } = await pair(relay, 'limits');

    const big = await runSealpost(['--data-dir', alice, '--json', 'send-file', `limitsbob`, file('big.bin', 200_000)]);
    expect(big.code).toBe(10);
    expect(errorOf(big)).toMatchObject({ type: 'error', code: 'CLI_ERR_MEDIA_TOO_LARGE', exitCode: 10, details: { relayCode: 'RELAY_ERR_MEDIA_TOO_LARGE' } });
    expect(jsonLines(big.stdout).some((l) => l.type === 'progress' && l.phase === 'upload' && Number(l.bytes) > 0)).toBe(false);

    await json(alice, 'send-file', 'limitsbob', file('one.bin', 100_000));
    await json(alice, 'send-file', 'limitsbob', file('two.bin', 100_000));
    const third = await runSealpost(['--data-dir', alice, '--json', 'send-file', 'limitsbob', file('three.bin', 100_000)]);
    expect(third.code).toBe(10);
    expect(errorOf(third)).toMatchObject({ code: 'CLI_ERR_MEDIA_QUOTA_EXCEEDED', details: { relayCode: 'RELAY_ERR_MEDIA_QUOTA_EXCEEDED' } });
    expect((await messagesOf(bob)).map((m) => (m.file as { name: string }).name)).toEqual(['one.bin', 'two.bin']);
  });
});

describe('broken transfers', () => {
  let alice: string;
  let bob: string;
  let relay: TestRelay;

  beforeAll(async () => {
    proxy = await FaultProxy.start();
    // URLs live 2 s, and every URL the relay issues points at the proxy.
    relay = await TestRelay.start(mkdtempSync(join(root, 'proxied-relay-')), {
      server: { publicOrigin: proxy.origin },
      media: { uploadUrlTtlSeconds: 2, downloadUrlTtlSeconds: 2 },
    });
    relays.push(relay);
    proxy.forwardTo(relay.port);
    ({ alice, bob } = await pair(proxy, 'proxied'));
  });

  it('an upload cut off part-way fails as truncated; nothing is stored or sent', async () => {
    proxy.faults = { cutUploadAfter: 60_000 };
    const result = await runSealpost(['--data-dir', alice, '--json', 'send-file', 'proxiedbob', file('cut-upload.bin', 200_000)]);
    proxy.faults = {};
    expect(proxy.applied).toContain('cut PUT');
    expect(result.code).toBe(3);
    expect(errorOf(result)).toMatchObject({ type: 'error', code: 'CLI_ERR_MEDIA_TRUNCATED', exitCode: 3 });
    expect(await messagesOf(bob)).toEqual([]);
    // The relay discarded the partial upload, and the client deleted the pending media.
    const mediaDir = join(relay.dataDir, 'media');
    expect(existsSync(mediaDir) ? readdirSync(mediaDir) : []).toEqual([]);
  });

  it('a download cut off part-way fails as truncated and saves nothing', async () => {
    const sent = await json(alice, 'send-file', 'proxiedbob', file('cut-download.bin', 200_000));
    await messagesOf(bob);
    const target = mkdtempSync(join(root, 'cut-download-'));
    proxy.faults = { cutDownloadAfter: 60_000 };
    const result = await runSealpost(['--data-dir', bob, '--json', 'download', String(sent.id), '--out', target]);
    proxy.faults = {};
    expect(proxy.applied).toContain('cut GET');
    expect(result.code).toBe(3);
    expect(errorOf(result)).toMatchObject({ code: 'CLI_ERR_MEDIA_TRUNCATED', exitCode: 3 });
    expect(readdirSync(target)).toEqual([]);
    // Nothing is wrong with the file itself: the next try succeeds.
    expect((await json(bob, 'download', String(sent.id), '--out', target)).path).toBe(join(target, 'cut-download.bin'));
  });

  it('URLs that expire before the transfer reaches the relay fail as expired (exit 7)', async () => {
    const sent = await json(alice, 'send-file', 'proxiedbob', file('late.bin', 50_000));
    await messagesOf(bob);
    // Held 3 s: past the 2 s the URLs live, whatever the machine's speed.
    proxy.faults = { holdBlobMs: 3_000 };
    const upload = await runSealpost(['--data-dir', alice, '--json', 'send-file', 'proxiedbob', file('late-upload.bin', 50_000)]);
    const target = mkdtempSync(join(root, 'late-'));
    const download = await runSealpost(['--data-dir', bob, '--json', 'download', String(sent.id), '--out', target]);
    proxy.faults = {};
    expect(proxy.applied.filter((a) => a.startsWith('hold'))).toEqual(['hold PUT', 'hold GET']);
    expect(upload.code).toBe(7);
    expect(errorOf(upload)).toMatchObject({ code: 'CLI_ERR_MEDIA_URL_EXPIRED', exitCode: 7, details: { relayCode: 'RELAY_ERR_MEDIA_URL_EXPIRED' } });
    expect(download.code).toBe(7);
    expect(errorOf(download)).toMatchObject({ code: 'CLI_ERR_MEDIA_URL_EXPIRED', exitCode: 7 });
    expect(readdirSync(target)).toEqual([]);
    expect(await messagesOf(bob)).toEqual([]);
  });
});
