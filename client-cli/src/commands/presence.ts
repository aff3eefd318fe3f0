/** `sealpost presence <contact> | presence allow|deny <contact>`. */
import type { CommandContext } from '../cli/context.js';
import { displayName, requireContact } from '../session/contacts.js';
import { fetchPresence, setPresenceAllowed } from '../session/presence.js';
import { withProfile } from '../session/profile.js';
import { signedInHttp } from '../session/signed-http.js';
import { formatTime } from './views.js';

export async function presenceShowCommand(ctx: CommandContext, args: { contact: string }): Promise<void> {
  await withProfile(ctx, async (profile) => {
    const contact = requireContact(profile, args.contact);
    const presence = await fetchPresence(await signedInHttp(profile), contact);
    ctx.output.result('presence', { accountId: contact.accountId, online: presence.online, lastSeenAt: presence.lastSeenAt }, (c) =>
      presence.online
        ? `${c.bold(displayName(contact))} is ${c.green('online')}`
        : `${c.bold(displayName(contact))} is offline${presence.lastSeenAt === null ? '' : `, last seen ${formatTime(presence.lastSeenAt)}`}`,
    );
  });
}

export async function presenceSetCommand(ctx: CommandContext, args: { contact: string; allow: boolean }): Promise<void> {
  await withProfile(ctx, async (profile) => {
    const contact = requireContact(profile, args.contact);
    const updated = await setPresenceAllowed(profile, await signedInHttp(profile), contact, args.allow);
    ctx.output.result('presence-allowance', { accountId: updated.accountId, presence: updated.presence }, () =>
      args.allow ? `${displayName(updated)} can now see when you are online.` : `${displayName(updated)} can no longer see when you are online.`,
    );
  });
}
