/**
 * Smoke test of the CLI cold-start benchmark: runs `bench:cli --smoke --json` (three rounds, a
 * real relay child process, profiles with the production Argon2id default; built output as
 * `npm test` leaves it after `tsc -b` and the CLI bundle) and checks that the report has every
 * figure — `--help`, `send` on an established session and `receive` of one message, each against
 * `node -e 0` — with finite values. Never asserts on timing.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isBenchReport } from '../../bench/bench-report.js';
import type { BenchReport } from '../../bench/bench-report.js';
import { runBenchSmoke } from './run-bench-smoke.js';

const BENCH = fileURLToPath(new URL('../../dist/bench/cli-bench.js', import.meta.url));
const BINARIES = [BENCH, ...['client-cli/bundle/bin/sealpost.js', 'relay/dist/bin/sealpost-relay.js'].map((path) => fileURLToPath(new URL(`../../../${path}`, import.meta.url)))];

describe('bench:cli --smoke', () => {
  it('times --help, send and receive against node -e 0 and reports finite figures', { timeout: 180_000 }, async () => {
    for (const file of BINARIES) {
      if (!existsSync(file)) throw new Error(`${file} is missing: build first with \`npm run build\` (npm test does)`);
    }
    const { code, stdout, stderr } = await runBenchSmoke(BENCH);
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
