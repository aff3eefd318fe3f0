/**
 * Durations on the command line (`--expires-in 7d`, `90m`, `1h30m`): whole numbers with a unit
 * of s, m, h, d or w, written largest first; a bare number means seconds. Throws commander's
 * InvalidArgumentError so a bad value is reported as a usage error naming the option.
 */
import { InvalidArgumentError } from 'commander';

const UNIT_SECONDS: Readonly<Record<string, number>> = { w: 604_800, d: 86_400, h: 3_600, m: 60, s: 1 };
const ORDER = 'wdhms';

/** Seconds in `text`; a positive safe integer. */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return checkedSeconds(Number(trimmed), text);
  const parts = [...trimmed.matchAll(/(\d+)([wdhms])/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== trimmed) {
    throw new InvalidArgumentError('expected a duration like 90m, 12h, 7d or 1h30m (units s, m, h, d, w)');
  }
  let seconds = 0;
  let last = -1;
  for (const [, amount, unit] of parts) {
    const position = ORDER.indexOf(unit as string);
    // "1h1h" or "30m2h" is more likely a typo than a sum someone meant.
    if (position <= last) throw new InvalidArgumentError('write each unit once, largest first (e.g. 1d12h)');
    last = position;
    seconds += Number(amount) * (UNIT_SECONDS[unit as string] as number);
  }
  return checkedSeconds(seconds, text);
}

function checkedSeconds(seconds: number, text: string): number {
  if (!Number.isSafeInteger(seconds) || seconds <= 0) throw new InvalidArgumentError(`${JSON.stringify(text)} is not a positive duration`);
  return seconds;
}

/** A whole number in [min, max], for numeric arguments and options. */
export function parseIntegerIn(min: number, max: number): (text: string) => number {
  return (text) => {
    if (!/^\d+$/.test(text.trim())) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    const value = Number(text.trim());
    if (!Number.isSafeInteger(value) || value < min || value > max) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    return value;
  };
}
