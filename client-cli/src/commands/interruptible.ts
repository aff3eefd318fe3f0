/**
 * Ctrl-C during a transfer: the work gets an AbortSignal, so its requests and file streams stop
 * and its own clean-up (temporary files, a half-written download) runs before the command ends
 * with CLI_ERR_INTERRUPTED (exit 130). Work that does not settle soon after (e.g. waiting on an
 * idle stdin) is left behind: the process exits anyway.
 */
import type { CommandContext } from '../cli/context.js';
import { CliError } from '../errors.js';

/** How long aborted work may take to clean up before the command gives up on it. */
const CLEANUP_GRACE_MS = 3_000;

export async function interruptible<T>(ctx: CommandContext, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const abort = new AbortController();
  const running = work(abort.signal);
  const outcome = running.then(
    (value) => ({ done: true as const, value }),
    (error: unknown) => ({ done: false as const, error }),
  );
  const first = await Promise.race([outcome, ctx.io.interrupted().then(() => 'interrupted' as const)]);
  if (first !== 'interrupted') {
    if (first.done) return first.value;
    throw first.error;
  }
  abort.abort();
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([outcome, new Promise<void>((resolve) => (timer = setTimeout(resolve, CLEANUP_GRACE_MS)))]);
  clearTimeout(timer);
  throw new CliError('CLI_ERR_INTERRUPTED');
}
