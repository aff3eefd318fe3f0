/**
 * @sealpost/cli — the reference command-line client. The package's library surface is what other
 * workspaces need: the error table and exit codes (docs/errors.md, docs/cli.md) and the runner.
 */
export { CLI_ERRORS, EXIT_CODES, EXIT_CODE_SUMMARY, CliError, isCliError } from './errors.js';
export type { CliErrorCode, CliErrorInfo, ExitCode } from './errors.js';
export { JSON_SCHEMA_VERSION } from './output/output.js';
export { runCli } from './cli/main.js';
export type { CliIo } from './cli/context.js';
