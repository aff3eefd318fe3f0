/** `sealpost unread`: unread incoming messages per conversation. */
import type { CommandContext } from '../cli/context.js';
import { displayName, findContact } from '../session/contacts.js';
import { unreadCounts } from '../session/messages.js';
import { withProfile } from '../session/profile.js';

export async function unreadCommand(ctx: CommandContext): Promise<void> {
  await withProfile(ctx, (profile) => {
    const counts = unreadCounts(profile).map((u) => {
      const contact = findContact(profile, u.peer);
      return { peer: u.peer, name: contact === undefined ? u.peer : displayName(contact), count: u.count };
    });
    const total = counts.reduce((n, u) => n + u.count, 0);
    ctx.output.result('unread', { total, conversations: counts }, (c) =>
      counts.length === 0 ? c.dim('No unread messages.') : counts.map((u) => `${String(u.count).padStart(4)}  ${c.bold(u.name)}`).join('\n'),
    );
  });
}
