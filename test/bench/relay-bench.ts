/**
 * `npm run bench:relay`: the relay's throughput, latency, offline drain, idle-connection memory,
 * reconnect and bundle-fetch figures against a bare ws forwarder and bare node:http, with the
 * goals of issue 7 (see relay/relay-figures.ts and docs/benchmarks.md).
 *
 *   node test/dist/bench/relay-bench.js [--smoke] [--json] [--only PHASE,...] [--profile DIR]
 *                                   [--latency-rate MSG_PER_S]
 *
 * PHASE is one of connections, throughput, latency, bundles, drain. --profile writes a V8 CPU
 * profile of the relay process into DIR (summarize it with relay/cpu-profile-summary.js).
 * --latency-rate runs the loaded latency scenario at that rate instead of at half the measured
 * maximum, without the throughput phase (for profiling one rate; its figures are not the goal's).
 * Progress goes to stderr; stdout carries only the result (JSON with --json).
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { figureLine } from './figure-format.js';
import { relayReport } from './relay/relay-figures.js';
import { PHASES, runRelayBench } from './relay/relay-bench-run.js';
import type { Phase } from './relay/relay-bench-run.js';

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

function phasesArgument(): Phase[] | undefined {
  const text = argument('--only');
  if (text === undefined) return undefined;
  const phases = text.split(',').map((p) => p.trim());
  for (const phase of phases) if (!(PHASES as readonly string[]).includes(phase)) throw new Error(`unknown phase ${phase}; one of ${PHASES.join(', ')}`);
  return phases as Phase[];
}

async function main(): Promise<void> {
  const smoke = process.argv.includes('--smoke');
  const profile = argument('--profile');
  const profileDir = profile === undefined ? undefined : resolve(profile);
  if (profileDir !== undefined) mkdirSync(profileDir, { recursive: true });
  const phases = phasesArgument();
  const rateText = argument('--latency-rate');
  const latencyRate = rateText === undefined ? undefined : Number(rateText);
  if (latencyRate !== undefined && !(latencyRate > 0)) throw new Error(`--latency-rate must be a positive number, got ${rateText}`);
  const raw = await runRelayBench({
    smoke,
    ...(phases === undefined ? {} : { phases }),
    ...(profileDir === undefined ? {} : { profileDir }),
    ...(latencyRate === undefined ? {} : { latencyRate }),
    log: (line) => process.stderr.write(`[bench:relay] ${line}\n`),
  });
  const report = relayReport(raw, smoke);
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  if (smoke) console.log('(smoke mode: figures are not meaningful)\n');
  for (const figure of report.figures) console.log(figureLine(figure));
  console.log('\nnotes:');
  for (const note of report.notes) console.log(`  - ${note}`);
  for (const [phase, files] of Object.entries(raw.profiles ?? {})) for (const file of files) console.log(`  - relay CPU profile (${phase}): ${file}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
