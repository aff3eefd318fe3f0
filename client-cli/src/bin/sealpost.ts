#!/usr/bin/env node
/**
 * The `sealpost` executable. Kept tiny: everything lives in ../cli, and command modules load
 * lazily, so `sealpost --help` starts fast.
 */
import { runCli } from '../cli/main.js';

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  // A getter: touching process.stdin creates a stream on fd 0, which only some commands need.
  get stdin() {
    return process.stdin;
  },
  env: process.env,
  cwd: process.cwd(),
  stdoutBytes: process.stdout,
  interrupted: () =>
    new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    }),
});
// Exit explicitly, so an open stdin or a socket a command left behind cannot keep the process
// alive — after whatever is still buffered for stdout and stderr has been handed to the OS.
const drained = (stream: NodeJS.WriteStream): Promise<void> =>
  new Promise((resolve) => (stream.writableLength === 0 ? resolve() : stream.once('drain', () => resolve())));
await Promise.all([drained(process.stdout), drained(process.stderr)]);
process.exit(code);
