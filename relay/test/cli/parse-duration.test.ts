/** Command-line durations and bounded integers for the admin commands. */
import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { parseDuration, parseIntegerIn } from '../../src/cli/parse-duration.js';

describe('parseDuration', () => {
  it('reads units largest first, and bare numbers as seconds', () => {
    expect(parseDuration('90')).toBe(90);
    expect(parseDuration('45s')).toBe(45);
    expect(parseDuration('90m')).toBe(5_400);
    expect(parseDuration('12h')).toBe(43_200);
    expect(parseDuration('7d')).toBe(604_800);
    expect(parseDuration('2w')).toBe(1_209_600);
    expect(parseDuration('1d12h')).toBe(129_600);
    expect(parseDuration('1h30m15s')).toBe(5_415);
  });

  it('refuses anything else as a usage error', () => {
    for (const text of ['', '0', '0m', '-5m', '7 days', '1.5h', '30m2h', '1h1h', 'h', '5y', '9'.repeat(20)]) {
      expect(() => parseDuration(text), text).toThrow(InvalidArgumentError);
    }
  });
});

describe('parseIntegerIn', () => {
  it('accepts whole numbers in range only', () => {
    const parse = parseIntegerIn(1, 10);
    expect(parse('1')).toBe(1);
    expect(parse('10')).toBe(10);
    for (const text of ['0', '11', '-1', '2.5', 'two', '']) expect(() => parse(text), text).toThrow(InvalidArgumentError);
  });
});
