/**
 * `npm run bench`: runs every area's benchmark — bench:crypto, bench:relay, bench:media,
 * bench:cli, each in its own process with `--json` — and writes docs/benchmarks.md
 * (benchmarks-doc.ts) with the machine, Node.js version, date and every figure against its
 * baseline and goal. An area whose script is not in package.json yet gets a placeholder.
 *
 *   node test/dist/bench/run-all.js [--smoke] [--only AREA,...] [--out FILE]
 *
 * A smoke run writes nothing unless --out is given. Exits 1 if a bench failed (the others are
 * still written), never because a goal was missed.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, release, totalmem, type } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isBenchReport } from './bench-report.js';
import type { BenchReport } from './bench-report.js';
import { renderBenchmarks } from './benchmarks-doc.js';
import type { AreaResult, MachineInfo } from './benchmarks-doc.js';
import { cryptoReport, isCryptoResult } from './crypto-figures.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

const AREAS = [
  { area: 'crypto', title: 'Crypto', timeoutMs: 15 * 60_000 },
  { area: 'relay', title: 'Relay', timeoutMs: 90 * 60_000 },
  { area: 'media', title: 'Media', timeoutMs: 30 * 60_000 },
  { area: 'cli', title: 'Command-line client', timeoutMs: 15 * 60_000 },
] as const;

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

/**
 * The command for a bench script: its `node FILE ARGS` part run directly when the script is
 * `tsc -b && node FILE` (run-all was itself started after tsc -b), else `npm run -s SCRIPT --`.
 */
function commandFor(script: string, body: string): { command: string; args: string[] } {
  const match = /(?:^|&&)\s*node\s+(\S+\.js)([^&|;]*)$/.exec(body);
  if (match !== null) return { command: process.execPath, args: [match[1] as string, ...(match[2] ?? '').trim().split(/\s+/).filter((a) => a !== '')] };
  return { command: 'npm', args: ['run', '-s', script, '--'] };
}

function runBench(command: string, args: readonly string[], timeoutMs: number): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    // stderr (progress) passes straight through; stdout is the JSON result.
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolvePromise(stdout);
      else reject(new Error(`${[command, ...args].join(' ')} ended with ${code ?? signal}`));
    });
  });
}

/** The JSON object in a bench's stdout (the whole of it, or from the first line opening one). */
function parseJson(stdout: string): unknown {
  try {
    return JSON.parse(stdout);
  } catch {
    const at = stdout.search(/^\{/m);
    if (at < 0) throw new Error('the bench printed no JSON');
    return JSON.parse(stdout.slice(at));
  }
}

function toReport(area: string, value: unknown, smoke: boolean): BenchReport {
  if (area === 'crypto' && isCryptoResult(value)) return cryptoReport(value, smoke);
  if (isBenchReport(value)) return value;
  throw new Error(`bench:${area} printed JSON that is not a BenchReport`);
}

function machine(): MachineInfo {
  const list = cpus();
  return {
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryBytes: totalmem(),
    node: process.version,
    platform: `${type()} ${release()}`,
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  };
}

async function main(): Promise<void> {
  const smoke = process.argv.includes('--smoke');
  const only = argument('--only')?.split(',');
  const out = argument('--out') ?? (smoke ? undefined : join(ROOT, 'docs', 'benchmarks.md'));
  const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {};
  const results: AreaResult[] = [];
  let failed = false;
  for (const { area, title, timeoutMs } of AREAS) {
    if (only !== undefined && !only.includes(area)) continue;
    const script = `bench:${area}`;
    const body = scripts[script];
    if (body === undefined) {
      results.push({ kind: 'missing', missing: { area, title, script, reason: `there is no \`${script}\` script in package.json yet.` } });
      continue;
    }
    const { command, args } = commandFor(script, body);
    process.stderr.write(`\n[bench] ${script}: ${[command === process.execPath ? 'node' : command, ...args].join(' ')} --json${smoke ? ' --smoke' : ''}\n`);
    try {
      const stdout = await runBench(command, [...args, '--json', ...(smoke ? ['--smoke'] : [])], timeoutMs);
      results.push({ kind: 'report', report: toReport(area, parseJson(stdout), smoke) });
    } catch (error) {
      failed = true;
      process.stderr.write(`[bench] ${script} failed: ${(error as Error).message}\n`);
      results.push({ kind: 'missing', missing: { area, title, script, reason: `\`${script}\` failed in the last run (${(error as Error).message}).` } });
    }
  }
  if (out !== undefined) {
    const file = resolve(out);
    const previous = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    writeFileSync(file, renderBenchmarks(results, machine(), previous));
    process.stderr.write(`[bench] wrote ${file}\n`);
  }
  for (const result of results) {
    if (result.kind === 'missing') continue;
    const missed = result.report.figures.filter((f) => f.met === false).map((f) => f.name);
    process.stderr.write(`[bench] ${result.report.area}: ${result.report.figures.length} figures, ${missed.length} goals missed${missed.length > 0 ? `: ${missed.join('; ')}` : ''}\n`);
  }
  if (failed) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
