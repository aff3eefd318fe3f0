/**
 * `npm run bench:cli`: cold start of the `sealpost` command (issue 7: at most 0.4 s above
 * `node -e 0`, the floor any Node.js command pays) — wall time from spawn to exit of
 *
 * - `sealpost --help`: loading the CLI itself;
 * - `sealpost send <contact> <text>` on an established session, against a real relay (a child
 *   process from relay/dist on 127.0.0.1): opening the store (Argon2id at its production
 *   default), connecting and signing in, encrypting and waiting for the relay's durable ack;
 * - `sealpost --json receive` of the one message that `send` just queued: connecting, taking the
 *   backlog, decrypting, storing and acknowledging it.
 *
 * The two profiles are set up as people who already talk (contacts added and verified, one
 * message each way: cli-profiles.ts). The four commands run interleaved, one of each per round,
 * so a change in machine load hits them and the `node -e 0` baseline alike.
 *
 *   node test/dist/bench/cli-bench.js [--smoke] [--json]
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compared, info } from './bench-report.js';
import type { BenchFigure, BenchReport } from './bench-report.js';
import { establishConversation, initProfiles, PRODUCTION_KDF_ENV, sealpostAs, startBenchRelay } from './cli-profiles.js';
import { figureLine } from './figure-format.js';
import { summarize } from './relay/latency-stats.js';
import type { LatencySummary } from './relay/latency-stats.js';
import { cliEnv, jsonLines, RELAY_BIN, REPO_ROOT, SEALPOST_BIN } from '../support/cli-process.js';

/** Issue 7's goal, on the p50 of each command. */
const GOAL_MS_ABOVE_NODE = 400;
/** The `standard` --kdf preset (client-cli/src/store/kdf.ts), the default of a new store. */
const STANDARD_KDF = { opsLimit: 2, memLimitBytes: 19 * 1024 * 1024 };

/** Wall milliseconds from spawn to exit (and stdout); throws when the run fails. */
function timeRun(args: readonly string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    // Asynchronous, not spawnSync: the relay child's log pipe must keep draining meanwhile.
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      const ms = performance.now() - start;
      clearTimeout(timer);
      if (code === 0) resolve({ ms, stdout });
      else reject(new Error(`node ${args.join(' ')} exited with ${code ?? signal}: ${stderr.slice(0, 1_000)}`));
    });
  });
}

/**
 * Milliseconds of the first Argon2id derivation at the default strength in a fresh process, as
 * every command that opens the store pays it (the first call also grows libsodium's memory to
 * 19 MiB and runs before V8 has optimised the WebAssembly; later calls in one process are faster).
 */
async function coldKdfMs(env: NodeJS.ProcessEnv): Promise<number> {
  const script = [
    `const { loadCrypto } = await import(${JSON.stringify(pathToFileURL(join(REPO_ROOT, 'crypto', 'dist', 'index.js')).href)});`,
    'const suite = await loadCrypto();',
    'const start = performance.now();',
    `suite.argon2id(new TextEncoder().encode('correct horse battery staple'), new Uint8Array(16), ${STANDARD_KDF.opsLimit}, ${STANDARD_KDF.memLimitBytes}, 32);`,
    'process.stdout.write(String(performance.now() - start));',
  ].join('\n');
  const ms = Number((await timeRun(['--input-type=module', '-e', script], env)).stdout);
  if (!Number.isFinite(ms) || ms <= 0) throw new Error('the Argon2id probe printed no time');
  return ms;
}

/** The p50 figure (with the goal) and the p90 figure of one command against `node -e 0`. */
function coldStartFigures(label: string, command: LatencySummary, node: LatencySummary, note?: string): BenchFigure[] {
  const goal = { text: `≤ ${GOAL_MS_ABOVE_NODE} ms above \`node -e 0\``, check: (value: number) => value - node.p50 <= GOAL_MS_ABOVE_NODE };
  return [
    compared(`cold start: ${label}, p50`, command.p50, 'ms', { name: '`node -e 0`', value: node.p50 }, goal, `${(command.p50 - node.p50).toFixed(0)} ms above${note === undefined ? '' : `; ${note}`}`),
    info(`cold start: ${label}, p90`, command.p90, 'ms', `\`node -e 0\` p90 ${node.p90.toFixed(1)} ms; ${(command.p90 - node.p90).toFixed(0)} ms above`),
  ];
}

