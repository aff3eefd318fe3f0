// A 200 MiB file end to end through the real binary, with the peak memory (RSS) of the sending
// and the receiving process measured: streaming encryption, upload, download, digest check and
// decryption must keep memory flat, far below the file's size. The file is generated on disk
// and hashed as a stream, so the test itself never holds it either.
import { createHash, randomFillSync } from 'node:crypto';
import { closeSync, createReadStream, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLines, REPO_ROOT, requireBuild, runSealpost } from '../../support/cli-process.js';
import { TestRelay } from '../../support/cli-relay.js';

const MIB = 1024 * 1024;
const FILE_BYTES = 200 * MIB;
/** Each CLI process must stay below this (its own runtime included), whatever the file size. */
const MAX_RSS_BYTES = 200 * MIB;
const PROBE = join(REPO_ROOT, 'test', 'dist', 'support', 'cli-rss-probe.js');

let root: string;
let relay: TestRelay;

/** Writes `bytes` pseudo-random bytes, 1 MiB at a time; returns their SHA-256. */
function writeRandomFile(path: string, bytes: number): string {
  const hash = createHash('sha256');
  const block = Buffer.alloc(MIB);
  const fd = openSync(path, 'wx');
  try {
    for (let written = 0; written < bytes; written += block.length) {
      randomFillSync(block);
      writeSync(fd, block);
      hash.update(block);
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Runs the CLI with the RSS probe preloaded; returns the run and its peak RSS in bytes. */
async function measured(args: string[]) {
  const rssFile = join(root, `rss-${args[2] ?? 'run'}-${Date.now()}.txt`);
  const result = await runSealpost(args, { nodeArgs: ['--import', pathToFileURL(PROBE).href], env: { RSS_PROBE_FILE: rssFile }, timeoutMs: 240_000 });
  expect(existsSync(rssFile), `no RSS figure from ${args.join(' ')}`).toBe(true);
  return { result, rssBytes: Number(readFileSync(rssFile, 'utf8').trim()) * 1024 };
}

beforeAll(async () => {
  requireBuild();
  expect(existsSync(PROBE), `${PROBE} is missing: build first with \`npx tsc -b\``).toBe(true);
  root = mkdtempSync(join(tmpdir(), 'sealpost-e2e-large-'));
  relay = await TestRelay.start(mkdtempSync(join(root, 'relay-')), { media: { maxObjectBytes: 256 * MIB } });
});

afterAll(async () => {
  await relay.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('a 200 MiB file', () => {
  it('goes through with flat memory on both sides and arrives intact', { timeout: 600_000 }, async () => {
    const alice = join(root, 'alice');
    const bob = join(root, 'bob');
    for (const [profile, name] of [[alice, 'bigalice'], [bob, 'bigbob']] as const) {
      const init = await runSealpost(['--data-dir', profile, 'init', '--relay', relay.origin, '--username', name]);
      expect(init.code, init.stderr).toBe(0);
    }
    const source = join(root, 'big.bin');
    const digest = writeRandomFile(source, FILE_BYTES);

    const send = await measured(['--data-dir', alice, 'send-file', '--json', 'bigbob', source]);
    expect(send.result.code, send.result.stderr).toBe(0);
    expect(jsonLines(send.result.stdout).at(-1)).toMatchObject({ type: 'send-file', file: { name: 'big.bin', size: FILE_BYTES } });
    const id = String(jsonLines(send.result.stdout).at(-1)?.id);
    rmSync(source);

    const receive = await runSealpost(['--data-dir', bob, 'receive']);
    expect(receive.code, receive.stderr).toBe(0);
    const target = join(root, 'received.bin');
    const download = await measured(['--data-dir', bob, 'download', id, '--out', target]);
    expect(download.result.code, download.result.stderr).toBe(0);
    expect(await sha256Of(target)).toBe(digest);

    console.info(`200 MiB round trip: peak RSS send-file ${(send.rssBytes / MIB).toFixed(1)} MiB, download ${(download.rssBytes / MIB).toFixed(1)} MiB`);
    expect(send.rssBytes).toBeLessThan(MAX_RSS_BYTES);
    expect(download.rssBytes).toBeLessThan(MAX_RSS_BYTES);
  });
});
