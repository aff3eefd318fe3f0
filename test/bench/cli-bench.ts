/**
 * `npm run bench:cli`: cold start of the `sealpost` command — wall time of spawning
 * `node client-cli/dist/bin/sealpost.js --help` to its exit — against `node -e 0`, the floor any
 * Node.js command pays. Runs are interleaved so a change in machine load hits both alike.
 *
 *   node test/dist/bench/cli-bench.js [--smoke] [--json]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compared, info } from './bench-report.js';
import type { BenchReport } from './bench-report.js';
import { figureLine } from './figure-format.js';
import { summarize } from './relay/latency-stats.js';

const SEALPOST_BIN = fileURLToPath(new URL('../../../client-cli/dist/bin/sealpost.js', import.meta.url));

/** Wall milliseconds of one run to exit; throws when it fails. */
function timeRun(args: readonly string[], env: NodeJS.ProcessEnv): number {
  const start = performance.now();
  const result = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'], timeout: 30_000 });
  const elapsed = performance.now() - start;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${result.status ?? result.signal}: ${result.stderr.toString().slice(0, 500)}`);
  return elapsed;
}

/** No SEALPOST_* or XDG_* settings from the caller, and a throwaway home: nothing real is touched. */
function isolatedEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('SEALPOST_') && !name.startsWith('XDG_')) env[name] = value;
  return { ...env, HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_DATA_HOME: join(home, 'data'), XDG_STATE_HOME: join(home, 'state') };
}

export function measureCli(smoke: boolean): BenchReport {
  if (!existsSync(SEALPOST_BIN)) {
    return { area: 'cli', title: 'Command-line client', smoke, figures: [], notes: [`${SEALPOST_BIN} is not built yet (npx tsc -b): nothing measured.`] };
  }
  const runs = smoke ? 3 : 30;
  const home = mkdtempSync(join(tmpdir(), 'sealpost-cli-bench-'));
  try {
    const env = isolatedEnv(home);
    // One untimed run of each warms the file cache, as a second invocation in a shell would be.
    timeRun([SEALPOST_BIN, '--help'], env);
    timeRun(['-e', '0'], env);
    const cli = new Float64Array(runs);
    const bare = new Float64Array(runs);
    for (let i = 0; i < runs; i++) {
      cli[i] = timeRun([SEALPOST_BIN, '--help'], env);
      bare[i] = timeRun(['-e', '0'], env);
    }
    const c = summarize(cli);
    const b = summarize(bare);
    return {
      area: 'cli',
      title: 'Command-line client',
      smoke,
      figures: [
        compared('cold start: `sealpost --help`, p50', c.p50, 'ms', { name: '`node -e 0`', value: b.p50 }, {
          text: '≤ 400 ms above `node -e 0`',
          check: (value) => value - b.p50 <= 400,
        }),
        info('cold start: `sealpost --help`, p90', c.p90, 'ms', `\`node -e 0\` p90 ${b.p90.toFixed(1)} ms`),
      ],
      notes: [`${runs} spawns of each, interleaved, after one warm-up run; wall time from spawn to exit.`],
      details: { runs, sealpost: c, node: b },
    };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

function main(): void {
  const smoke = process.argv.includes('--smoke');
  const report = measureCli(smoke);
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  if (smoke) console.log('(smoke mode: figures are not meaningful)\n');
  for (const figure of report.figures) console.log(figureLine(figure));
  for (const note of report.notes) console.log(`note: ${note}`);
}

try {
  main();
} catch (error) {
  console.error(error);
  process.exitCode = 1;
}