export async function measureCli(smoke: boolean): Promise<BenchReport> {
  const title = 'Command-line client';
  for (const needed of [SEALPOST_BIN, RELAY_BIN]) {
    if (!existsSync(needed)) return { area: 'cli', title, smoke, figures: [], notes: [`${needed} is not built yet (npx tsc -b): nothing measured.`] };
  }
  const runs = smoke ? 3 : 30;
  const root = mkdtempSync(join(tmpdir(), 'sealpost-cli-bench-'));
  const relay = await startBenchRelay(root);
  try {
    process.stderr.write('[cli] setting up two profiles with an established session…\n');
    const [alice, bob] = await initProfiles(root, relay, ['benchalice', 'benchbob']);
    if (alice === undefined || bob === undefined) throw new Error('no profiles');
    await establishConversation(alice, bob);
    for (const profile of [alice, bob]) {
      // The figures are honest only with the store key at its production default.
      const kdf = jsonLines((await sealpostAs(profile, ['--json', 'whoami'])).stdout).at(-1)?.kdf as { opsLimit?: unknown; memLimitBytes?: unknown } | undefined;
      if (kdf?.opsLimit !== STANDARD_KDF.opsLimit || kdf.memLimitBytes !== STANDARD_KDF.memLimitBytes) throw new Error(`${profile.username}'s store does not use the default Argon2id: ${JSON.stringify(kdf)}`);
    }

    // No XDG_* or SEALPOST_* settings from the caller (profiles by --data-dir), the production
    // KDF, the passphrase from SEALPOST_PASSPHRASE, and a throwaway HOME: nothing real is touched.
    const env = { ...cliEnv(PRODUCTION_KDF_ENV), HOME: root };
    const bare = ['-e', '0'];
    const help = [SEALPOST_BIN, '--help'];
    const send = (i: number): string[] => [SEALPOST_BIN, '--data-dir', alice.dir, 'send', bob.username, `bench message ${i}`];
    const receive = [SEALPOST_BIN, '--data-dir', bob.dir, '--json', 'receive'];

    // One untimed round warms the file cache, as a second invocation in a shell would be.
    for (const args of [bare, help, send(0), receive]) await timeRun(args, env);
    process.stderr.write(`[cli] ${runs} interleaved rounds of node -e 0, --help, send, receive…\n`);
    const times = { node: new Float64Array(runs), help: new Float64Array(runs), send: new Float64Array(runs), receive: new Float64Array(runs) };
    for (let i = 0; i < runs; i++) {
      times.node[i] = (await timeRun(bare, env)).ms;
      times.help[i] = (await timeRun(help, env)).ms;
      times.send[i] = (await timeRun(send(i + 1), env)).ms;
      const fetched = await timeRun(receive, env);
      times.receive[i] = fetched.ms;
      // Each receive must really have fetched and decrypted the message just sent.
      const result = jsonLines(fetched.stdout).at(-1);
      if (result?.type !== 'receive' || result.count !== 1) throw new Error(`receive round ${i} did not get exactly one message: ${fetched.stdout.slice(0, 500)}`);
    }
    const kdfRuns = new Float64Array(smoke ? 1 : 7);
    for (let i = 0; i < kdfRuns.length; i++) kdfRuns[i] = await coldKdfMs(env);
    const kdf = summarize(kdfRuns).p50;

    const node = summarize(times.node);
    const helpStats = summarize(times.help);
    const sendStats = summarize(times.send);
    const receiveStats = summarize(times.receive);
    const kdfNote = (stats: LatencySummary): string => {
      const share = kdf / (stats.p50 - node.p50);
      return `the store key's Argon2id is ${kdf.toFixed(0)} ms of it (${(100 * share).toFixed(0)}% of the time above \`node -e 0\`${share > 0.5 ? ': the KDF dominates' : ''})`;
    };
    return {
      area: 'cli',
      title,
      smoke,
      figures: [
        ...coldStartFigures('`sealpost --help`', helpStats, node),
        ...coldStartFigures('`sealpost send <contact> <text>`', sendStats, node, kdfNote(sendStats)),
        ...coldStartFigures('`sealpost --json receive` (one message waiting)', receiveStats, node, kdfNote(receiveStats)),
        info('store key: Argon2id at the default `--kdf standard` (t = 2, 19 MiB), first call in a fresh process', kdf, 'ms', 'paid once by every command that opens the store'),
      ],
      notes: [
        `${runs} rounds of \`node -e 0\`, \`sealpost --help\`, \`send\` and \`receive\`, interleaved, after one warm-up round; wall time from spawn to exit.`,
        '`send` and `receive` run against a relay on 127.0.0.1 with profiles that already talk (contacts added and verified, one message each way), the production Argon2id default, and the passphrase from SEALPOST_PASSPHRASE; `send` returns after the relay\'s durable ack, and each `receive` fetches, decrypts, stores and acknowledges the one message the `send` before it queued.',
      ],
      details: { runs, kdfMs: kdf, node, help: helpStats, send: sendStats, receive: receiveStats },
    };
  } finally {
    await relay.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const smoke = process.argv.includes('--smoke');
  const report = await measureCli(smoke);
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  if (smoke) console.log('(smoke mode: figures are not meaningful)\n');
  for (const figure of report.figures) console.log(figureLine(figure));
  for (const note of report.notes) console.log(`note: ${note}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
