/**
 * The orchestrator's handle on the load-generator child: forks it with an IPC channel, sends one
 * request at a time and awaits its answer, each with a deadline, so a stuck scenario fails the
 * run instead of hanging it. `close()` disconnects, which ends the child.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import type { GeneratorEnvelope, GeneratorOp, GeneratorReply, GeneratorRequest, GeneratorResults } from './generator-protocol.js';

export class GeneratorClient {
  private nextId = 1;
  private readonly waiting = new Map<number, (reply: GeneratorReply) => void>();
  private readonly exited: Promise<number | null>;
  private stderrTail = '';

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (reply: GeneratorReply) => this.waiting.get(reply.id)?.(reply));
    // The child's output goes to our stderr: stdout is reserved for the bench's --json result.
    const relay = (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-8_192);
      process.stderr.write(chunk);
    };
    child.stdout?.setEncoding('utf8').on('data', relay);
    child.stderr?.setEncoding('utf8').on('data', relay);
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    void this.exited.then((code) => {
      for (const [id, settle] of this.waiting) settle({ id, ok: false, error: `the load generator exited (${code}):\n${this.stderrTail}` });
    });
  }

  static start(script: string): GeneratorClient {
    return new GeneratorClient(fork(script, [], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] }));
  }

  get pid(): number {
    return this.child.pid as number;
  }

  request<Op extends GeneratorOp>(request: Extract<GeneratorRequest, { op: Op }>, timeoutMs: number): Promise<GeneratorResults[Op]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`load generator: ${request.op} did not finish within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(id, (reply) => {
        clearTimeout(timer);
        this.waiting.delete(id);
        if (reply.ok) resolve(reply.result as GeneratorResults[Op]);
        else reject(new Error(`load generator: ${request.op} failed: ${reply.error}`));
      });
      const envelope: GeneratorEnvelope = { id, request };
      this.child.send(envelope);
    });
  }

  async close(): Promise<void> {
    if (this.child.connected) this.child.disconnect();
    const killer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(killer);
  }
}
