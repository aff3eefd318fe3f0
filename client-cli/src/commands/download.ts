/**
 * `sealpost download <message-id> [--out PATH|-] [--force]`: fetches the file of a file message,
 * checks it against the digest in the message before any plaintext exists, decrypts it and
 * saves it (docs/cli.md "Files"). Prints the saved path (or, with --out -, the file itself).
 */
import type { CommandContext } from '../cli/context.js';
import { CliError } from '../errors.js';
import { downloadFile, fileMessage, signedInHttp, targetPath, withProfile, type DownloadTarget } from '../session/index.js';
import { interruptible } from './interruptible.js';
import { progressView } from './progress-view.js';
import { tempRoot } from './send-file.js';

export interface DownloadArgs {
  readonly messageId: string;
  readonly out: string | undefined;
  readonly force: boolean;
}

export async function downloadCommand(ctx: CommandContext, args: DownloadArgs): Promise<void> {
  const toStdout = args.out === '-';
  // The file and the JSON objects would share stdout.
  if (toStdout && ctx.output.json) throw new CliError('CLI_ERR_USAGE', '--out - writes the file to stdout, so it cannot be combined with --json');
  const stdout = ctx.io.stdoutBytes;
  if (toStdout && stdout === undefined) throw new CliError('CLI_ERR_USAGE', '--out - needs a real stdout');
  await withProfile(ctx, async (profile) => {
    const message = fileMessage(profile, args.messageId);
    const { file } = message;
    const target: DownloadTarget =
      toStdout && stdout !== undefined ? { kind: 'stream', stream: stdout } : { kind: 'file', path: await targetPath(args.out, ctx.io.cwd, file.name) };
    const http = await signedInHttp(profile);
    const view = await progressView(ctx);
    try {
      await interruptible(ctx, (signal) => downloadFile(profile, http, message, { target, force: args.force, tempRoot: tempRoot(ctx), progress: view.listener, signal }));
    } finally {
      view.stop();
    }
    const path = target.kind === 'file' ? target.path : null;
    if (path === null) return;
    ctx.output.result('download', { id: message.id, peer: message.peer, path, name: file.name, contentType: file.contentType, size: file.size }, () => path);
  });
}
