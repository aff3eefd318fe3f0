/**
 * Runs one `sealpost` invocation: parses the arguments, runs the command, and turns every
 * failure into one CLI error (printed once, as text on stderr or JSON on stdout) and its exit
 * code. Returns the exit code instead of exiting, so tests run the CLI in-process.
 */
import { CommanderError } from 'commander';
import { CliError, EXIT_CODES, isCliError } from '../errors.js';
import { Output } from '../output/output.js';
import { sqliteCliError } from '../store/sqlite-errors.js';
import { RelayRefusal, relayRefusalToCliError } from '../transport/relay-errors.js';
import type { CliIo } from './context.js';
import { buildProgram } from './program.js';

/** `--json` anywhere before a `--`: known before parsing, so even parse errors come out as JSON. */
export function wantsJson(args: readonly string[]): boolean {
  for (const arg of args) {
    if (arg === '--') return false;
    if (arg === '--json') return true;
  }
  return false;
}

const HELP_CODES = new Set(['commander.helpDisplayed', 'commander.version', 'commander.help']);

/** Maps anything thrown to a CLI error; unknown errors become CLI_ERR_INTERNAL. */
export function toCliError(error: unknown): CliError {
  if (isCliError(error)) return error;
  if (error instanceof CommanderError) {
    return new CliError('CLI_ERR_USAGE', error.message.replace(/^error: /, ''), { commanderCode: error.code });
  }
  if (error instanceof RelayRefusal) return relayRefusalToCliError(error.info);
  const fromSqlite = sqliteCliError(error);
  if (fromSqlite !== undefined) return fromSqlite;
  const detail = error instanceof Error ? error.message : String(error);
  return new CliError('CLI_ERR_INTERNAL', detail, undefined, { cause: error });
}

export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  const output = new Output({ json: wantsJson(args), stdout: io.stdout, stderr: io.stderr, env: io.env });
  const program = buildProgram({ io, output });
  try {
    await program.parseAsync([...args], { from: 'user' });
    return EXIT_CODES.OK;
  } catch (error) {
    // Help and version end parsing with an "error" in exitOverride mode; `sealpost` alone prints
    // help to stderr and fails as a usage error.
    if (error instanceof CommanderError && HELP_CODES.has(error.code)) return error.exitCode === 0 ? EXIT_CODES.OK : EXIT_CODES.USAGE;
    const cliError = toCliError(error);
    output.error(cliError);
    return cliError.exitCode;
  }
}
