/**
 * Maps SQLite failures to CLI errors. better-sqlite3 throws `SqliteError` with the SQLite result
 * code name in `code` (https://www.sqlite.org/rescode.html); only the code is inspected, so this
 * module does not load the native binding.
 */
import { CliError } from '../errors.js';

export function sqliteCliError(error: unknown): CliError | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return undefined;
  const detail = `${code}: ${(error as Error).message}`;
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) return new CliError('CLI_ERR_STORE_CORRUPTED', detail, undefined, { cause: error });
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return new CliError('CLI_ERR_STORE_BUSY', detail, undefined, { cause: error });
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_READONLY') || code === 'SQLITE_FULL' || code === 'SQLITE_PERM') {
    return new CliError('CLI_ERR_STORE_IO', detail, undefined, { cause: error });
  }
  return undefined;
}
