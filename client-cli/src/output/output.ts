/**
 * The output layer every command writes through (DESIGN.md §5, NOTES.md "Command line").
 *
 * - stdout carries results only: human text, or with `--json` exactly one JSON object per line
 *   (one for a one-shot command, NDJSON for `listen`). Every object has `type` and the schema
 *   version `v`, so consumers can branch and detect format changes.
 * - stderr carries diagnostics and progress, never parsed by scripts; progress and prompts only
 *   when stderr is a terminal.
 * - With `--json`, a failure is also one JSON object on stdout:
 *   `{"type":"error","v":1,"code":"CLI_ERR_…","message":"…","exitCode":N}`, so a script reads a
 *   single stream and always gets either the result or the error. Without `--json` errors go
 *   to stderr.
 */
import type { CliError } from '../errors.js';
import { colorEnabled, palette, type Palette } from './color.js';

/** Schema version of every JSON object the CLI prints. Bump on an incompatible change. */
export const JSON_SCHEMA_VERSION = 1;

export interface TextSink {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
}

export interface OutputOptions {
  readonly json: boolean;
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export type JsonFields = Readonly<Record<string, unknown>>;

export class Output {
  readonly json: boolean;
  /** Colours for stdout text (off under NO_COLOR or when stdout is not a terminal). */
  readonly colors: Palette;
  /** Colours for stderr text. */
  readonly errColors: Palette;
  private readonly stdout: TextSink;
  private readonly stderr: TextSink;
  private readonly debug: boolean;

  constructor(options: OutputOptions) {
    this.json = options.json;
    this.stdout = options.stdout;
    this.stderr = options.stderr;
    this.debug = options.env.SEALPOST_DEBUG === '1';
    this.colors = palette(colorEnabled(options.stdout, options.env));
    this.errColors = palette(colorEnabled(options.stderr, options.env));
  }

  /** True when stderr is a terminal: only then do progress lines and QR codes go there. */
  get interactive(): boolean {
    return this.stderr.isTTY === true;
  }

  /** A command's result: a JSON object of `type`, or the human rendering. */
  result(type: string, fields: JsonFields, human: (colors: Palette) => string): void {
    if (this.json) this.writeJson(type, fields);
    else this.writeText(human(this.colors));
  }

  /** One event of a stream (`listen`, `chat`): one NDJSON line, or one human line. */
  event(type: string, fields: JsonFields, human: (colors: Palette) => string): void {
    this.result(type, fields, human);
  }

  /** A diagnostic for people: stderr, in both modes. */
  note(text: string): void {
    this.stderr.write(`${text}\n`);
  }

  warn(text: string): void {
    this.stderr.write(`${this.errColors.yellow('warning:')} ${text}\n`);
  }

  /** Progress ("connecting…") only when a person is watching stderr. */
  progress(text: string): void {
    if (this.interactive) this.stderr.write(`${this.errColors.dim(text)}\n`);
  }

  error(error: CliError): void {
    if (this.json) {
      const fields: Record<string, unknown> = { code: error.code, message: error.message, exitCode: error.exitCode };
      if (error.data !== undefined) fields.details = error.data;
      this.writeJson('error', fields);
      return;
    }
    this.stderr.write(`${this.errColors.red('sealpost: error:')} ${error.message}\n`);
    if (this.debug && error.cause instanceof Error && error.cause.stack !== undefined) {
      this.stderr.write(`${error.cause.stack}\n`);
    }
  }

  /** Raw text on stdout (the human rendering of a result, or a line of `chat`). */
  writeText(text: string): void {
    if (text === '') return;
    this.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  private writeJson(type: string, fields: JsonFields): void {
    this.stdout.write(`${JSON.stringify({ type, v: JSON_SCHEMA_VERSION, ...fields })}\n`);
  }
}
