/**
 * Summarizes a V8 CPU profile (`node --cpu-prof`, e.g. from `bench:relay --profile DIR`): the
 * functions with the most self time, and the most inclusive time among the relay's own
 * functions, so a hot spot can be named by file, function and line.
 *
 *   node test/dist/bench/relay/cpu-profile-summary.js FILE.cpuprofile [--top N] [--match TEXT]
 *
 * --match keeps only frames whose URL contains TEXT in the inclusive list (default "relay/dist").
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

function label(frame: CallFrame): string {
  const file = frame.url.replace(/^file:\/\//, '').replace(/^.*\/(relay|test|crypto|node_modules)\//, '$1/');
  return `${frame.functionName || '(anonymous)'} ${file === '' ? '' : `${file}:${frame.lineNumber + 1}`}`.trim();
}

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

function main(): void {
  const file = process.argv[2];
  if (file === undefined || file.startsWith('--')) throw new Error('usage: cpu-profile-summary FILE.cpuprofile [--top N] [--match TEXT]');
  const top = Number(argument('--top') ?? 30);
  const match = argument('--match') ?? 'relay/dist';
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;

  // Self time per node from the sample stream (timeDeltas[i] is the gap before sample i).
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0);

  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (node === undefined) continue;
    const key = label(node.callFrame);
    self.set(key, (self.get(key) ?? 0) + us);
    // Charge every distinct function on the stack once (recursion must not double-count).
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)?.callFrame;
      if (frame === undefined || !frame.url.includes(match)) continue;
      const name = label(frame);
      if (seen.has(name)) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + us);
    }
  }
  const print = (title: string, table: Map<string, number>) => {
    console.log(`\n${title}`);
    for (const [name, us] of [...table].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      console.log(`${((100 * us) / totalUs).toFixed(1).padStart(6)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${name}`);
    }
  };
  console.log(`profile: ${(totalUs / 1e6).toFixed(1)} s sampled`);
  print('self time', self);
  print(`inclusive time, frames matching "${match}"`, inclusive);
}

main();
