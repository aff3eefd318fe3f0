/**
 * The relay benchmark's load generator: a child process (forked with IPC by the orchestrator) so
 * its CPU is never the server's. It registers the relay's accounts once (setup), then runs one
 * scenario per request against whichever endpoint the request names — the real relay or a bare
 * baseline — with identical client code. It exits when the orchestrator disconnects.
 */
import { registerAccounts, fillPrekeyPools, peerSpecs, sampleBundleBody } from './bench-accounts.js';
import type { Endpoint, PeerSpec } from './bench-peer.js';
import { runBundleFetches } from './bundle-fetches.js';
import { runClosedLoop } from './closed-loop-throughput.js';
import type { GeneratorEnvelope, GeneratorReply, GeneratorRequest, SetupRequest, SetupResult } from './generator-protocol.js';
import { HeldConnections } from './held-connections.js';
import { runOfflineDrain } from './offline-drain.js';
import { runOpenLoop } from './open-loop-latency.js';

type Pairs = (readonly [PeerSpec, PeerSpec])[];

interface RelayIdentities {
  readonly pairs: Pairs;
  readonly connections: PeerSpec[];
  readonly drainSenders: PeerSpec[];
  readonly drainRecipient: PeerSpec;
  readonly bundleTargets: string[];
  readonly bundleTokens: string[];
}

let relay: RelayIdentities | undefined;
/** Stamped into every message, so frames left over from an earlier scenario are told apart. */
let run = 0;
const held = new HeldConnections();

function identities(): RelayIdentities {
  if (relay === undefined) throw new Error('setup has not run');
  return relay;
}

/** Bare-forwarder names need no registration; unique per run so old sockets never collide. */
function bareSpecs(prefix: string, count: number): PeerSpec[] {
  return Array.from({ length: count }, (_, i) => ({ address: `${prefix}${run}-${i}`, deviceId: 1 }));
}

function pairsFor(endpoint: Endpoint, count: number): Pairs {
  if (endpoint.kind === 'bare') {
    const senders = bareSpecs('s', count);
    const recipients = bareSpecs('r', count);
    return senders.map((sender, i) => [sender, recipients[i] as PeerSpec] as const);
  }
  const pairs = identities().pairs;
  if (count > pairs.length) throw new Error(`asked for ${count} pairs, setup made ${pairs.length}`);
  return pairs.slice(0, count);
}

async function setup(request: SetupRequest): Promise<SetupResult> {
  const start = performance.now();
  const url = request.relay.httpUrl;
  const pairAccounts = await registerAccounts(url, request.pairs * 2, 1, request.concurrency);
  const pairSpecs = peerSpecs(pairAccounts.accounts);
  const pairs: Pairs = [];
  for (let i = 0; i + 1 < pairSpecs.length; i += 2) pairs.push([pairSpecs[i] as PeerSpec, pairSpecs[i + 1] as PeerSpec]);

  const drain = peerSpecs((await registerAccounts(url, request.drainSenders + 1, 1, request.concurrency)).accounts);
  const targets = (await registerAccounts(url, request.bundleTargets, 1, request.concurrency)).accounts;
  await Promise.all(targets.map((target) => fillPrekeyPools(url, target, request.bundleKeys, request.prekeysPerUpload)));

  const accountCount = Math.ceil(request.connections / request.devicesPerAccount);
  const connectionAccounts = await registerAccounts(url, accountCount, request.devicesPerAccount, request.concurrency);
  const bundleTokens = pairs.map(([sender]) => sender.token as string);
  const firstTarget = targets[0];
  if (firstTarget === undefined || bundleTokens[0] === undefined) throw new Error('setup needs at least one pair and one bundle target');
  relay = {
    pairs,
    connections: peerSpecs(connectionAccounts.accounts).slice(0, request.connections),
    drainSenders: drain.slice(1),
    drainRecipient: drain[0] as PeerSpec,
    bundleTargets: targets.map((t) => t.accountId),
    bundleTokens,
  };
  const bundleBody = await sampleBundleBody(url, bundleTokens[0], firstTarget.accountId);
  return { logins: connectionAccounts.logins, loginMs: connectionAccounts.loginMs, setupMs: performance.now() - start, bundleBody };
}

async function handle(request: GeneratorRequest): Promise<unknown> {
  run++;
  switch (request.op) {
    case 'setup':
      return setup(request);
    case 'throughput':
      return runClosedLoop(request.endpoint, pairsFor(request.endpoint, request.pairs), { run, ...request });
    case 'open-loop':
      return runOpenLoop(request.endpoint, pairsFor(request.endpoint, request.pairs), { run, ...request });
    case 'offline-drain': {
      if (request.endpoint.kind !== 'relay') throw new Error('the offline drain needs the relay: the bare forwarder stores nothing');
      const { drainSenders, drainRecipient } = identities();
      return runOfflineDrain(request.endpoint, drainSenders, drainRecipient, { run, ...request });
    }
    case 'hold': {
      const specs = request.endpoint.kind === 'relay' ? identities().connections.slice(0, request.count) : bareSpecs('c', request.count);
      return held.hold(request.endpoint, specs, request.concurrency);
    }
    case 'release':
      return { released: await held.release() };
    case 'bundles': {
      const plan = request.endpoint.kind === 'relay' ? identities() : { bundleTokens: ['bare-token'], bundleTargets: identities().bundleTargets };
      return runBundleFetches({ baseUrl: request.endpoint.httpUrl, tokens: plan.bundleTokens, targets: plan.bundleTargets }, request);
    }
  }
}

process.on('message', (message: GeneratorEnvelope) => {
  const reply = (body: GeneratorReply) => process.send?.(body);
  handle(message.request).then(
    (result) => reply({ id: message.id, ok: true, result }),
    (error: unknown) => reply({ id: message.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});
// The orchestrator went away (finished or crashed): nothing left to do.
process.on('disconnect', () => process.exit(0));
