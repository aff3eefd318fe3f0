/**
 * The notifier trusts a private push service the standard Node way: NODE_EXTRA_CA_CERTS, read
 * by Node at start-up (so this runs a child process — the same way the end-to-end test starts
 * the relay). With the variable the push arrives and decrypts; without it the TLS handshake
 * fails and no request reaches the service, which shows the trust came from the variable.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalPushService } from './support/local-push-service.js';
import { PushReceiver } from './support/push-receiver.js';
import { makeTestCa } from './support/test-ca.js';
import { makeTempDir } from '../support/temp-dir.js';
import type { TempDir } from '../support/temp-dir.js';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
// vite-node (vitest's own TypeScript runner) runs the child straight from the sources.
const viteNode = join(dirname(require.resolve('vite-node/package.json')), 'vite-node.mjs');
const child = join(here, 'support', 'extra-ca-child.ts');

let service: LocalPushService;
let dir: TempDir;
let caFile: string;

beforeAll(async () => {
  const ca = await makeTestCa();
  service = await LocalPushService.start(ca);
  dir = makeTempDir('sealpost-push-ca-');
  caFile = join(dir.path, 'test-ca.pem');
  writeFileSync(caFile, ca.caCert);
});
afterAll(async () => {
  await service.close();
  dir.remove();
});

interface ChildOutcome {
  sent: number;
  failed: Record<string, number>;
  extraCa: boolean;
}

function runChild(path: string, receiver: PushReceiver, extraCa: boolean): Promise<ChildOutcome> {
  const env = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  if (extraCa) env.NODE_EXTRA_CA_CERTS = caFile;
  const arg = JSON.stringify({ ...receiver.subscription(service.endpoint(path)), dataDir: dir.path });
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [viteNode, child, arg], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    proc.on('error', reject);
    proc.on('close', (code) => {
      const line = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0 || !line.startsWith('{')) reject(new Error(`child exited ${code}: ${stderr}${stdout}`));
      else resolve(JSON.parse(line) as ChildOutcome);
    });
  });
}

describe('NODE_EXTRA_CA_CERTS', () => {
  it('is all a relay process needs to trust a private push service', async () => {
    const receiver = new PushReceiver();
    const outcome = await runChild('/ca/trusted', receiver, true);
    expect(outcome).toEqual({ sent: 1, failed: {}, extraCa: true });
    const [request] = service.receivedAt('/ca/trusted');
    expect(JSON.parse(receiver.decrypt(request?.body ?? Buffer.alloc(0)).toString('utf8'))).toEqual({ v: 1, kind: 'message', pending: 1 });
  });

  it('without it the certificate is not trusted and nothing reaches the service', async () => {
    const outcome = await runChild('/ca/untrusted', new PushReceiver(), false);
    expect(outcome).toEqual({ sent: 0, failed: { network: 1 }, extraCa: false });
    expect(service.receivedAt('/ca/untrusted')).toHaveLength(0);
  });
});
