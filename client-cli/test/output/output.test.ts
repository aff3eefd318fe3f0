import { describe, expect, it } from 'vitest';
import { CliError } from '../../src/errors.js';
import { colorEnabled } from '../../src/output/color.js';
import { JSON_SCHEMA_VERSION, Output } from '../../src/output/output.js';
import { CaptureSink } from '../support/io.js';

function make(json: boolean, env: Record<string, string | undefined> = {}, tty = false) {
  const stdout = new CaptureSink(tty);
  const stderr = new CaptureSink(tty);
  return { stdout, stderr, output: new Output({ json, stdout, stderr, env }) };
}

describe('Output', () => {
  it('prints a JSON result as one line with type and v first', () => {
    const { stdout, stderr, output } = make(true);
    output.result('whoami', { accountId: 'sp1x' }, () => 'human');
    expect(stdout.text).toBe(`{"type":"whoami","v":${JSON_SCHEMA_VERSION},"accountId":"sp1x"}\n`);
    expect(stderr.text).toBe('');
  });

  it('prints the human rendering without --json', () => {
    const { stdout, output } = make(false);
    output.result('whoami', { accountId: 'sp1x' }, () => 'account sp1x');
    expect(stdout.text).toBe('account sp1x\n');
  });

  it('streams events as NDJSON, one object a line', () => {
    const { stdout, output } = make(true);
    output.event('message', { id: 'a' }, () => '');
    output.event('receipt', { id: 'a', state: 'delivered' }, () => '');
    expect(stdout.json()).toEqual([
      { type: 'message', v: 1, id: 'a' },
      { type: 'receipt', v: 1, id: 'a', state: 'delivered' },
    ]);
  });

  it('with --json puts an error on stdout as one object with code, message and exit code', () => {
    const { stdout, stderr, output } = make(true);
    output.error(new CliError('CLI_ERR_WRONG_PASSPHRASE'));
    expect(stdout.json()).toEqual([{ type: 'error', v: 1, code: 'CLI_ERR_WRONG_PASSPHRASE', message: new CliError('CLI_ERR_WRONG_PASSPHRASE').message, exitCode: 8 }]);
    expect(stderr.text).toBe('');
  });

  it('without --json puts an error on stderr and nothing on stdout', () => {
    const { stdout, stderr, output } = make(false);
    output.error(new CliError('CLI_ERR_TIMEOUT', 'after 2 s'));
    expect(stdout.text).toBe('');
    expect(stderr.text).toContain('sealpost: error:');
    expect(stderr.text).toContain('after 2 s');
  });

  it('keeps diagnostics on stderr in both modes, and progress only on a terminal', () => {
    for (const json of [true, false]) {
      const { stdout, stderr, output } = make(json);
      output.note('note');
      output.progress('connecting');
      expect(stdout.text).toBe('');
      expect(stderr.text).toBe('note\n');
    }
    const tty = make(false, { NO_COLOR: '1' }, true);
    tty.output.progress('connecting');
    expect(tty.stderr.text).toBe('connecting\n');
  });

  it('colours only terminals and honours NO_COLOR', () => {
    const coloured = make(false, {}, true);
    coloured.output.result('x', {}, (c) => c.red('alert'));
    expect(coloured.stdout.text).toContain('\u001b[31m');
    const noColor = make(false, { NO_COLOR: '1' }, true);
    noColor.output.result('x', {}, (c) => c.red('alert'));
    expect(noColor.stdout.text).toBe('alert\n');
    const piped = make(false, {}, false);
    piped.output.result('x', {}, (c) => c.red('alert'));
    expect(piped.stdout.text).toBe('alert\n');
  });
});

describe('colorEnabled', () => {
  it('follows no-color.org: an empty NO_COLOR does not disable colour', () => {
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: '0' })).toBe(false);
    expect(colorEnabled({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
    expect(colorEnabled({ isTTY: false }, {})).toBe(false);
  });
});
