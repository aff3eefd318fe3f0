/**
 * Runs the real `sealpost` binary — the shipped esbuild bundle client-cli/bundle/bin/sealpost.js,
 * built by `npm run build` (tsc -b, then client-cli/scripts/bundle.mjs) — for
 * end-to-end tests: one-shot runs that collect stdout, stderr and the exit code, and long-running
 * ones (`listen`) whose output lines can be awaited. Each profile gets its own --data-dir; the
 * environment is cleaned of the user's XDG and SEALPOST_* variables so tests never touch real
 * profiles, and uses the test-only Argon2id parameters.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'client-cli', 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the repository root from test/support');
    dir = parent;
  }
  return dir;
}

export const REPO_ROOT = repoRoot();
export const SEALPOST_BIN = join(REPO_ROOT, 'client-cli', 'bundle', 'bin', 'sealpost.js');
export const RELAY_BIN = join(REPO_ROOT, 'relay', 'dist', 'bin', 'sealpost-relay.js');

/** Fails clearly when the build is missing (run `npm run build`, as `npm test` does). */
export function requireBuild(): void {
  for (const bin of [SEALPOST_BIN, RELAY_BIN]) {
    if (!existsSync(bin)) throw new Error(`${bin} is missing: build first with \`npm run build\` (npm test does)`);
  }
}

export const TEST_PASSPHRASE = 'correct horse battery staple';

/** The environment a test profile runs in: no inherited XDG or SEALPOST_* settings. */
export function cliEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (name.startsWith('XDG_') || name.startsWith('SEALPOST_') || name === 'NO_COLOR' || name === 'FORCE_COLOR') continue;
    env[name] = value;
  }
  Object.assign(env, { SEALPOST_KDF: 'interactive-test', SEALPOST_PASSPHRASE: TEST_PASSPHRASE, NO_COLOR: '1' });
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly env?: Record<string, string | undefined>;
  /** Written to stdin, which is then closed (stdin is always closed: no test waits on a prompt). */
  readonly input?: string;
  /** Extra descriptors: fd 3 onwards, each given as the text to read from it. */
  readonly extraFds?: readonly string[];
  readonly timeoutMs?: number;
  /** Working directory (default: the test process's). */
  readonly cwd?: string;
  /** Node options before the script, e.g. ['--import', url] to preload a probe. */
  readonly nodeArgs?: readonly string[];
}

/** Runs `sealpost args…` to completion. */
export function runSealpost(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const extra = options.extraFds ?? [];
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), SEALPOST_BIN, ...args], {
      env: cliEnv(options.env),
      stdio: ['pipe', 'pipe', 'pipe', ...extra.map(() => 'pipe' as const)],
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    extra.forEach((text, i) => {
      const stream = child.stdio[3 + i] as NodeJS.WritableStream | null;
      stream?.end(text);
    });
    child.stdin?.end(options.input ?? '');
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`sealpost ${args.join(' ')} did not finish in ${options.timeoutMs ?? 60_000} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal === null ? -1 : 128), stdout, stderr });
    });
  });
}

/**
 * Runs the relay's operator command `sealpost-relay admin …` (e.g. `accounts delete bob
 * --data-dir DIR`) to completion, the way a self-hoster would beside the running relay.
 */
export function runRelayAdmin(args: readonly string[], timeoutMs = 30_000): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = {};
    for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('SEALPOST_')) env[name] = value;
    const child = spawn(process.execPath, [RELAY_BIN, 'admin', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`sealpost-relay admin ${args.join(' ')} did not finish in ${timeoutMs} ms\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal === null ? -1 : 128), stdout, stderr });
    });
  });
}

/** Parses each stdout line as JSON (for --json runs). */
export function jsonLines(text: string): Array<Record<string, unknown>> {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** A long-running `sealpost` (listen, chat) whose stdout lines can be awaited. */
export class RunningSealpost {
  readonly lines: string[] = [];
  stderr = '';
  private readonly waiters = new Set<() => void>();
  private readonly exitResult: Promise<RunResult>;
  private partial = '';

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      this.partial += chunk;
      const parts = this.partial.split('\n');
      this.partial = parts.pop() ?? '';
      this.lines.push(...parts.filter((l) => l !== ''));
      for (const wake of [...this.waiters]) wake();
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
      for (const wake of [...this.waiters]) wake();
    });
    this.exitResult = new Promise((resolve) => {
      child.on('close', (code, signal) => {
        for (const wake of [...this.waiters]) wake();
        resolve({ code: code ?? (signal === null ? -1 : 128), stdout: this.lines.join('\n'), stderr: this.stderr });
      });
    });
  }

  static start(args: readonly string[], options: { env?: Record<string, string | undefined> } = {}): RunningSealpost {
    return new RunningSealpost(spawn(process.execPath, [SEALPOST_BIN, ...args], { env: cliEnv(options.env), stdio: ['pipe', 'pipe', 'pipe'] }));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Writes to the process's stdin (chat input). */
  write(text: string): void {
    this.child.stdin.write(text);
  }

  /** JSON objects printed so far (for --json). */
  json(): Array<Record<string, unknown>> {
    return this.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  /** Resolves with the first JSON line matching `match`; rejects after `timeoutMs` or on exit. */
  waitForJson(match: (value: Record<string, unknown>) => boolean, timeoutMs = 30_000): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      let done = false;
      const check = (): void => {
        if (done) return;
        const found = this.json().find(match);
        if (found !== undefined) {
          finish();
          resolve(found);
        } else if (this.child.exitCode !== null || this.child.signalCode !== null) {
          finish();
          reject(new Error(`sealpost exited (${this.child.exitCode ?? this.child.signalCode}) before the awaited line\nstdout:\n${this.lines.join('\n')}\nstderr:\n${this.stderr}`));
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`no matching line within ${timeoutMs} ms\nstdout:\n${this.lines.join('\n')}\nstderr:\n${this.stderr}`));
      }, timeoutMs);
      const finish = (): void => {
        done = true;
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Waits for the process to end by itself. */
  exited(): Promise<RunResult> {
    return this.exitResult;
  }

  /** Sends `signal` (SIGINT: how a user stops listen) and waits for the exit. */
  async stop(signal: NodeJS.Signals = 'SIGINT'): Promise<RunResult> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exitResult;
  }

  /** Closes stdin (end of input for chat) and waits for the exit. */
  async endInput(): Promise<RunResult> {
    this.child.stdin.end();
    return this.exitResult;
  }
}
