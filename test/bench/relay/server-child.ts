/**
 * Runs a server under test as a child process of the orchestrator — the real relay
 * (relay/dist/bin/sealpost-relay.js) or the baseline server — and finds its port from the JSON
 * line it prints when listening (`relay.listening` / `bare.listening`). Keeps only the tail of
 * its output for error messages. `stop()` sends SIGTERM (the relay drains and exits, which is
 * also when `--cpu-prof` writes its profile) and SIGKILLs after a bounded wait.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

export interface ServerChild {
  readonly pid: number;
  readonly port: number;
  readonly httpUrl: string;
  readonly wsUrl: string;
  /** The last few kilobytes of stdout and stderr. */
  output(): string;
  stop(): Promise<number | null>;
}

export interface ServerChildOptions {
  readonly script: string;
  readonly args: readonly string[];
  /** Flags for node itself, e.g. --cpu-prof. */
  readonly nodeArgs?: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  readonly startTimeoutMs?: number;
}

const TAIL_CHARS = 16_384;
const READY_EVENTS = new Set(['relay.listening', 'bare.listening']);

/** The environment without SEALPOST_* variables: the relay refuses unknown SEALPOST_RELAY_* ones. */
export function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('SEALPOST_')) env[name] = value;
  return env;
}

export function startServerChild(options: ServerChildOptions): Promise<ServerChild> {
  const child: ChildProcess = spawn(process.execPath, [...(options.nodeArgs ?? []), options.script, ...options.args], {
    env: options.env ?? cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const keep = (chunk: string) => {
    tail = (tail + chunk).slice(-TAIL_CHARS);
  };
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let buffer = '';
    let ready = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${options.script} did not start within ${options.startTimeoutMs ?? 30_000} ms:\n${tail}`));
    }, options.startTimeoutMs ?? 30_000);
    child.stderr?.setEncoding('utf8').on('data', keep);
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      keep(chunk);
      if (ready) return;
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        let entry: { event?: string; port?: number };
        try {
          entry = JSON.parse(line) as { event?: string; port?: number };
        } catch {
          continue;
        }
        if (entry.event === undefined || !READY_EVENTS.has(entry.event) || typeof entry.port !== 'number') continue;
        ready = true;
        buffer = '';
        clearTimeout(timer);
        const port = entry.port;
        resolve({
          pid: child.pid as number,
          port,
          httpUrl: `http://127.0.0.1:${port}`,
          wsUrl: `ws://127.0.0.1:${port}/v1/ws`,
          output: () => tail,
          async stop() {
            if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
            child.kill('SIGTERM');
            const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
            const code = await exited;
            clearTimeout(killer);
            return code;
          },
        });
        return;
      }
    });
    void exited.then((code) => {
      if (ready) return;
      clearTimeout(timer);
      reject(new Error(`${options.script} exited with ${code} before listening:\n${tail}`));
    });
  });
}
