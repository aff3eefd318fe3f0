/**
 * Runs the real sealpost-relay executable in a child process, from source through vite-node
 * (shipped with vitest): a relay that keeps running (its port found from the `relay.listening`
 * log line), or a command run to completion with its exit code and output.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const VITE_NODE = fileURLToPath(new URL('../../../node_modules/.bin/vite-node', import.meta.url));

export interface RelayProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly wsUrl: string;
  stdout(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
}

export async function spawnRelay(args: readonly string[], env: Record<string, string> = {}): Promise<RelayProcess> {
  const child = spawn(VITE_NODE, ['relay/src/bin/sealpost-relay.ts', '--', '--port', '0', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let started: () => void = () => {};
  // Resolved by the listening line or by the exit, whichever comes first (no polling, so it also
  // works from beforeAll, outside a test).
  const startedOrExited = new Promise<void>((resolve) => (started = resolve));
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (/"event":"relay.listening"/.test(stdout)) started();
  });
  child.stderr?.on('data', () => {});
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  void exited.then(() => started());
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, 30_000)));
  await Promise.race([startedOrExited, timeout]);
  clearTimeout(timer);
  const port = Number(/"event":"relay.listening".*?"port":(\d+)/.exec(stdout)?.[1]);
  if (!Number.isInteger(port) || port === 0) throw new Error(`relay did not start:\n${stdout}`);
  return { child, url: `http://127.0.0.1:${port}`, wsUrl: `ws://127.0.0.1:${port}/v1/ws`, stdout: () => stdout, exited };
}

export interface CommandResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the real executable to completion (e.g. an `admin` command) and collects its output. */
export function runRelayCommand(args: readonly string[], env: Record<string, string> = {}): Promise<CommandResult> {
  const child = spawn(VITE_NODE, ['relay/src/bin/sealpost-relay.ts', '--', ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
