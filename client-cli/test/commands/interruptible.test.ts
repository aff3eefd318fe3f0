// Ctrl-C during a transfer: the work is aborted, may clean up, and the command ends with
// CLI_ERR_INTERRUPTED; without Ctrl-C the work's own result or error comes through unchanged.
import { describe, expect, it } from 'vitest';
import { createCommandContext } from '../../src/cli/context.js';
import { interruptible } from '../../src/commands/interruptible.js';
import { CliError } from '../../src/errors.js';
import { Output } from '../../src/output/output.js';
import { testIo } from '../support/io.js';

function context(interrupted: Promise<void>) {
  const io = { ...testIo(), interrupted: () => interrupted };
  return createCommandContext(io, new Output({ json: false, stdout: io.stdout, stderr: io.stderr, env: {} }), {});
}

describe('interruptible', () => {
  it('passes results and errors through', async () => {
    const never = new Promise<void>(() => undefined);
    await expect(interruptible(context(never), async () => 42)).resolves.toBe(42);
    await expect(interruptible(context(never), async () => Promise.reject(new CliError('CLI_ERR_MEDIA_TRUNCATED')))).rejects.toMatchObject({ code: 'CLI_ERR_MEDIA_TRUNCATED' });
  });

  it('aborts the work on Ctrl-C, lets it clean up, and reports an interruption', async () => {
    let interrupt!: () => void;
    const interrupted = new Promise<void>((resolve) => (interrupt = resolve));
    let cleanedUp = false;
    const run = interruptible(context(interrupted), (signal) =>
      new Promise<never>((_resolve, reject) => {
        signal.addEventListener('abort', () => {
          cleanedUp = true;
          reject(new Error('aborted'));
        });
      }),
    );
    interrupt();
    await expect(run).rejects.toMatchObject({ code: 'CLI_ERR_INTERRUPTED', exitCode: 130 });
    expect(cleanedUp).toBe(true);
  });
});
