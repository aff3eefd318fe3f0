/** `sealpost status <message-id>`: sent / delivered / read per recipient device. */
import type { CommandContext } from '../cli/context.js';
import { messageState, outgoingMessage } from '../session/messages.js';
import { withProfile } from '../session/profile.js';
import { formatTime, messageJson, stateMark } from './views.js';

export async function statusCommand(ctx: CommandContext, args: { messageId: string }): Promise<void> {
  await withProfile(ctx, (profile) => {
    const message = outgoingMessage(profile, args.messageId);
    ctx.output.result('status', { message: messageJson(message) }, (c) =>
      [
        `${message.id}  ${stateMark(messageState(message), c)}`,
        ...message.deliveries.map((d) => `  ${d.accountId === message.peer ? 'recipient' : 'own'} device ${d.deviceId}: ${d.state} ${c.dim(formatTime(d.at))}`),
      ].join('\n'),
    );
  });
}
