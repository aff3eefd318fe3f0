// Transfer progress as NDJSON (--json): thinned out by bytes, so the same transfer always gives
// the same events; nothing at all when neither --json nor a terminal is there.
import { describe, expect, it } from 'vitest';
import { createCommandContext } from '../../src/cli/context.js';
import { formatBytes, progressView } from '../../src/commands/progress-view.js';
import { Output } from '../../src/output/output.js';
import { testIo } from '../support/io.js';

function context(json: boolean, tty = false) {
  const io = testIo({ tty });
  const output = new Output({ json, stdout: io.stdout, stderr: io.stderr, env: {} });
  return { io, ctx: createCommandContext(io, output, { json }) };
}

describe('progress view', () => {
  it('prints the start, every 1 % and the end of each phase, and the last count of a phase of unknown size', async () => {
    const { io, ctx } = context(true);
    const view = await progressView(ctx);
    for (let bytes = 0; bytes <= 3 * 1024 * 1024; bytes += 256 * 1024) view.listener('read', bytes, null);
    view.listener('read', 3 * 1024 * 1024 + 5, null);
    for (let bytes = 0; bytes <= 1000; bytes += 3) view.listener('upload', bytes, 1000);
    view.listener('upload', 1000, 1000);
    view.stop();
    const events = io.stdout.json();
    expect(events.every((e) => e.type === 'progress' && e.v === 1)).toBe(true);
    const read = events.filter((e) => e.phase === 'read').map((e) => e.bytes);
    expect(read).toEqual([0, 1024 * 1024, 2 * 1024 * 1024, 3 * 1024 * 1024, 3 * 1024 * 1024 + 5]);
    const upload = events.filter((e) => e.phase === 'upload');
    expect(upload[0]).toEqual({ type: 'progress', v: 1, phase: 'upload', bytes: 0, total: 1000 });
    expect(upload.at(-1)).toMatchObject({ bytes: 1000, total: 1000 });
    // In between: the first report at or past each further 1 % (10 bytes; reports come every 3).
    const bytes = upload.map((e) => Number(e.bytes));
    const gaps = bytes.slice(1, -1).map((b, i) => b - (bytes[i] as number));
    expect(gaps.every((gap) => gap >= 10 && gap < 13)).toBe(true);
    expect(bytes.at(-2)).toBeGreaterThan(1000 - 13);
  });

  it('prints nothing without --json when stderr is not a terminal', async () => {
    const { io, ctx } = context(false);
    const view = await progressView(ctx);
    view.listener('download', 0, 10);
    view.listener('download', 10, 10);
    view.stop();
    expect(io.stdout.text).toBe('');
    expect(io.stderr.text).toBe('');
  });

  it('draws a bar per phase on a terminal (stderr), never on stdout', async () => {
    const { io, ctx } = context(false, true);
    const view = await progressView(ctx);
    view.listener('download', 0, 2048);
    view.listener('download', 2048, 2048);
    view.listener('verify', 0, 2048);
    view.listener('verify', 1024, 2048);
    view.stop();
    expect(io.stdout.text).toBe('');
    const drawn = io.stderr.text;
    expect(drawn).toContain('download');
    expect(drawn).toContain('100%');
    expect(drawn).toContain('2.0 KiB / 2.0 KiB');
    expect(drawn).toContain('verifying');
    expect(drawn).toContain('50%');
  });

  it('formats sizes in binary units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(300_000)).toBe('293 KiB');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(200 * 1024 * 1024)).toBe('200 MiB');
  });
});
