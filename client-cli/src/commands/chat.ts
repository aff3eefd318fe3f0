/**
 * `sealpost chat <contact>`: an interactive conversation. Shows recent history, then live
 * messages, typing, and marks for our messages (✓ sent, ✓✓ delivered, read); every line typed is
 * sent. Shown messages count as read (receipts go out when the setting is on). Commands:
 * /help, /history [N], /quit. Ends at /quit, end of input (Ctrl-D) or Ctrl-C.
 * With --json, events are JSON lines as in `listen`, and input lines are still messages.
 */
import { createInterface, emitKeypressEvents } from 'node:readline';
import type { CommandContext } from '../cli/context.js';
import { isCliError } from '../errors.js';
import { openConnection } from '../session/connection.js';
import { contactOrAdd } from '../session/contact-directory.js';
import { displayName } from '../session/contacts.js';
import { conversationHistory, markConversationRead } from '../session/messages.js';
import { withProfile } from '../session/profile.js';
import type { Connection, ContactRecord, SessionEvent } from '../session/index.js';
import { eventFields, eventLine } from './event-views.js';
import { messageLine, stateMark } from './views.js';

const HISTORY_LINES = 20;
const TYPING_REPEAT_MS = 5_000;
const HELP = '/history [N]  show the last N messages\n/quit         leave (also Ctrl-D)\n/help         this help';

export async function chatCommand(ctx: CommandContext, args: { contact: string }): Promise<void> {
  const { output } = ctx;
  const terminal = ctx.io.stdin.isTTY === true && ctx.io.stdout.isTTY === true && !output.json;
  await withProfile(ctx, async (profile) => {
    let contact: ContactRecord | undefined;
    let rl: ReturnType<typeof createInterface> | undefined;
    const show = (line: string): void => {
      if (rl !== undefined && terminal) {
        ctx.io.stdout.write(`\r\u001b[K${line}\n`);
        rl.prompt(true);
      } else {
        output.writeText(line);
      }
    };
    const mine = new Set<string>();
    const onEvent = (event: SessionEvent): void => {
      if (contact === undefined) return;
      const about = 'peer' in event ? event.peer === contact.accountId : event.type === 'connection';
      if (!about) return;
      if (event.type === 'receipt' && !mine.has(event.messageId) && !terminal && !output.json) return;
      if (output.json) output.event(event.type, eventFields(event), () => '');
      else if (event.type === 'receipt') show(`  ${output.colors.dim(event.messageId.slice(0, 8))} ${stateMark(event.overall, output.colors)}`);
      else if (event.type !== 'sent') show(eventLine(event, output.colors));
      if (event.type === 'message' && event.direction === 'in') void markRead();
    };
    const connection: Connection = await openConnection(profile, { maxReconnects: Number.POSITIVE_INFINITY, maintainPrekeys: true, periodicMaintenance: true, now: ctx.now, listener: onEvent });
    const markRead = async (): Promise<void> => {
      if (contact === undefined) return;
      if (markConversationRead(profile, contact.accountId, ctx.now()).length > 0) await connection.flushReadReceipts().catch(() => 0);
    };
    try {
      contact = (await contactOrAdd(profile, await connection.http(), args.contact, ctx.now())).contact;
      const peer = contact;
      if (!output.json) {
        output.note(output.errColors.dim(`Chat with ${displayName(peer)}. /help for commands, Ctrl-D to leave.`));
        for (const m of conversationHistory(profile, peer.accountId, HISTORY_LINES)) output.writeText(messageLine(m, displayName(peer), output.colors));
      }
      await markRead();

      rl = createInterface({ input: ctx.io.stdin as unknown as NodeJS.ReadableStream, ...(terminal ? { output: ctx.io.stdout as unknown as NodeJS.WritableStream, prompt: '> ' } : {}), terminal });
      const lines = rl;
      let lastTyping = 0;
      if (terminal) {
        emitKeypressEvents(ctx.io.stdin as unknown as NodeJS.ReadableStream, lines);
        (ctx.io.stdin as unknown as NodeJS.ReadableStream).on('keypress', () => {
          if (Date.now() - lastTyping < TYPING_REPEAT_MS) return;
          lastTyping = Date.now();
          connection.sendTyping(peer, 'started').catch(() => undefined);
        });
        lines.prompt();
      }
      const inFlight = new Set<Promise<void>>();
      const done = new Promise<void>((resolve) => lines.once('close', () => resolve()));
      lines.on('line', (raw: string) => {
        const text = raw.trimEnd();
        if (text === '') return terminal ? lines.prompt() : undefined;
        if (text === '/quit' || text === '/exit') return lines.close();
        if (text === '/help') return show(HELP);
        const history = /^\/history(?:\s+(\d+))?$/.exec(text);
        if (history !== null) {
          for (const m of conversationHistory(profile, peer.accountId, Number(history[1] ?? HISTORY_LINES))) show(messageLine(m, displayName(peer), output.colors));
          return;
        }
        if (text.startsWith('/')) return show(output.colors.red(`unknown command ${text.split(/\s/)[0] ?? ''}; /help lists them`));
        lastTyping = 0;
        const sending = connection
          .sendText(peer, text)
          .then((message) => {
            mine.add(message.id);
            if (output.json) output.event('sent', { messageId: message.id, peer: message.peer, sentAt: message.sentAt, body: message.body }, () => '');
            else show(`${messageLine(message, displayName(peer), output.colors)} ${output.colors.dim(message.id.slice(0, 8))}`);
          })
          .catch((error: unknown) => {
            const reason = isCliError(error) ? error.message : String(error);
            if (output.json) output.event('send-error', { body: text, code: isCliError(error) ? error.code : 'CLI_ERR_INTERNAL', message: reason }, () => '');
            else show(output.colors.red(`not sent: ${reason}`));
          });
        inFlight.add(sending);
        void sending.finally(() => inFlight.delete(sending));
      });
      await Promise.race([done, ctx.io.interrupted(), connection.ended()]);
      lines.close();
      await Promise.allSettled([...inFlight]);
    } finally {
      rl?.close();
      await connection.close();
    }
  });
}
