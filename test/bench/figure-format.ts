/** Number formatting shared by the bench printers and the docs/benchmarks.md writer. */
import type { BenchFigure } from './bench-report.js';

/** Three significant digits for small values, whole numbers with separators for large ones. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'n/a' : value > 0 ? '∞' : '-∞';
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString('en-US');
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

export function formatValue(value: number, unit: string): string {
  return `${formatNumber(value)} ${unit}`;
}

export function formatRatio(figure: BenchFigure): string {
  return figure.ratio === undefined ? '—' : `${formatNumber(figure.ratio)}x`;
}

export function formatVerdict(figure: BenchFigure): string {
  if (figure.met === undefined) return '—';
  return figure.met ? 'met' : '**missed**';
}

/** One plain-text line per figure, for a bench's console output. */
export function figureLine(figure: BenchFigure): string {
  const baseline = figure.baseline === undefined ? '' : `  vs ${figure.baseline.name} ${formatValue(figure.baseline.value, figure.unit)} = ${formatRatio(figure)}`;
  const goal = figure.goal === undefined ? '' : `  goal ${figure.goal}: ${figure.met === true ? 'met' : 'MISSED'}`;
  const note = figure.note === undefined ? '' : `  (${figure.note})`;
  return `${figure.name}: ${formatValue(figure.value, figure.unit)}${baseline}${goal}${note}`;
}
