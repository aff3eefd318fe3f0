/**
 * `npm run bench:crypto`: prints PQXDH handshakes per second, Double Ratchet messages per second
 * (one chain and strict ping-pong) and the raw primitive costs, each protocol figure with its ratio
 * to the sum of the primitives it calls, then checks the goals of issue 2.
 *
 *   node test/dist/bench/crypto-bench.js [--smoke] [--backend auto|noble|libsodium] [--json]
 */
import type { BackendChoice } from '@sealpost/crypto';
import { CRYPTO_GOALS as GOALS } from './crypto-goals.js';
import { measureCrypto, type CryptoBenchResult } from './crypto-measure.js';

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

function number(value: number, digits = 0): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function print(result: CryptoBenchResult, smoke: boolean): void {
  console.log(`backend: ${result.backend}${smoke ? '  (smoke mode: figures are not meaningful)' : ''}\n`);
  console.log(`${pad('primitive', 44)}${pad('ops/s', 14)}µs/op`);
  for (const p of result.primitives) console.log(`${pad(p.name, 44)}${pad(number(p.opsPerSecond), 14)}${number(p.microsPerOp, 2)}`);
  console.log(`\n${pad('protocol', 68)}${pad('ops/s', 12)}${pad('µs/op', 12)}${pad('raw µs', 12)}ratio`);
  for (const p of result.protocol) {
    console.log(`${pad(p.name, 68)}${pad(number(p.opsPerSecond), 12)}${pad(number(p.microsPerOp, 1), 12)}${pad(number(p.rawMicros, 1), 12)}${number(p.ratio, 2)}`);
  }
  console.log('\nraw sums:');
  for (const p of result.protocol) console.log(`  ${p.name}: ${p.composition}`);

  const byName = (prefix: string) => result.protocol.find((p) => p.name.startsWith(prefix));
  const handshake = byName('PQXDH handshake');
  const initiator = byName('PQXDH initiator');
  const responder = byName('PQXDH responder');
  const chain = byName('ratchet message, same chain');
  const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
  console.log('\ngoals:');
  if (initiator !== undefined && responder !== undefined) {
    const slower = Math.min(initiator.opsPerSecond, responder.opsPerSecond);
    console.log(`  >= ${GOALS.handshakesPerSecond} handshakes/s on each side: initiator ${number(initiator.opsPerSecond)}, responder ${number(responder.opsPerSecond)} -> ${verdict(slower >= GOALS.handshakesPerSecond)}`);
  }
  if (handshake !== undefined) {
    const bound = 1e6 / handshake.rawMicros;
    console.log(`  >= ${GOALS.handshakesPerSecond} handshakes/s with both sides on one core: ${number(handshake.opsPerSecond)} (raw primitives alone allow ${number(bound)}) -> ${verdict(handshake.opsPerSecond >= GOALS.handshakesPerSecond)}`);
  }
  if (chain !== undefined) console.log(`  >= ${number(GOALS.sameChainMessagesPerSecond)} same-chain messages/s: ${number(chain.opsPerSecond)} -> ${verdict(chain.opsPerSecond >= GOALS.sameChainMessagesPerSecond)}`);
  const worst = Math.max(...result.protocol.map((p) => p.ratio));
  console.log(`  protocol overhead within ${GOALS.maxRatio}x of raw primitives: worst ratio ${number(worst, 2)} -> ${verdict(worst <= GOALS.maxRatio)}`);
}

async function main(): Promise<void> {
  const smoke = process.argv.includes('--smoke');
  const backend = (argument('--backend') ?? 'auto') as BackendChoice;
  const result = await measureCrypto({ smoke, backend });
  if (process.argv.includes('--json')) console.log(JSON.stringify(result, null, 2));
  else print(result, smoke);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
