/**
 * A hidden-input prompt on the controlling terminal, for the passphrase. Echo is off (raw mode)
 * so the passphrase never appears on screen or in terminal scrollback; the question goes to
 * stderr so stdout stays clean for results.
 */
import { CliError } from '../errors.js';
import type { TextSink } from '../output/output.js';

export interface TerminalInput {
  readonly isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
  setEncoding(encoding: BufferEncoding): unknown;
  on(event: 'data', listener: (chunk: string) => void): unknown;
  off(event: 'data', listener: (chunk: string) => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

const ENTER = new Set(['\r', '\n', '\u0004']);
const CTRL_C = '\u0003';
const BACKSPACE = new Set(['\u007f', '\b']);

export function promptHidden(question: string, input: TerminalInput, output: TextSink): Promise<string> {
  output.write(question);
  input.setRawMode?.(true);
  input.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (): void => {
      input.off('data', onData);
      input.setRawMode?.(false);
      input.pause();
      output.write('\n');
    };
    const onData = (chunk: string): void => {
      for (const ch of chunk) {
        if (ENTER.has(ch)) {
          finish();
          resolve(value);
          return;
        }
        if (ch === CTRL_C) {
          finish();
          reject(new CliError('CLI_ERR_INTERRUPTED'));
          return;
        }
        if (BACKSPACE.has(ch)) value = Array.from(value).slice(0, -1).join('');
        else value += ch;
      }
    };
    input.on('data', onData);
    input.resume();
  });
}
