import { describe, expect, it } from 'vitest';
import { CLI_ERRORS, CliError, EXIT_CODES, EXIT_CODE_SUMMARY, isCliError } from '../src/errors.js';

describe('CLI_ERRORS', () => {
  it('has CLI_ERR_ codes with a message and an exit code from EXIT_CODES', () => {
    const exitCodes = new Set<number>(Object.values(EXIT_CODES));
    for (const [code, info] of Object.entries(CLI_ERRORS)) {
      expect(code).toMatch(/^CLI_ERR_[A-Z0-9_]+$/);
      expect(info.message.length).toBeGreaterThan(10);
      expect(info.message).toMatch(/[.)]$/);
      expect(exitCodes.has(info.exitCode)).toBe(true);
    }
  });

  it('gives each failure category the issue names its own exit code', () => {
    const categories = [
      CLI_ERRORS.CLI_ERR_USAGE.exitCode,
      CLI_ERRORS.CLI_ERR_INTERNAL.exitCode,
      CLI_ERRORS.CLI_ERR_RELAY_UNREACHABLE.exitCode,
      CLI_ERRORS.CLI_ERR_UNTRUSTED_IDENTITY.exitCode,
      CLI_ERRORS.CLI_ERR_RATE_LIMITED.exitCode,
      CLI_ERRORS.CLI_ERR_CONTACT_NOT_FOUND.exitCode,
      CLI_ERRORS.CLI_ERR_TIMEOUT.exitCode,
      CLI_ERRORS.CLI_ERR_WRONG_PASSPHRASE.exitCode,
      CLI_ERRORS.CLI_ERR_STORE_CORRUPTED.exitCode,
      CLI_ERRORS.CLI_ERR_RELAY_REFUSED.exitCode,
    ];
    expect(new Set(categories).size).toBe(categories.length);
    expect(categories).not.toContain(0);
  });

  it('keeps signal-cli meanings for 1-5', () => {
    expect(EXIT_CODES.USAGE).toBe(1);
    expect(EXIT_CODES.UNEXPECTED).toBe(2);
    expect(EXIT_CODES.NETWORK).toBe(3);
    expect(EXIT_CODES.UNTRUSTED_IDENTITY).toBe(4);
    expect(EXIT_CODES.RATE_LIMITED).toBe(5);
  });

  it('summarises every exit code exactly once', () => {
    expect(Object.keys(EXIT_CODE_SUMMARY).map(Number).sort((a, b) => a - b)).toEqual(Object.values(EXIT_CODES).sort((a, b) => a - b));
  });
});

describe('CliError', () => {
  it('carries the code, the table message plus detail, and the exit code', () => {
    const error = new CliError('CLI_ERR_TIMEOUT', 'waited 3 s', { messageId: 'm1' });
    expect(isCliError(error)).toBe(true);
    expect(error.code).toBe('CLI_ERR_TIMEOUT');
    expect(error.message).toBe(`${CLI_ERRORS.CLI_ERR_TIMEOUT.message} (waited 3 s)`);
    expect(error.exitCode).toBe(EXIT_CODES.TIMEOUT);
    expect(error.data).toEqual({ messageId: 'm1' });
    expect(isCliError(new Error('x'))).toBe(false);
  });
});
