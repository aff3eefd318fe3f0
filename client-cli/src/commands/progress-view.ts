/**
 * How transfer progress is shown (NOTES.md "Command line": progress only where someone watches):
 *
 * - with `--json`: NDJSON events on stdout, `{"type":"progress","v":1,"phase","bytes","total"}`,
 *   one at the start and the end of each phase and one per 1 % in between (at least 1 MiB apart
 *   for a phase of unknown size) — counted in bytes, not time, so a script sees the same events
 *   on every run;
 * - on a terminal (stderr is a TTY): a bar on stderr drawn by `cli-progress`, loaded only then;
 * - otherwise nothing.
 */
import type { SingleBar } from 'cli-progress';
import type { CommandContext } from '../cli/context.js';
import type { ProgressListener, TransferPhase } from '../session/index.js';

export interface ProgressView {
  readonly listener: ProgressListener;
  /** Ends the display (the last event of the phase in progress is printed). */
  stop(): void;
}

const MIB = 1024 * 1024;

const PHASE_LABEL: Readonly<Record<TransferPhase, string>> = {
  read: 'reading  ',
  upload: 'uploading',
  download: 'download ',
  verify: 'verifying',
  decrypt: 'decrypting',
};

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** NDJSON progress events, thinned out by bytes. */
function jsonView(ctx: CommandContext): ProgressView {
  let phase: TransferPhase | undefined;
  let last: { bytes: number; total: number | null } | undefined;
  let printed = -1;
  let next = 0;
  const print = (bytes: number, total: number | null): void => {
    if (phase === undefined || bytes === printed) return;
    printed = bytes;
    ctx.output.event('progress', { phase, bytes, total }, () => '');
  };
  return {
    listener: (current, bytes, total) => {
      if (current !== phase) {
        if (last !== undefined) print(last.bytes, last.total);
        phase = current;
        printed = -1;
        next = 0;
      }
      last = { bytes, total };
      if (bytes === total || bytes >= next) {
        print(bytes, total);
        next = bytes + (total === null ? MIB : Math.max(1, Math.ceil(total / 100)));
      }
    },
    stop: () => {
      if (last !== undefined) print(last.bytes, last.total);
    },
  };
}

/** A bar per phase on stderr. */
async function barView(ctx: CommandContext): Promise<ProgressView> {
  const progressModule = await import('cli-progress');
  const { SingleBar } = progressModule.default;
  // Only used when stderr is a terminal, which in the binary is process.stderr itself.
  const stream = ctx.io.stderr as unknown as NodeJS.WritableStream;
  let bar: SingleBar | undefined;
  let phase: TransferPhase | undefined;
  const stopBar = (): void => {
    bar?.stop();
    bar = undefined;
  };
  return {
    listener: (current, bytes, total) => {
      if (current !== phase) {
        stopBar();
        phase = current;
        const known = total !== null;
        bar = new SingleBar({
          stream,
          hideCursor: true,
          clearOnComplete: false,
          format: known ? `${PHASE_LABEL[current]} [{bar}] {percentage}% | {done} / {size} | {eta_formatted}` : `${PHASE_LABEL[current]} {done}`,
        });
        bar.start(total ?? 1, 0, { done: formatBytes(0), size: formatBytes(total ?? 0) });
      }
      bar?.update(total === null ? 0 : bytes, { done: formatBytes(bytes), size: formatBytes(total ?? 0) });
    },
    stop: stopBar,
  };
}

export async function progressView(ctx: CommandContext): Promise<ProgressView> {
  if (ctx.output.json) return jsonView(ctx);
  if (ctx.output.interactive) return barView(ctx);
  return { listener: () => undefined, stop: () => undefined };
}
