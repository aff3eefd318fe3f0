/**
 * What the orchestrator reads about processes and the host from /proc (Linux): a process's
 * resident set size, and this process's open-file limit, which bounds how many connections a
 * server or the load generator can hold (children inherit it).
 */
import { readFileSync } from 'node:fs';

/** Resident set size of `pid` in bytes (VmRSS), or NaN where /proc is unavailable. */
export function residentBytes(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match === null ? Number.NaN : Number(match[1]) * 1024;
  } catch {
    return Number.NaN;
  }
}

/** The soft limit on open files (`ulimit -n`), or NaN where /proc is unavailable. */
export function openFileLimit(): number {
  try {
    const match = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    if (match === null) return Number.NaN;
    return match[1] === 'unlimited' ? Number.POSITIVE_INFINITY : Number(match[1]);
  } catch {
    return Number.NaN;
  }
}
