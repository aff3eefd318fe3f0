/**
 * The docs/benchmarks.md writer: tables per area with baseline, ratio and verdict, placeholders
 * for benches that do not exist yet, and the hand-written notes below the marker kept verbatim.
 */
import { describe, expect, it } from 'vitest';
import { compared, info } from '../../bench/bench-report.js';
import { NOTES_MARKER, keptNotes, renderBenchmarks } from '../../bench/benchmarks-doc.js';
import type { AreaResult, MachineInfo } from '../../bench/benchmarks-doc.js';

const MACHINE: MachineInfo = { cpuModel: 'Test CPU', cores: 2, memoryBytes: 4 * 2 ** 30, node: 'v20.19.0', platform: 'Linux 6.1', date: '2026-01-01T00:00:00Z' };

const RESULTS: AreaResult[] = [
  {
    kind: 'report',
    report: {
      area: 'relay',
      title: 'Relay',
      smoke: false,
      figures: [
        compared('throughput', 3000, 'msg/s', { name: 'bare', value: 20000 }, { text: '≥ 0.2x', check: (_v, r) => r >= 0.2 }),
        info('logins | setup', 400, 'logins/s'),
      ],
      notes: ['a caveat'],
    },
  },
  { kind: 'missing', missing: { area: 'media', title: 'Media', script: 'bench:media', reason: 'no script yet.' } },
];

describe('renderBenchmarks', () => {
  it('renders one table per area with ratio and verdict, and a placeholder for a missing bench', () => {
    const text = renderBenchmarks(RESULTS, MACHINE);
    expect(text).toContain('| CPU | Test CPU × 2 |');
    expect(text).toContain('| throughput | 3,000 msg/s | 20,000 msg/s (bare) | 0.15x | ≥ 0.2x | **missed** |');
    expect(text).toContain('| logins \\| setup | 400 logins/s | — | — | — | — |');
    expect(text).toContain('- a caveat');
    expect(text).toContain('## Media');
    expect(text).toContain('npm run bench:media');
    expect(text).toContain(NOTES_MARKER);
  });

  it('keeps everything below the notes marker from the previous file', () => {
    const notes = '\n## Notes\n\nHand-written: the hot spot is X.\n';
    const previous = `# old generated part\n\n${NOTES_MARKER}${notes}`;
    const text = renderBenchmarks(RESULTS, MACHINE, previous);
    expect(text.endsWith(`${NOTES_MARKER}${notes}`)).toBe(true);
    expect(text).not.toContain('old generated part');
    expect(keptNotes(undefined)).toContain('## Notes');
  });
});
