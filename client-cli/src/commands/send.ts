/**
 * `sealpost send <contact> [TEXT] [--wait sent|delivered|read] [--timeout SECONDS]`.
 *
 * Never drops silently (NOTES.md): it returns only after the relay's durable `sent` ack, printing
 * the message id, or fails with an exit code. With --wait it then waits for the receipts.
 */
import type { CommandContext } from '../cli/context.js';
import type { WaitState } from '../cli/program.js';
import { CliError } from '../errors.js';
import { openConnection } from '../session/connection.js';
import { contactOrAdd } from '../session/contact-directory.js';
import { messageState } from '../session/messages.js';
import { withProfile } from '../session/profile.js';
import { beforeDeadline, waitForState } from '../session/waiting.js';
import { readAllStdin } from './input.js';
import { stateMark } from './views.js';

export interface SendArgs {
  readonly contact: string;
  readonly text: string | undefined;
  readonly wait: WaitState | undefined;
  readonly timeoutSeconds: number | undefined;
}

export async function sendCommand(ctx: CommandContext, args: SendArgs): Promise<void> {
  let text = args.text;
  if (text === undefined) {
    if (ctx.io.stdin.isTTY === true) ctx.output.note('Type the message, then Ctrl-D:');
    text = await readAllStdin(ctx.io);
  }
  if (text.trim() === '') throw new CliError('CLI_ERR_MESSAGE_EMPTY');
  const body = text;
  const deadline = args.timeoutSeconds === undefined ? undefined : Date.now() + args.timeoutSeconds * 1000;
  await withProfile(ctx, async (profile) => {
    const connection = await beforeDeadline(openConnection(profile, { maxReconnects: 3, maintainPrekeys: false, now: ctx.now }), deadline, 'connecting to the relay');
    try {
      const { contact, added } = await contactOrAdd(profile, await connection.http(), args.contact, ctx.now());
      if (added) ctx.output.note(`Added ${contact.username ?? contact.accountId} as a contact (identity key pinned).`);
      let message = await beforeDeadline(connection.sendText(contact, body), deadline, 'waiting for the relay to store the message');
      if (!ctx.output.json) ctx.output.writeText(message.id);
      if (args.wait !== undefined && args.wait !== 'sent') {
        message = await waitForState(connection, message, args.wait, deadline);
        if (!ctx.output.json) ctx.output.note(`${args.wait} ${stateMark(messageState(message), ctx.output.errColors)}`);
      }
      if (ctx.output.json) {
        ctx.output.result(
          'send',
          { id: message.id, peer: message.peer, sentAt: message.sentAt, state: messageState(message), deliveries: message.deliveries.map((d) => ({ accountId: d.accountId, deviceId: d.deviceId, state: d.state, at: d.at })) },
          () => '',
        );
      }
    } finally {
      await connection.close();
    }
  });
}
