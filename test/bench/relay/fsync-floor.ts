/**
 * The disk's durability floor: latency of a 4 KiB write followed by fdatasync in the folder the
 * relay's database lives in. Every `sent` ack waits for at least one such sync (an fdatasync
 * of the WAL, off the event loop), so no durable relay can deliver faster than this, whatever its code does;
 * the bare forwarder never pays it. Reported beside the latency figures to explain them.
 */
import { closeSync, fdatasyncSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { summarize } from './latency-stats.js';
import type { LatencySummary } from './latency-stats.js';

export function measureFsync(dir: string, count: number): LatencySummary {
  const file = join(dir, 'fsync-probe.bin');
  const block = Buffer.alloc(4096, 0xa5);
  const samples = new Float64Array(count);
  const fd = openSync(file, 'w');
  try {
    for (let i = 0; i < count; i++) {
      const start = performance.now();
      writeSync(fd, block, 0, block.length, (i % 64) * block.length);
      fdatasyncSync(fd);
      samples[i] = performance.now() - start;
    }
  } finally {
    closeSync(fd);
    rmSync(file, { force: true });
  }
  return summarize(samples);
}
