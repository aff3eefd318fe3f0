/**
 * `sealpost` profiles for the benches that run the real CLI against a real relay (bench:media,
 * bench:cli): a TestRelay child process (relay/dist, 127.0.0.1, generous rate limits) and
 * profiles in --data-dir folders under one temporary root, each with the production Argon2id
 * default — the store key costs what it costs a user, unlike the e2e tests' tiny test KDF.
 * The passphrase comes from SEALPOST_PASSPHRASE (test/support/cli-process.ts cliEnv).
 */
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { jsonLines, runSealpost } from '../support/cli-process.js';
import type { RunOptions, RunResult } from '../support/cli-process.js';
import { TestRelay } from '../support/cli-relay.js';

/** Unsets the e2e tests' SEALPOST_KDF=interactive-test: new stores get the production default. */
export const PRODUCTION_KDF_ENV: Readonly<Record<string, string | undefined>> = { SEALPOST_KDF: undefined };

export interface BenchProfile {
  /** The profile directory (`--data-dir`). */
  readonly dir: string;
  /** Its username on the relay. */
  readonly username: string;
}

/** Runs `sealpost --data-dir DIR args…` with the production KDF; throws unless it exits 0. */
export async function sealpostAs(profile: BenchProfile, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const result = await runSealpost(['--data-dir', profile.dir, ...args], { ...options, env: { ...PRODUCTION_KDF_ENV, ...options.env } });
  if (result.code !== 0) throw new Error(`sealpost (${profile.username}) ${args.join(' ')} exited with ${result.code}: ${result.stderr.slice(0, 2_000)}`);
  return result;
}

/** Starts a relay with its data in a new folder under `root`. */
export function startBenchRelay(root: string, config: Record<string, unknown> = {}): Promise<TestRelay> {
  return TestRelay.start(mkdtempSync(join(root, 'relay-')), config);
}

/** Creates and registers one profile per username (`sealpost init`), each in `root/<username>` (created by init). */
export async function initProfiles(root: string, relay: TestRelay, usernames: readonly string[]): Promise<BenchProfile[]> {
  const profiles: BenchProfile[] = [];
  for (const username of usernames) {
    const profile = { dir: join(root, username), username };
    await sealpostAs(profile, ['init', '--relay', relay.origin, '--username', username]);
    profiles.push(profile);
  }
  return profiles;
}

/**
 * Makes two profiles talk as people who already do: each adds and verifies the other
 * (`contact add`, `verify --confirm`), and one message goes each way and is received, so both
 * hold an established session (past the PQXDH first message) and an empty queue.
 */
export async function establishConversation(a: BenchProfile, b: BenchProfile): Promise<void> {
  for (const [self, other] of [[a, b], [b, a]] as const) {
    await sealpostAs(self, ['contact', 'add', other.username]);
    await sealpostAs(self, ['verify', other.username, '--confirm']);
  }
  for (const [from, to] of [[a, b], [b, a]] as const) {
    await sealpostAs(from, ['send', to.username, `hello from ${from.username}`]);
    const received = jsonLines((await sealpostAs(to, ['--json', 'receive'])).stdout).at(-1);
    if (received?.count !== 1) throw new Error(`${to.username} did not receive the first message: ${JSON.stringify(received)}`);
  }
}
