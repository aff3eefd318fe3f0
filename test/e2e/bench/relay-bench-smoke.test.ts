/**
 * Smoke test of the relay benchmark harness: runs `bench:relay --smoke --json` (tiny sizes, a
 * few seconds, built output as `npm test` leaves it after `tsc -b`) and checks that every phase
 * produced a well-formed report with finite figures. Never asserts on timing.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isBenchReport } from '../../bench/bench-report.js';
import type { BenchReport } from '../../bench/bench-report.js';
import { runBenchSmoke } from './run-bench-smoke.js';

const BENCH = fileURLToPath(new URL('../../dist/bench/relay-bench.js', import.meta.url));
const RELAY_BIN = fileURLToPath(new URL('../../../relay/dist/bin/sealpost-relay.js', import.meta.url));

describe('bench:relay --smoke', () => {
  it('runs every phase against the relay and its baselines and reports finite figures', { timeout: 180_000 }, async () => {
    for (const file of [BENCH, RELAY_BIN]) {
      if (!existsSync(file)) throw new Error(`${file} is missing: build first with \`npx tsc -b\` (npm test does)`);
    }
    const { code, stdout, stderr } = await runBenchSmoke(BENCH);
    expect(code, stderr.slice(-4_000)).toBe(0);
    const report = JSON.parse(stdout) as BenchReport;
    expect(isBenchReport(report)).toBe(true);
    expect(report).toMatchObject({ area: 'relay', smoke: true });

    const names = report.figures.map((f) => f.name);
    for (const expected of [
      'online 1:1 throughput',
      'delivery latency p99 at',
      'delivery latency p99.9 at',
      'unloaded delivery latency p50',
      'offline drain of',
      'memory per idle authenticated connection',
      'connect + auth rate, reconnect storm',
      'key bundle fetches',
    ]) {
      expect(names.some((name) => name.startsWith(expected)), `${expected} in ${JSON.stringify(names)}`).toBe(true);
    }
    for (const figure of report.figures) {
      expect(Number.isFinite(figure.value), `${figure.name} = ${figure.value}`).toBe(true);
      // RSS growth for a few dozen connections is within the noise of the allocator, so only
      // its finiteness is checked; every rate and latency must be positive.
      if (!figure.name.startsWith('memory')) expect(figure.value, figure.name).toBeGreaterThan(0);
      if (figure.baseline !== undefined) {
        expect(Number.isFinite(figure.baseline.value), `${figure.name} baseline`).toBe(true);
        if (figure.baseline.value > 0) {
          expect(figure.ratio, `${figure.name} ratio`).toBeTypeOf('number');
        } else {
          // Only an allocator-noise memory baseline may be zero or negative; its ratio is then
          // meaningless and reported as null (NaN in JSON), never as a number.
          expect(figure.name, `${figure.name} has a non-positive baseline`).toMatch(/^memory/);
          expect(figure.ratio ?? null, `${figure.name} ratio`).toBeNull();
        }
      }
      if (figure.goal !== undefined) expect(figure.met).toBeTypeOf('boolean');
    }
  });
});
