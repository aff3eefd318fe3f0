/**
 * The servers under test for one relay-bench run: the real relay and the bare baseline, each
 * restarted fresh before every phase so one phase's heap, caches and garbage never colour the
 * next (the idle-connection memory figure depends on it). The relay keeps its data folder and a
 * fixed session key (auth.sessionKeyFile, as operators set it behind a load balancer), so the
 * sessions made at setup stay valid across restarts. With --profile, each relay process writes
 * its own CPU profile, filed under the phase it served.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startServerChild } from './server-child.js';
import type { ServerChild } from './server-child.js';

export interface BenchServerOptions {
  readonly relayBin: string;
  readonly bareScript: string;
  readonly configFile: string;
  readonly dataDir: string;
  readonly profileDir?: string;
}

export class BenchServers {
  private relayChild: ServerChild | undefined;
  private relayLabel = '';
  private bareChild: ServerChild | undefined;
  private readonly seenProfiles = new Set<string>();
  /** CPU profile files by the phase their relay process served. */
  readonly profiles: Record<string, string[]> = {};

  constructor(private readonly options: BenchServerOptions) {}

  /** Stops the current relay (if any) and starts a fresh one that serves `label`. */
  async restartRelay(label: string): Promise<ServerChild> {
    await this.stopRelay();
    const { profileDir } = this.options;
    const nodeArgs = profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`];
    this.relayChild = await startServerChild({ script: this.options.relayBin, args: ['start', '--config', this.options.configFile, '--port', '0', '--data-dir', this.options.dataDir], nodeArgs });
    this.relayLabel = label;
    return this.relayChild;
  }

  /** Stops the current baseline server (if any) and starts a fresh one serving `bodyFile`. */
  async restartBare(bodyFile: string): Promise<ServerChild> {
    await this.bareChild?.stop();
    this.bareChild = await startServerChild({ script: this.options.bareScript, args: ['--body-file', bodyFile] });
    return this.bareChild;
  }

  /** Stops the relay; resolves to its exit code (undefined when none was running). */
  async stopRelay(): Promise<number | null | undefined> {
    const child = this.relayChild;
    if (child === undefined) return undefined;
    this.relayChild = undefined;
    const code = await child.stop();
    this.collectProfiles(this.relayLabel);
    return code;
  }

  async stopAll(): Promise<void> {
    await Promise.allSettled([this.stopRelay(), this.bareChild?.stop()]);
    this.bareChild = undefined;
  }

  private collectProfiles(label: string): void {
    const dir = this.options.profileDir;
    if (dir === undefined) return;
    for (const name of readdirSync(dir)) {
      if (!name.endsWith('.cpuprofile') || this.seenProfiles.has(name)) continue;
      this.seenProfiles.add(name);
      // Node names them CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile; thread 0 is the main
      // thread, others are the relay's worker threads (the WAL checkpointer).
      const thread = name.split('.')[4];
      (this.profiles[thread === '0' ? label : `${label}, worker thread ${thread}`] ??= []).push(join(dir, name));
    }
  }
}
