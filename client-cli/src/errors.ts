/**
 * The one table of CLI errors (DESIGN.md §6) and the exit codes they map to.
 *
 * Every failure `sealpost` reports carries a stable `CLI_ERR_*` code, a message a user can act on
 * and a process exit code. Exit codes name a category, not a single error, so scripts can branch
 * on a handful of numbers. 1–5 keep signal-cli's meanings (NOTES.md, "Command line") where they
 * overlap, so scripts written against it need fewer changes; the rest are Sealpost's own.
 * docs/errors.md and docs/cli.md are generated from / checked against these tables.
 */

/** Exit codes by category. Never renumber one: scripts depend on them. */
export const EXIT_CODES = {
  /** Success. */
  OK: 0,
  /** The command line or its input is wrong (bad option, unknown contact syntax, missing passphrase source). */
  USAGE: 1,
  /** A bug or an unexpected condition; the message says what. */
  UNEXPECTED: 2,
  /**
   * The relay could not be reached (connection refused, DNS, TLS, dropped connection), or what
   * came over the connection was cut off or damaged (a truncated transfer, a file whose digest
   * does not match).
   */
  NETWORK: 3,
  /** A contact's identity key changed or is not verified; sending stops until `verify`. */
  UNTRUSTED_IDENTITY: 4,
  /** The relay rate-limited this request; retry later. */
  RATE_LIMITED: 5,
  /** The named contact, account, device or message does not exist (locally or on the relay). */
  NOT_FOUND: 6,
  /** A `--timeout` expired before the awaited state was reached. */
  TIMEOUT: 7,
  /** The passphrase does not unlock this profile. Nothing was changed. */
  WRONG_PASSPHRASE: 8,
  /** The local store is damaged or not a Sealpost store. Nothing was changed. */
  STORE_CORRUPTED: 9,
  /** The relay answered but refused the request (it gives the reason). */
  RELAY_REFUSED: 10,
  /** The profile is not set up, or is already set up (`init`). */
  PROFILE_STATE: 11,
  /** Interrupted by SIGINT during a one-shot command (128 + 2, the shell convention). */
  INTERRUPTED: 130,
} as const;

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/** A few words per exit code, for `--help` and docs/cli.md. */
export const EXIT_CODE_SUMMARY: Readonly<Record<ExitCode, string>> = {
  0: 'ok',
  1: 'usage',
  2: 'unexpected',
  3: 'network',
  4: 'untrusted identity',
  5: 'rate limited',
  6: 'not found',
  7: 'timeout',
  8: 'wrong passphrase',
  9: 'corrupted store',
  10: 'relay refused',
  11: 'profile not set up / already set up',
  130: 'interrupted',
};

export interface CliErrorInfo {
  readonly message: string;
  readonly exitCode: ExitCode;
}

