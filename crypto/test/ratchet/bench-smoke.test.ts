/**
 * Keeps `npm run bench:crypto` from rotting: runs every measuring function once in smoke mode and
 * checks that each produced finite, positive figures. No timing assertions.
 */
import { describe, expect, it } from 'vitest';
import { measureCrypto } from '../../../test/bench/crypto-measure.js';

describe('crypto benchmark (smoke)', () => {
  it('measures primitives, PQXDH and the ratchet and relates each protocol figure to its primitives', async () => {
    const result = await measureCrypto({ smoke: true });
    expect(result.backend).toMatch(/\S/);
    expect(result.primitives.length).toBeGreaterThanOrEqual(10);
    expect(result.protocol.map((p) => p.name.split(' (')[0])).toEqual([
      'PQXDH initiator',
      'PQXDH responder',
      'PQXDH handshake',
      'ratchet message, same chain',
      'ratchet message, ping-pong',
    ]);
    for (const figure of [...result.primitives, ...result.protocol]) {
      expect(Number.isFinite(figure.microsPerOp) && figure.microsPerOp > 0, figure.name).toBe(true);
      expect(Number.isFinite(figure.opsPerSecond) && figure.opsPerSecond > 0, figure.name).toBe(true);
    }
    for (const figure of result.protocol) {
      expect(Number.isFinite(figure.rawMicros) && figure.rawMicros > 0, figure.name).toBe(true);
      expect(Number.isFinite(figure.ratio) && figure.ratio > 0, figure.name).toBe(true);
      expect(figure.composition).toMatch(/\dx /);
    }
  });
});
