/** In-memory stdio for running the CLI in-process. */
import { EventEmitter } from 'node:events';
import type { CliIo } from '../../src/cli/context.js';

export class CaptureSink {
  chunks: string[] = [];
  constructor(readonly isTTY = false) {}
  write(chunk: string): boolean {
    this.chunks.push(chunk);
    return true;
  }
  get text(): string {
    return this.chunks.join('');
  }
  lines(): string[] {
    return this.text.split('\n').filter((l) => l !== '');
  }
  json(): Record<string, unknown>[] {
    return this.lines().map((l) => JSON.parse(l) as Record<string, unknown>);
  }
}

/** A stand-in for stdin: text to read, optionally pretending to be a terminal. */
export class FakeStdin extends EventEmitter {
  rawMode = false;
  constructor(
    private readonly content: string = '',
    readonly isTTY = false,
  ) {
    super();
  }
  setRawMode(mode: boolean): this {
    this.rawMode = mode;
    return this;
  }
  setEncoding(): this {
    return this;
  }
  resume(): this {
    return this;
  }
  pause(): this {
    return this;
  }
  /** Types `text` as keystrokes, as a terminal in raw mode delivers them. */
  type(text: string): void {
    this.emit('data', text);
  }
  async *[Symbol.asyncIterator](): AsyncIterator<string> {
    if (this.content !== '') yield this.content;
  }
}

export interface TestIo extends CliIo {
  readonly stdout: CaptureSink;
  readonly stderr: CaptureSink;
  readonly stdin: FakeStdin;
}

export function testIo(options: { env?: Record<string, string | undefined>; stdin?: FakeStdin; cwd?: string; tty?: boolean } = {}): TestIo {
  return {
    // In-process tests never interrupt a command; long-running ones are tested through the binary.
    interrupted: () => new Promise<void>(() => undefined),
    stdout: new CaptureSink(options.tty ?? false),
    stderr: new CaptureSink(options.tty ?? false),
    stdin: options.stdin ?? new FakeStdin(),
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
  };
}
