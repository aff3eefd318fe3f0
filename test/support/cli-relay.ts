/**
 * A real relay process for CLI end-to-end tests: `sealpost-relay` on 127.0.0.1 with an ephemeral
 * port and a temporary data folder, generous rate limits (tests register and sign in far more
 * often than people do), and restart on the same port (clients keep its URL).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RELAY_BIN } from './cli-process.js';

const GENEROUS_LIMITS = {
  rateLimits: {
    authPerAddress: { limit: 100_000 },
    registerPerAddress: { limit: 10_000 },
    bundlePerPair: { limit: 10_000 },
    bundlePerRequester: { limit: 10_000 },
    requestsPerDevice: { limit: 100_000 },
  },
};

/** How long the relay may take to log `relay.listening`; after that it is killed. */
const START_TIMEOUT_MS = 30_000;
/** How long stop() waits after SIGTERM before SIGKILL. */
const STOP_GRACE_MS = 10_000;

export class TestRelay {
  private child: ChildProcess | undefined;
  private log = '';
  origin = '';
  port = 0;

  private constructor(
    readonly dataDir: string,
    private readonly configFile: string,
    private readonly flags: readonly string[],
  ) {}

  /**
   * Starts a relay storing its data in `dataDir`. `config`'s top-level sections are merged over
   * the generous limits (a `rateLimits` section replaces them); `flags` are extra `start` flags
   * (e.g. --push-allow-private-endpoints).
   */
  static async start(dataDir: string, config: Record<string, unknown> = {}, flags: readonly string[] = []): Promise<TestRelay> {
    const configFile = join(dataDir, 'relay-test-config.json');
    writeFileSync(configFile, JSON.stringify({ ...GENEROUS_LIMITS, ...config }));
    const relay = new TestRelay(dataDir, configFile, flags);
    await relay.launch(0);
    return relay;
  }

  private launch(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const env: NodeJS.ProcessEnv = {};
      for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('SEALPOST_')) env[name] = value;
      const child = spawn(process.execPath, [RELAY_BIN, 'start', '--config', this.configFile, '--port', String(port), '--data-dir', this.dataDir, '--log-level', 'info', ...this.flags], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      this.child = child;
      let buffer = '';
      const timer = setTimeout(() => {
        // Do not leave a hung relay behind: the caller never gets a TestRelay to stop.
        if (this.child === child) this.child = undefined;
        child.kill('SIGKILL');
        reject(new Error(`the relay did not start within 30 s:\n${this.log}`));
      }, START_TIMEOUT_MS);
      child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
        this.log += chunk;
        buffer += chunk;
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        for (const line of lines) {
          try {
            const entry = JSON.parse(line) as { event?: string; origin?: string; port?: number };
            if (entry.event === 'relay.listening' && typeof entry.origin === 'string' && typeof entry.port === 'number') {
              clearTimeout(timer);
              this.origin = entry.origin;
              this.port = entry.port;
              resolve();
            }
          } catch {
            // Not a log line; keep reading.
          }
        }
      });
      child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (this.log += chunk));
      child.on('exit', (code) => {
        clearTimeout(timer);
        if (this.origin === '' || this.child === child) reject(new Error(`the relay exited (${code}):\n${this.log}`));
      });
    });
  }

  get output(): string {
    return this.log;
  }

  /**
   * Stops the relay (SIGTERM, its graceful shutdown) and waits for the process to exit; a relay
   * still running after STOP_GRACE_MS gets SIGKILL, so a hung shutdown cannot hang a test or bench.
   */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const kill = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }

  /** Stops and starts again on the same port, keeping the data folder. */
  async restart(): Promise<void> {
    await this.stop();
    const port = this.port;
    this.origin = '';
    await this.launch(port);
  }
}
