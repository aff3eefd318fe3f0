/**
 * `npm run bench:media`: end-to-end file transfer through a real relay (local media backend) —
 * `sealpost send-file` (encrypt + upload) and `sealpost download` (download + digest check +
 * decrypt + save) of a 256 MiB file, each against a plain upload / download of the same bytes to
 * the same relay in the same run (an authenticated grant, one streamed PUT or GET, no
 * encryption), so the ratio shows what end-to-end encryption and the CLI cost. Also the peak RSS
 * of both CLI processes (flat: it must not grow with the file).
 *
 *   node test/dist/bench/media-bench.js [--smoke] [--json]
 *
 * The CLI runs are whole commands, cold start and key derivation included (about half a second,
 * a few percent at this size). Plain transfers stream from and to disk like the CLI does.
 */
import { randomFillSync } from 'node:crypto';
import { closeSync, createReadStream, createWriteStream, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { compared, info } from './bench-report.js';
import type { BenchFigure, BenchReport } from './bench-report.js';
import { figureLine } from './figure-format.js';
import { registerAccounts } from './relay/bench-accounts.js';
import { initProfiles, PRODUCTION_KDF_ENV, sealpostAs, startBenchRelay } from './cli-profiles.js';
import { jsonLines, REPO_ROOT, RELAY_BIN, runSealpost, SEALPOST_BIN } from '../support/cli-process.js';

/** Issue 5 / 7: encrypted transfer at least half as fast as the plain transfer of the same bytes. */
const HALF_OF_PLAIN = { text: '≥ 0.5x plain', check: (_value: number, ratio: number) => ratio >= 0.5 };

const MIB = 1024 * 1024;
const PROBE = join(REPO_ROOT, 'test', 'dist', 'support', 'cli-rss-probe.js');

/** Writes `bytes` random bytes to `path`, 1 MiB at a time (never held in memory). */
function writeRandomFile(path: string, bytes: number): void {
  const block = Buffer.alloc(MIB);
  const fd = openSync(path, 'wx');
  try {
    for (let written = 0; written < bytes; written += block.length) {
      randomFillSync(block);
      writeSync(fd, block, 0, Math.min(block.length, bytes - written));
    }
  } finally {
    closeSync(fd);
  }
}

async function api<T>(origin: string, method: string, path: string, token: string, body?: unknown): Promise<T> {
  const response = await fetch(origin + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

/** One streamed HTTP transfer: PUT a file's bytes, or GET into a file. Resolves on a 2xx answer. */
function transfer(method: 'PUT' | 'GET', url: string, file: string, size: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method, agent: false, headers: method === 'PUT' ? { 'content-type': 'application/octet-stream', 'content-length': String(size) } : {} }, (response) => {
      if ((response.statusCode ?? 0) >= 300) {
        response.resume();
        reject(new Error(`${method} ${url}: HTTP ${response.statusCode}`));
        return;
      }
      if (method === 'PUT') {
        response.resume();
        response.on('end', resolve);
      } else {
        pipeline(response, createWriteStream(file)).then(resolve, reject);
      }
    });
    request.on('error', reject);
    if (method === 'PUT') pipeline(createReadStream(file, { highWaterMark: 256 * 1024 }), request).catch(reject);
    else request.end();
  });
}

/** Plain upload then download of `file` through the relay's media routes; seconds each. */
async function plainRoundTrip(origin: string, token: string, file: string, size: number, out: string): Promise<{ upload: number; download: number }> {
  const grant = await api<{ mediaId: string; upload: { url: string } }>(origin, 'POST', '/v1/media', token, { size });
  let start = performance.now();
  await transfer('PUT', grant.upload.url, file, size);
  await api(origin, 'POST', `/v1/media/${grant.mediaId}/complete`, token, {});
  const upload = (performance.now() - start) / 1000;
  start = performance.now();
  const download = await api<{ url: string }>(origin, 'GET', `/v1/media/${grant.mediaId}/download`, token);
  await transfer('GET', download.url, out, size);
  const seconds = (performance.now() - start) / 1000;
  if (statSync(out).size !== size) throw new Error('the plain download is incomplete');
  await api(origin, 'DELETE', `/v1/media/${grant.mediaId}`, token).catch(() => undefined);
  return { upload, download: seconds };
}

