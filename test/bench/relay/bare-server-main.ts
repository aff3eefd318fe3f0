/**
 * Entry of the baseline server process: node:http on 127.0.0.1 (ephemeral port) with the bare
 * bundle route (bare-http.ts) and the bare WebSocket forwarder on /v1/ws (bare-forwarder.ts).
 * Prints one JSON line `{"event":"bare.listening","port":N}` when ready; exits on SIGTERM/SIGINT.
 *
 *   node test/dist/bench/relay/bare-server-main.js [--body-file FILE]
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { attachBareForwarder } from './bare-forwarder.js';
import { bareHttpHandler } from './bare-http.js';

const bodyIndex = process.argv.indexOf('--body-file');
const bodyFile = bodyIndex >= 0 ? process.argv[bodyIndex + 1] : undefined;
const body = bodyFile === undefined ? Buffer.from('{}') : readFileSync(bodyFile);

const server = createServer(bareHttpHandler(body));
const wss = attachBareForwarder(server, '/v1/ws');
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ event: 'bare.listening', port })}\n`);
});

const stop = () => {
  for (const client of wss.clients) client.terminate();
  wss.close();
  server.close(() => process.exit(0));
  server.closeAllConnections();
  // Bounded: whatever still holds the loop open is cut after a second.
  setTimeout(() => process.exit(0), 1_000).unref();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
