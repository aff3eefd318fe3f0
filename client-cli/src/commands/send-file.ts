/**
 * `sealpost send-file <contact> <path|-> [--name NAME] [--type MIME]`: encrypts the file, uploads
 * it to the relay and sends the contact a file message (docs/cli.md "Files"). `-` reads stdin to
 * its end first. Like `send`, it returns only after the relay stored the message, printing its
 * id; with --json, progress events come first and the result last.
 */
import { tmpdir } from 'node:os';
import { resolve as resolvePath } from 'node:path';
import type { CommandContext } from '../cli/context.js';
import { contactOrAdd, fileSummary, messageState, openConnection, sendFileMessage, withProfile, type FileSource } from '../session/index.js';
import { interruptible } from './interruptible.js';
import { progressView } from './progress-view.js';

export interface SendFileArgs {
  readonly contact: string;
  readonly path: string;
  readonly name: string | undefined;
  readonly contentType: string | undefined;
}

/** The system's temporary directory as this process sees it (TMPDIR). */
export function tempRoot(ctx: CommandContext): string {
  const fromEnv = ctx.io.env.TMPDIR;
  return fromEnv !== undefined && fromEnv !== '' ? resolvePath(ctx.io.cwd, fromEnv) : tmpdir();
}

export async function sendFileCommand(ctx: CommandContext, args: SendFileArgs): Promise<void> {
  const source: FileSource = args.path === '-' ? { kind: 'stream', stream: ctx.io.stdin } : { kind: 'path', path: resolvePath(ctx.io.cwd, args.path) };
  await withProfile(ctx, async (profile) => {
    const connection = await openConnection(profile, { maxReconnects: 3, maintainPrekeys: false, now: ctx.now });
    try {
      const { contact, added } = await contactOrAdd(profile, await connection.http(), args.contact, ctx.now());
      if (added) ctx.output.note(`Added ${contact.username ?? contact.accountId} as a contact (identity key pinned).`);
      const view = await progressView(ctx);
      let message;
      try {
        message = await interruptible(ctx, (signal) =>
          sendFileMessage(profile, connection, contact, { source, name: args.name, contentType: args.contentType, tempRoot: tempRoot(ctx), progress: view.listener, signal }),
        );
      } finally {
        view.stop();
      }
      const file = message.file === undefined ? null : fileSummary(message.file);
      ctx.output.result(
        'send-file',
        {
          id: message.id,
          peer: message.peer,
          sentAt: message.sentAt,
          state: messageState(message),
          file,
          deliveries: message.deliveries.map((d) => ({ accountId: d.accountId, deviceId: d.deviceId, state: d.state, at: d.at })),
        },
        () => message.id,
      );
    } finally {
      await connection.close();
    }
  });
}
