/**
 * `sealpost history <contact> [--limit N]`: the stored conversation, oldest first. Showing it
 * marks the contact's messages read; with read receipts on, the receipts go to the relay right
 * away when it is reachable, and on the next connection otherwise.
 */
import type { CommandContext } from '../cli/context.js';
import { isCliError } from '../errors.js';
import { displayName, requireContact } from '../session/contacts.js';
import { conversationHistory, markConversationRead } from '../session/messages.js';
import { withProfile } from '../session/profile.js';
import { readSettings } from '../session/settings.js';
import { contactJson, messageJson, messageLine } from './views.js';

export async function historyCommand(ctx: CommandContext, args: { contact: string; limit: number }): Promise<void> {
  await withProfile(ctx, async (profile) => {
    const contact = requireContact(profile, args.contact);
    const messages = conversationHistory(profile, contact.accountId, args.limit);
    ctx.output.result('history', { contact: contactJson(contact), messages: messages.map(messageJson) }, (c) =>
      messages.length === 0 ? c.dim('No messages yet.') : messages.map((m) => messageLine(m, displayName(contact), c)).join('\n'),
    );
    const read = markConversationRead(profile, contact.accountId, ctx.now());
    // Only messages the relay knows by id can be acknowledged as read.
    if (!read.some((m) => m.relayId !== null) || !readSettings(profile).readReceipts) return;
    try {
      // Loaded only here: most runs have no receipt to send and need no relay code at all.
      const { openConnection } = await import('../session/connection.js');
      const connection = await openConnection(profile, { maxReconnects: 0, maintainPrekeys: false, now: ctx.now });
      try {
        await connection.flushReadReceipts();
      } finally {
        await connection.close();
      }
    } catch (error) {
      if (!isCliError(error) || error.code !== 'CLI_ERR_RELAY_UNREACHABLE') throw error;
      ctx.output.warn('the relay is unreachable; read receipts will be sent on the next connection');
    }
  });
}