/** Runs the CLI with the RSS probe; returns wall seconds, peak RSS (bytes) and its stdout. */
async function timedCli(root: string, label: string, args: string[]): Promise<{ seconds: number; rssBytes: number; stdout: string }> {
  const rssFile = join(root, `rss-${label}.txt`);
  const start = performance.now();
  const result = await runSealpost(args, { nodeArgs: ['--import', pathToFileURL(PROBE).href], env: { RSS_PROBE_FILE: rssFile, ...PRODUCTION_KDF_ENV }, timeoutMs: 20 * 60_000 });
  const seconds = (performance.now() - start) / 1000;
  if (result.code !== 0) throw new Error(`sealpost ${args.join(' ')} exited with ${result.code}: ${result.stderr}`);
  return { seconds, rssBytes: Number(readFileSync(rssFile, 'utf8').trim()) * 1024, stdout: result.stdout };
}

export async function measureMedia(smoke: boolean): Promise<BenchReport> {
  const title = 'Media (encrypted file transfer)';
  for (const needed of [SEALPOST_BIN, RELAY_BIN, PROBE]) {
    if (!existsSync(needed)) return { area: 'media', title, smoke, figures: [], notes: [`${needed} is not built yet (npx tsc -b): nothing measured.`] };
  }
  const size = (smoke ? 8 : 256) * MIB;
  const root = mkdtempSync(join(tmpdir(), 'sealpost-media-bench-'));
  const relay = await startBenchRelay(root, { media: { maxObjectBytes: 512 * MIB, quotaBytesPerAccount: 4096 * MIB } });
  try {
    const file = join(root, 'file.bin');
    writeRandomFile(file, size);
    const out = join(root, 'out');
    mkdirSync(out);

    // Two CLI profiles (production key derivation, as a user has it).
    const [alice, bob] = await initProfiles(root, relay, ['benchalice', 'benchbob']);
    if (alice === undefined || bob === undefined) throw new Error('no profiles');
    // A warm-up run pays first-time costs (sessions with bob, the file cache) before timing.
    const warm = join(root, 'warm.bin');
    writeRandomFile(warm, MIB);
    await timedCli(root, 'warm', ['--data-dir', alice.dir, 'send-file', bob.username, warm]);

    const plainAccount = (await registerAccounts(relay.origin, 1, 1, 1)).accounts[0];
    const token = plainAccount?.devices[0]?.token;
    if (token === undefined) throw new Error('no plain account');
    process.stderr.write(`[media] plain transfer of ${size / MIB} MiB…\n`);
    const plain = await plainRoundTrip(relay.origin, token, file, size, join(root, 'plain.out'));
    rmSync(join(root, 'plain.out'));

    process.stderr.write(`[media] sealpost send-file of ${size / MIB} MiB…\n`);
    const send = await timedCli(root, 'send', ['--data-dir', alice.dir, '--json', 'send-file', bob.username, file]);
    const id = String(jsonLines(send.stdout).at(-1)?.id);
    await sealpostAs(bob, ['receive']);
    process.stderr.write('[media] sealpost download…\n');
    const download = await timedCli(root, 'download', ['--data-dir', bob.dir, 'download', id, '--out', join(out, 'file.bin')]);
    if (statSync(join(out, 'file.bin')).size !== size) throw new Error('the decrypted file has the wrong size');

    const mibs = (seconds: number): number => size / MIB / seconds;
    const figures: BenchFigure[] = [
      compared('encrypt + upload (sealpost send-file)', mibs(send.seconds), 'MiB/s', { name: 'plain upload of the same bytes', value: mibs(plain.upload) }, HALF_OF_PLAIN),
      compared('download + verify + decrypt (sealpost download)', mibs(download.seconds), 'MiB/s', { name: 'plain download of the same bytes', value: mibs(plain.download) }, HALF_OF_PLAIN),
      info('peak RSS, sealpost send-file', send.rssBytes / MIB, 'MiB', `${size / MIB} MiB file`),
      info('peak RSS, sealpost download', download.rssBytes / MIB, 'MiB', `${size / MIB} MiB file`),
    ];
    return {
      area: 'media',
      title,
      smoke,
      figures,
      notes: [
        `${size / MIB} MiB of random bytes; relay on 127.0.0.1 with the local disk backend; one run each.`,
        'sealpost figures are whole commands (cold start, key derivation, identity check, sending the file message) and include padding (none at this size) and writing the plaintext; download hashes the ciphertext as it arrives (digest checked before any decryption), then reads it once to decrypt.',
      ],
      details: { bytes: size, seconds: { plainUpload: plain.upload, plainDownload: plain.download, sendFile: send.seconds, download: download.seconds } },
    };
  } finally {
    await relay.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const smoke = process.argv.includes('--smoke');
  const report = await measureMedia(smoke);
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(report, null, 2));
    return;
  }
  console.log(`${report.title}${smoke ? '  (smoke mode: figures are not meaningful)' : ''}\n`);
  for (const figure of report.figures) console.log(figureLine(figure));
  for (const note of report.notes) console.log(`\nnote: ${note}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
