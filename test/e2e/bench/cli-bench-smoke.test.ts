/**
 * Smoke test of the CLI cold-start benchmark: runs `bench:cli --smoke --json` (three rounds, a
 * real relay child process, profiles with the production Argon2id default; built output as
 * `npm test` leaves it after `tsc -b` and the CLI bundle) and checks that the report has every
 * figure — `--help`, `send` on an established session and `receive` of one message, each against
 * `node -e 0` — with finite values. Never asserts on timing.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isBenchReport } from '../../bench/bench-report.js';
import type { BenchReport } from '../../bench/bench-report.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BENCH = fileURLToPath(new URL('../../dist/bench/cli-bench.js', import.meta.url));
const BINARIES = [BENCH, ...['client-cli/bundle/bin/sealpost.js', 'relay/dist/bin/sealpost-relay.js'].map((path) => fileURLToPath(new URL(`../../../${path}`, import.meta.url)))];

function runSmoke(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = {};
    for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('SEALPOST_')) env[name] = value;
    const child = spawn(process.execPath, [BENCH, '--smoke', '--json'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 150_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('bench:cli --smoke', () => {
  it('times --help, send and receive against node -e 0 and reports finite figures', { timeout: 180_000 }, async () => {
    for (const file of BINARIES) {
      if (!existsSync(file)) throw new Error(`${file} is missing: build first with \`npm run build\` (npm test does)`);
    }
    const { code, stdout, stderr } = await runSmoke();
    expect(code, stderr.slice(-4_000)).toBe(0);
    const report = JSON.parse(stdout) as BenchReport;
    expect(isBenchReport(report)).toBe(true);
    expect(report).toMatchObject({ area: 'cli', smoke: true });

    const names = report.figures.map((f) => f.name);
    for (const command of ['`sealpost --help`', '`sealpost send <contact> <text>`', '`sealpost --json receive`']) {
      for (const stat of ['p50', 'p90']) {
        const found = report.figures.find((f) => f.name.startsWith(`cold start: ${command}`) && f.name.endsWith(`, ${stat}`));
        expect(found, `${command} ${stat} in ${JSON.stringify(names)}`).toBeDefined();
        if (stat === 'p50') {
          // The goal is judged against `node -e 0` measured in the same run.
          expect(found?.baseline?.name).toBe('`node -e 0`');
          expect(found?.met).toBeTypeOf('boolean');
        }
      }
    }
    expect(names.some((name) => name.startsWith('store key: Argon2id at the default'))).toBe(true);
    for (const figure of report.figures) {
      expect(Number.isFinite(figure.value), `${figure.name} = ${figure.value}`).toBe(true);
      expect(figure.value, figure.name).toBeGreaterThan(0);
      if (figure.baseline !== undefined) {
        expect(figure.baseline.value, `${figure.name} baseline`).toBeGreaterThan(0);
        expect(figure.ratio, `${figure.name} ratio`).toBeTypeOf('number');
      }
    }
  });
});
