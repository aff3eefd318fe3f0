/**
 * Where the passphrase comes from — never from a command-line argument, where `ps` and shell
 * history would show it (SimpleX's terminal client takes its database key that way; NOTES.md).
 *
 * Sources, first match wins: `--passphrase-fd N`, `--passphrase-file FILE`, `SEALPOST_PASSPHRASE`,
 * then a hidden prompt when stdin is a terminal. A file or descriptor gives its first line (the
 * line break is not part of the passphrase). Passphrases are NFC-normalised, so the same text
 * typed on two systems that compose accents differently unlocks the same store.
 */
import { closeSync, readFileSync, statSync } from 'node:fs';
import { CliError } from '../errors.js';
import type { TextSink } from '../output/output.js';
import { promptHidden, type TerminalInput } from './prompt.js';

export interface PassphraseOptions {
  readonly passphraseFile?: string | undefined;
  readonly passphraseFd?: number | undefined;
}

export interface PassphraseIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdin: TerminalInput;
  readonly stderr: TextSink;
  /** Told about weak setups (a passphrase file others can read). */
  warn(text: string): void;
}

export interface ReadPassphraseOptions {
  /** Ask twice on a prompt and refuse an empty passphrase: used when creating a store. */
  readonly creating: boolean;
}

function firstLine(text: string): string {
  const end = text.search(/\r?\n/);
  return end < 0 ? text : text.slice(0, end);
}

function finish(passphrase: string, creating: boolean): string {
  const normalized = passphrase.normalize('NFC');
  if (creating && normalized === '') throw new CliError('CLI_ERR_PASSPHRASE_EMPTY');
  return normalized;
}

export async function readPassphrase(options: PassphraseOptions, io: PassphraseIo, read: ReadPassphraseOptions): Promise<string> {
  if (options.passphraseFd !== undefined) {
    const fd = options.passphraseFd;
    let text: string;
    try {
      text = readFileSync(fd, 'utf8');
    } catch (error) {
      throw new CliError('CLI_ERR_PASSPHRASE_UNREADABLE', `descriptor ${fd}: ${(error as NodeJS.ErrnoException).code ?? 'read failed'}`);
    }
    // The descriptor was handed to us for this one purpose; stdio descriptors stay open.
    if (fd > 2) {
      try {
        closeSync(fd);
      } catch {
        // Already closed by the reader at EOF; nothing else to release.
      }
    }
    return finish(firstLine(text), read.creating);
  }
  if (options.passphraseFile !== undefined) {
    const file = options.passphraseFile;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
      if ((statSync(file).mode & 0o077) !== 0) io.warn(`the passphrase file ${file} can be read by other users; chmod 600 it`);
    } catch (error) {
      throw new CliError('CLI_ERR_PASSPHRASE_UNREADABLE', `${file}: ${(error as NodeJS.ErrnoException).code ?? 'read failed'}`);
    }
    return finish(firstLine(text), read.creating);
  }
  const fromEnv = io.env.SEALPOST_PASSPHRASE;
  if (fromEnv !== undefined) return finish(fromEnv, read.creating);
  if (io.stdin.isTTY === true) {
    const first = await promptHidden(read.creating ? 'New passphrase: ' : 'Passphrase: ', io.stdin, io.stderr);
    if (read.creating) {
      finish(first, true);
      const second = await promptHidden('Repeat passphrase: ', io.stdin, io.stderr);
      if (first !== second) throw new CliError('CLI_ERR_PASSPHRASE_MISMATCH');
    }
    return finish(first, read.creating);
  }
  throw new CliError('CLI_ERR_PASSPHRASE_MISSING');
}
