/**
 * Starts a real relay for a test: a temp data folder with a real SQLite file, an ephemeral port
 * on 127.0.0.1, silent logs, and a clock the test can move. `stop()` drains and removes the data.
 */
import type { RelayConfigInput } from '../../src/config/config-schema.js';
import { loadConfig } from '../../src/config/load-config.js';
import { createRelay } from '../../src/create-relay.js';
import type { Relay, RelayOptions } from '../../src/create-relay.js';
import { createLogger } from '../../src/logging/create-logger.js';
import type { Logger } from '../../src/logging/create-logger.js';
import { afterEach } from 'vitest';
import { makeTempDir } from './temp-dir.js';
import type { TempDir } from './temp-dir.js';

export interface TestClock {
  (): number;
  advance(ms: number): void;
}

export function testClock(start = Date.now()): TestClock {
  let now = start;
  const clock = (() => now) as TestClock;
  clock.advance = (ms: number) => {
    now += ms;
  };
  return clock;
}

export interface Harness {
  readonly relay: Relay;
  readonly url: string;
  readonly wsUrl: string;
  readonly dir: TempDir;
  readonly clock: TestClock;
  stop(): Promise<void>;
}

type Section = Exclude<keyof RelayConfigInput, 'dataDir'>;
export type ConfigOverrides = { [K in Section]?: RelayConfigInput[K] };

export interface StartOptions {
  readonly logger?: Logger;
  readonly clock?: TestClock;
  /** Storage to run on instead of a fresh SQLite file in the data folder (closed by stop()). */
  readonly storage?: (dataDir: string) => RelayOptions['storage'];
  readonly pushTest?: RelayOptions['pushTest'];
}

export async function startRelay(overrides: ConfigOverrides = {}, options: StartOptions = {}): Promise<Harness> {
  const dir = makeTempDir();
  const config = loadConfig({
    fileContents: {
      ...overrides,
      dataDir: dir.path,
      server: { host: '127.0.0.1', port: 0, ...overrides.server },
      log: { level: 'silent', ...overrides.log },
      // Tests register many accounts from one address; the per-address limits get their own tests.
      rateLimits: {
        registerPerAddress: { limit: 100_000, windowMs: 60_000 },
        authPerAddress: { limit: 100_000, windowMs: 60_000 },
        ...overrides.rateLimits,
      },
    },
  });
  const clock = options.clock ?? testClock();
  const relay = createRelay({
    config,
    clock,
    logger: options.logger ?? createLogger('silent'),
    housekeeping: false,
    ...(options.storage === undefined ? {} : { storage: options.storage(dir.path) }),
    ...(options.pushTest === undefined ? {} : { pushTest: options.pushTest }),
  });
  const url = await relay.listen();
  return {
    relay,
    url,
    wsUrl: url.replace(/^http/, 'ws') + '/v1/ws',
    dir,
    clock,
    async stop() {
      await relay.close();
      dir.remove();
    },
  };
}

/**
 * For a describe block whose tests each start their own relay: returns `start(overrides)` and
 * stops whichever relay the test started after each test.
 */
export function useRelayPerTest(): (overrides?: ConfigOverrides) => Promise<Harness> {
  let current: Harness | undefined;
  afterEach(async () => {
    await current?.stop();
    current = undefined;
  });
  return async (overrides: ConfigOverrides = {}) => {
    current = await startRelay(overrides);
    return current;
  };
}
