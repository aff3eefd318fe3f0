/**
 * Converts `bench:crypto --json` output (CryptoBenchResult, its own older shape) into the shared
 * BenchReport, with the goals of issue 2: at least 500 PQXDH handshakes/s on each side, 30,000
 * same-chain ratchet messages/s, and every protocol operation within 2x of the raw primitives it
 * calls (the baseline column).
 */
import { compared, withGoal } from './bench-report.js';
import type { BenchFigure, BenchReport } from './bench-report.js';
import { CRYPTO_GOALS } from './crypto-goals.js';
import type { CryptoBenchResult } from './crypto-measure.js';

export function isCryptoResult(value: unknown): value is CryptoBenchResult {
  const r = value as Partial<CryptoBenchResult> | null;
  return typeof r === 'object' && r !== null && typeof r.backend === 'string' && Array.isArray(r.protocol) && Array.isArray(r.primitives);
}

export function cryptoReport(result: CryptoBenchResult, smoke: boolean): BenchReport {
  const figures: BenchFigure[] = [];
  const find = (prefix: string) => result.protocol.find((p) => p.name.startsWith(prefix));
  const perSecond = { text: `≥ ${CRYPTO_GOALS.handshakesPerSecond}/s`, check: (value: number) => value >= CRYPTO_GOALS.handshakesPerSecond };
  for (const side of ['PQXDH initiator', 'PQXDH responder']) {
    const figure = find(side);
    if (figure !== undefined) figures.push(withGoal(`${side} handshakes`, figure.opsPerSecond, 'ops/s', perSecond));
  }
  const chain = find('ratchet message, same chain');
  if (chain !== undefined) {
    const goal = { text: `≥ ${CRYPTO_GOALS.sameChainMessagesPerSecond.toLocaleString('en-US')}/s`, check: (value: number) => value >= CRYPTO_GOALS.sameChainMessagesPerSecond };
    figures.push(withGoal('ratchet messages, same chain (encrypt + decrypt)', chain.opsPerSecond, 'msg/s', goal));
  }
  const overhead = { text: `≤ ${CRYPTO_GOALS.maxRatio}x raw`, check: (_value: number, ratio: number) => ratio <= CRYPTO_GOALS.maxRatio };
  for (const p of result.protocol) figures.push(compared(p.name, p.microsPerOp, 'µs/op', { name: 'sum of raw primitives', value: p.rawMicros }, overhead, p.composition));
  return { area: 'crypto', title: 'Crypto', smoke, figures, notes: [`backend: ${result.backend}`], details: result };
}
