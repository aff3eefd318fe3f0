/**
 * `sealpost receive`: connect, take the backlog (decrypt, store, acknowledge), print what came,
 * refill prekeys, exit. Ends at the relay's `drained` signal.
 */
import type { CommandContext } from '../cli/context.js';
import { openConnection } from '../session/connection.js';
import { withProfile } from '../session/profile.js';
import { beforeDeadline } from '../session/waiting.js';
import type { SessionEvent } from '../session/index.js';
import { eventJson, eventLine } from './event-views.js';

export async function receiveCommand(ctx: CommandContext, args: { timeoutSeconds: number | undefined }): Promise<void> {
  const deadline = Date.now() + (args.timeoutSeconds ?? 60) * 1000;
  await withProfile(ctx, async (profile) => {
    const events: SessionEvent[] = [];
    let drained!: () => void;
    const whenDrained = new Promise<void>((resolve) => (drained = resolve));
    const listener = (event: SessionEvent): void => {
      if (event.type === 'drained') drained();
      else if (event.type !== 'connection') events.push(event);
    };
    const connection = await beforeDeadline(openConnection(profile, { maxReconnects: 3, maintainPrekeys: true, now: ctx.now, listener }), deadline, 'connecting to the relay');
    try {
      if (connection.role === 'client') {
        // Another process of this profile (e.g. `listen`) is connected: it receives and stores
        // everything as it arrives, so there is no backlog to fetch here.
        ctx.output.note('Another sealpost process of this profile is connected and receives the messages (see `history`, `unread`).');
      } else {
        await beforeDeadline(Promise.race([whenDrained, connection.ended()]), deadline, 'waiting for the backlog');
      }
    } finally {
      await connection.close();
    }
    const shown = events.filter((e) => e.type !== 'sent');
    if (ctx.output.json) {
      ctx.output.result('receive', { events: shown.map(eventJson), count: shown.filter((e) => e.type === 'message').length }, () => '');
    } else if (shown.length === 0) {
      ctx.output.note('No new messages.');
    } else {
      for (const event of shown) ctx.output.writeText(eventLine(event, ctx.output.colors));
    }
  });
}
