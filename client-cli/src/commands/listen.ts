/**
 * `sealpost listen`: stay connected (reconnecting with backoff) and print every event — one JSON
 * object a line with --json (docs/cli.md "Events") — until SIGINT or SIGTERM, then exit 0.
 * If another process of the profile holds the relay connection, listen follows its events and
 * takes the connection over when that process exits.
 */
import type { CommandContext } from '../cli/context.js';
import { CliError } from '../errors.js';
import { openConnection } from '../session/connection.js';
import { withProfile } from '../session/profile.js';
import type { SessionEvent } from '../session/index.js';
import { eventFields, eventLine } from './event-views.js';

export async function listenCommand(ctx: CommandContext): Promise<void> {
  await withProfile(ctx, async (profile) => {
    const print = (event: SessionEvent): void => ctx.output.event(event.type, eventFields(event), (c) => eventLine(event, c));
    const interrupted = ctx.io.interrupted().then(() => 'interrupted' as const);
    for (;;) {
      const connection = await openConnection(profile, { maxReconnects: Number.POSITIVE_INFINITY, maintainPrekeys: true, periodicMaintenance: true, now: ctx.now, listener: print });
      if (connection.role === 'client') ctx.output.progress('Another sealpost process of this profile holds the relay connection; following its events.');
      let outcome: 'interrupted' | 'ended';
      try {
        outcome = await Promise.race([
          interrupted,
          connection.ended().then(
            () => 'ended' as const,
            (error: unknown) => {
              // A client whose owner exited takes the connection over; an owner's fatal error ends listen.
              if (connection.role === 'client' && error instanceof CliError && error.code === 'CLI_ERR_INTERRUPTED') return 'ended' as const;
              throw error;
            },
          ),
        ]);
      } finally {
        await connection.close();
      }
      if (outcome === 'interrupted' || connection.role === 'owner') return;
    }
  });
}