export const CLI_ERRORS = {
  // --- Usage and input ---
  CLI_ERR_USAGE: { message: 'The command line is not valid; see `sealpost <command> --help`.', exitCode: EXIT_CODES.USAGE },
  CLI_ERR_INVALID_ARGUMENT: { message: 'An argument or option value is not valid.', exitCode: EXIT_CODES.USAGE },
  CLI_ERR_PASSPHRASE_ARGUMENT: { message: 'Passphrases are never taken as arguments (they would show in `ps` and shell history); use --passphrase-file, --passphrase-fd, SEALPOST_PASSPHRASE or the prompt.', exitCode: EXIT_CODES.USAGE },
  CLI_ERR_PASSPHRASE_MISSING: { message: 'No passphrase source: use --passphrase-file, --passphrase-fd, SEALPOST_PASSPHRASE, or run on a terminal to be prompted.', exitCode: EXIT_CODES.USAGE },
  CLI_ERR_PASSPHRASE_UNREADABLE: { message: 'The passphrase file or descriptor could not be read.', exitCode: EXIT_CODES.USAGE },
  CLI_ERR_PASSPHRASE_EMPTY: { message: 'The passphrase is empty; choose a non-empty passphrase.', exitCode: EXIT_CODES.USAGE },
  CLI_ERR_PASSPHRASE_MISMATCH: { message: 'The two passphrases typed do not match.', exitCode: EXIT_CODES.USAGE },
  CLI_ERR_KDF_SETTING: { message: 'SEALPOST_KDF has an unknown value (the only one is the test-only "interactive-test").', exitCode: EXIT_CODES.USAGE },
  CLI_ERR_MESSAGE_EMPTY: { message: 'The message is empty; pass TEXT or pipe it on stdin.', exitCode: EXIT_CODES.USAGE },
  CLI_ERR_FILE_UNREADABLE: { message: 'The file to send cannot be read (missing, a directory, or no permission).', exitCode: EXIT_CODES.USAGE },
  CLI_ERR_UNSAFE_FILE_NAME: { message: 'That file name is not safe: use a plain name without path separators, control characters or a leading "." or "-".', exitCode: EXIT_CODES.USAGE },
  CLI_ERR_FILE_EXISTS: { message: 'A file of that name exists and was left alone; pass --force to replace it, or --out to choose another path.', exitCode: EXIT_CODES.USAGE },

  // --- Profile and local store ---
  CLI_ERR_NOT_INITIALIZED: { message: 'This profile has no identity yet; run `sealpost init --relay URL` first.', exitCode: EXIT_CODES.PROFILE_STATE },
  CLI_ERR_ALREADY_INITIALIZED: { message: 'This profile already has an identity; use another --profile or --data-dir.', exitCode: EXIT_CODES.PROFILE_STATE },
  CLI_ERR_WRONG_PASSPHRASE: { message: 'The passphrase does not unlock this profile. Nothing was changed.', exitCode: EXIT_CODES.WRONG_PASSPHRASE },
  CLI_ERR_STORE_CORRUPTED: { message: 'The local store is damaged or is not a Sealpost store. Nothing was changed; restore it from a backup.', exitCode: EXIT_CODES.STORE_CORRUPTED },
  CLI_ERR_STORE_TOO_NEW: { message: 'The local store was written by a newer sealpost; upgrade sealpost to open it.', exitCode: EXIT_CODES.STORE_CORRUPTED },
  CLI_ERR_STORE_BUSY: { message: 'The local store stayed locked by another sealpost process for too long; try again.', exitCode: EXIT_CODES.UNEXPECTED },
  CLI_ERR_STORE_IO: { message: 'The local store could not be read or written (permissions, disk full or missing directory).', exitCode: EXIT_CODES.UNEXPECTED },

  // --- Lookups ---
  CLI_ERR_CONTACT_NOT_FOUND: { message: 'No such contact; add one with `sealpost contact add`.', exitCode: EXIT_CODES.NOT_FOUND },
  CLI_ERR_CONTACT_AMBIGUOUS: { message: 'That name matches more than one contact; use the account id.', exitCode: EXIT_CODES.USAGE },
  CLI_ERR_CONTACT_EXISTS: { message: 'That account or alias is already a contact.', exitCode: EXIT_CODES.USAGE },
  CLI_ERR_ACCOUNT_NOT_FOUND: { message: 'The relay knows no such username or account.', exitCode: EXIT_CODES.NOT_FOUND },
  CLI_ERR_MESSAGE_NOT_FOUND: { message: 'No message with that id was sent from this profile.', exitCode: EXIT_CODES.NOT_FOUND },
  CLI_ERR_DEVICE_NOT_FOUND: { message: 'No such device on this account.', exitCode: EXIT_CODES.NOT_FOUND },
  CLI_ERR_FILE_MESSAGE_NOT_FOUND: { message: 'No file message with that id in this profile; `sealpost history <contact>` lists them.', exitCode: EXIT_CODES.NOT_FOUND },
  CLI_ERR_MEDIA_NOT_FOUND: { message: 'The relay no longer has that file: it expired or was deleted.', exitCode: EXIT_CODES.NOT_FOUND },

  // --- Trust ---
  CLI_ERR_UNTRUSTED_IDENTITY: { message: "The contact's identity key changed since it was pinned; nothing was sent. Compare safety numbers, then run `sealpost verify <contact> --confirm`.", exitCode: EXIT_CODES.UNTRUSTED_IDENTITY },
  CLI_ERR_DEVICE_LIST_INVALID: { message: "The contact's device list is not signed by its pinned identity key; nothing was sent.", exitCode: EXIT_CODES.UNTRUSTED_IDENTITY },

  // --- Relay and network ---
  CLI_ERR_RELAY_UNREACHABLE: { message: 'The relay could not be reached; check the URL and your connection.', exitCode: EXIT_CODES.NETWORK },
  CLI_ERR_RELAY_PROTOCOL: { message: 'The relay answered with something this client does not understand.', exitCode: EXIT_CODES.NETWORK },
  CLI_ERR_RATE_LIMITED: { message: 'The relay rate-limited this request; retry later.', exitCode: EXIT_CODES.RATE_LIMITED },
  CLI_ERR_RELAY_REFUSED: { message: 'The relay refused the request.', exitCode: EXIT_CODES.RELAY_REFUSED },
  CLI_ERR_TIMEOUT: { message: 'The timeout expired before the awaited state was reached.', exitCode: EXIT_CODES.TIMEOUT },
  CLI_ERR_FEATURE_UNAVAILABLE: { message: 'This relay does not offer that feature (it is switched off or the relay is older).', exitCode: EXIT_CODES.RELAY_REFUSED },

  // --- Files (send-file, download) ---
  CLI_ERR_MEDIA_TOO_LARGE: { message: 'The file is larger than the relay accepts (its media.maxObjectBytes); nothing was sent.', exitCode: EXIT_CODES.RELAY_REFUSED },
  CLI_ERR_MEDIA_QUOTA_EXCEEDED: { message: 'Your media quota on the relay is used up (bytes or files); wait for older files to expire. Nothing was sent.', exitCode: EXIT_CODES.RELAY_REFUSED },
  CLI_ERR_MEDIA_URL_EXPIRED: { message: "The relay's upload or download URL expired before the transfer started; run the command again.", exitCode: EXIT_CODES.TIMEOUT },
  CLI_ERR_MEDIA_TRUNCATED: { message: 'The transfer ended before the whole file went through; nothing was sent or saved. Try again.', exitCode: EXIT_CODES.NETWORK },
  CLI_ERR_MEDIA_DIGEST_MISMATCH: { message: 'The downloaded file does not match the digest in the message: it was altered or damaged on the way. Nothing was saved.', exitCode: EXIT_CODES.NETWORK },
  CLI_ERR_MEDIA_UNDECRYPTABLE: { message: 'The downloaded file matches its digest but does not decrypt with the key in the message (the sending client is faulty). Nothing was saved.', exitCode: EXIT_CODES.UNEXPECTED },
  CLI_ERR_FILE_WRITE: { message: 'The downloaded file could not be written (permissions, disk full or missing directory); nothing was saved.', exitCode: EXIT_CODES.UNEXPECTED },
  CLI_ERR_FILE_CHANGED: { message: 'The file changed size while it was being read; nothing was sent. Send it again once it is complete.', exitCode: EXIT_CODES.UNEXPECTED },

  // --- Push ---
  CLI_ERR_PUSH_ENDPOINT_REFUSED: { message: 'The relay refused that push subscription: the endpoint must be an https URL on a public address, --p256dh a P-256 public key and --auth a 16-byte secret (base64url); details.reason says which.', exitCode: EXIT_CODES.RELAY_REFUSED },

  // --- Everything else ---
  CLI_ERR_INTERRUPTED: { message: 'Interrupted.', exitCode: EXIT_CODES.INTERRUPTED },
  CLI_ERR_INTERNAL: { message: 'Unexpected internal error (set SEALPOST_DEBUG=1 for a stack trace).', exitCode: EXIT_CODES.UNEXPECTED },
} as const satisfies Record<string, CliErrorInfo>;

export type CliErrorCode = keyof typeof CLI_ERRORS;

/**
 * An error with a stable code from {@link CLI_ERRORS}. `detail` adds what was wrong (shown after
 * the table message); `data` is a small JSON object for `--json` output (never secrets).
 */
export class CliError extends Error {
  readonly code: CliErrorCode;
  readonly detail: string | undefined;
  readonly data: Readonly<Record<string, unknown>> | undefined;

  constructor(code: CliErrorCode, detail?: string, data?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(detail === undefined ? CLI_ERRORS[code].message : `${CLI_ERRORS[code].message} (${detail})`, options);
    this.name = 'CliError';
    this.code = code;
    this.detail = detail;
    this.data = data;
  }

  get exitCode(): ExitCode {
    const info: CliErrorInfo = CLI_ERRORS[this.code];
    return info.exitCode;
  }
}

export function isCliError(error: unknown): error is CliError {
  return error instanceof CliError;
}
