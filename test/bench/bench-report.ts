/**
 * The one result shape every `npm run bench:*` script prints with `--json` (except
 * bench:crypto, whose older shape run-all converts in crypto-figures.ts), and the goal checks the
 * benches share. run-all.ts collects these and benchmarks-doc.ts turns them into
 * docs/benchmarks.md: one table per area with figure, value, baseline, ratio, goal and verdict.
 */

export interface BenchBaseline {
  /** What the figure is compared with, e.g. "bare ws forwarder". */
  readonly name: string;
  readonly value: number;
}

export interface BenchFigure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly baseline?: BenchBaseline;
  /** value / baseline.value, when there is a baseline. */
  readonly ratio?: number;
  /** The goal in words, e.g. "≥ 0.2x bare". Absent: the figure is informational. */
  readonly goal?: string;
  /** Whether the goal was met; absent when there is no goal. */
  readonly met?: boolean;
  readonly note?: string;
}

export interface BenchReport {
  /** Short key: crypto, relay, media, cli. */
  readonly area: string;
  readonly title: string;
  /** Smoke runs use tiny sizes: their figures only prove the harness works. */
  readonly smoke: boolean;
  readonly figures: readonly BenchFigure[];
  /** Caveats that belong with the figures (scaled-down sizes, exhausted pools, ...). */
  readonly notes: readonly string[];
  /** Raw scenario data for anyone digging deeper; not rendered. */
  readonly details?: unknown;
}

export function isBenchReport(value: unknown): value is BenchReport {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Partial<BenchReport>;
  return typeof r.area === 'string' && typeof r.title === 'string' && typeof r.smoke === 'boolean' && Array.isArray(r.figures) && Array.isArray(r.notes);
}

/** A figure with no goal and no baseline. */
export function info(name: string, value: number, unit: string, note?: string): BenchFigure {
  return { name, value, unit, ...(note === undefined ? {} : { note }) };
}

/** A figure compared with a baseline; `check` decides the goal from value and ratio. */
export function compared(
  name: string,
  value: number,
  unit: string,
  baseline: BenchBaseline,
  goal?: { readonly text: string; readonly check: (value: number, ratio: number) => boolean },
  note?: string,
): BenchFigure {
  // A baseline at or below zero (say, RSS that shrank) makes the ratio meaningless, not good.
  const ratio = baseline.value > 0 ? value / baseline.value : Number.NaN;
  return {
    name,
    value,
    unit,
    baseline,
    ratio,
    ...(goal === undefined ? {} : { goal: goal.text, met: Number.isFinite(ratio) && goal.check(value, ratio) }),
    ...(note === undefined ? {} : { note }),
  };
}

/** A figure with an absolute goal and no baseline. */
export function withGoal(name: string, value: number, unit: string, goal: { readonly text: string; readonly check: (value: number) => boolean }, note?: string): BenchFigure {
  return { name, value, unit, goal: goal.text, met: Number.isFinite(value) && goal.check(value), ...(note === undefined ? {} : { note }) };
}
