/**
 * What every command action receives: the process streams and environment (injected, so tests
 * run the whole CLI in-process), the output layer, and the global options.
 */
import type { Writable } from 'node:stream';
import type { PassphraseIo } from '../config/passphrase.js';
import { resolveProfilePaths, type ProfilePaths } from '../config/paths.js';
import type { TerminalInput } from '../config/prompt.js';
import type { Output, TextSink } from '../output/output.js';

export interface CliIo {
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  /** stdin for message text and the passphrase prompt (a getter in the binary: created lazily). */
  readonly stdin: TerminalInput & AsyncIterable<string | Uint8Array>;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** stdout as a byte stream, for `download --out -` (absent when the CLI runs in-process). */
  readonly stdoutBytes?: Writable;
  /** Resolves on SIGINT or SIGTERM: how long-running commands (listen, chat) are stopped. */
  interrupted(): Promise<void>;
}

export interface GlobalOptions {
  readonly profile?: string | undefined;
  readonly dataDir?: string | undefined;
  readonly json?: boolean | undefined;
  readonly passphraseFile?: string | undefined;
  readonly passphraseFd?: number | undefined;
}

export interface CommandContext {
  readonly io: CliIo;
  readonly output: Output;
  readonly globals: GlobalOptions;
  /** The selected profile's directories (validated on first use). */
  paths(): ProfilePaths;
  passphraseIo(): PassphraseIo;
  /** Milliseconds since the epoch (one clock for the whole CLI, replaceable in tests). */
  now(): number;
}

export function createCommandContext(io: CliIo, output: Output, globals: GlobalOptions): CommandContext {
  let paths: ProfilePaths | undefined;
  return {
    io,
    output,
    globals,
    paths: () => (paths ??= resolveProfilePaths(globals, io.env, io.cwd)),
    passphraseIo: () => ({ env: io.env, stdin: io.stdin, stderr: io.stderr, warn: (text) => output.warn(text) }),
    now: () => Date.now(),
  };
}
