/**
 * The `sealpost` command surface (issue 4), defined with commander.
 *
 * Start-up cost matters (`sealpost --help` within 0.4 s of `node -e 0`), so this module loads
 * only commander and small local modules; each action imports its command module — and through
 * it crypto, SQLite and WebSocket code — only when it runs.
 *
 * Options are never variadic: a variadic option swallows the positional arguments after it
 * (NOTES.md, signal-cli issue 1320). Text that starts with "-" goes after `--`.
 */
import { readFileSync } from 'node:fs';
import { Argument, Command, InvalidArgumentError, Option } from 'commander';
import { CliError, EXIT_CODE_SUMMARY } from '../errors.js';
import type { Output } from '../output/output.js';
import type { KdfPreset } from '../store/kdf.js';
import { createCommandContext, type CliIo, type CommandContext, type GlobalOptions } from './context.js';

export const WAIT_STATES = ['sent', 'delivered', 'read'] as const;
export type WaitState = (typeof WAIT_STATES)[number];

/** `--kdf` strengths (store/kdf.ts KDF_PRESETS; listed here so --help loads no store code). */
export const KDF_CHOICES = ['standard', 'moderate', 'sensitive'] as const satisfies readonly KdfPreset[];
const KDF_HELP = 'Argon2id strength of the store key: standard (t=2, 19 MiB; default), moderate (t=3, 64 MiB) or sensitive (t=4, 256 MiB)';

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

function positiveInteger(label: string): (value: string) => number {
  return (value) => {
    if (!/^\d+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
      throw new InvalidArgumentError(`${label} must be a positive integer.`);
    }
    return Number(value);
  };
}

function nonNegativeInteger(label: string): (value: string) => number {
  return (value) => {
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) throw new InvalidArgumentError(`${label} must be a non-negative integer.`);
    return Number(value);
  };
}

function positiveSeconds(value: string): number {
  const seconds = Number(value);
  if (value.trim() === '' || !Number.isFinite(seconds) || seconds <= 0 || seconds > 86_400 * 365) {
    throw new InvalidArgumentError('must be a number of seconds above 0.');
  }
  return seconds;
}

const HELP_FOOTER = `
Passphrase sources (never an argument): --passphrase-fd N, --passphrase-file FILE,
SEALPOST_PASSPHRASE, or a prompt on a terminal.

Output: results on stdout, diagnostics on stderr. With --json every result, event and error is
one JSON object per line with "type" and "v". NO_COLOR turns colour off.

Examples:
  sealpost --profile alice init --relay https://relay.example --username alice
  sealpost --profile alice contact add bob
  sealpost --profile alice send bob "hello" --wait delivered --timeout 30
  echo "from a pipe" | sealpost --profile alice send bob
  sealpost --profile alice send-file bob ./report.pdf
  sealpost --profile bob download <message-id> --out ~/Downloads/
  sealpost --profile bob --json listen

Exit codes: ${Object.entries(EXIT_CODE_SUMMARY).map(([code, what]) => `${code} ${what}`).join(', ')}.
See docs/cli.md for every command, the JSON schema and the error codes.`;

export interface ProgramDeps {
  readonly io: CliIo;
  readonly output: Output;
}

/** Builds the program. Parse with `parseAsync(args, { from: 'user' })`. */
export function buildProgram({ io, output }: ProgramDeps): Command {
  const program = new Command('sealpost');
  // Before any subcommand is added, so they inherit: errors become CommanderErrors that main
  // maps to CLI errors and exit codes, and commander prints nothing itself except help.
  program.exitOverride();
  program.configureOutput({
    writeOut: (text) => io.stdout.write(text),
    writeErr: (text) => io.stderr.write(text),
    outputError: () => undefined,
  });
  program
    .description('End-to-end encrypted messaging from the terminal and from scripts.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help for a command')
    .addOption(new Option('--profile <name>', 'profile name under the XDG data directory (default "default")').conflicts('dataDir'))
    .addOption(new Option('--data-dir <dir>', 'use this directory as the profile directory').conflicts('profile'))
    .option('--json', 'print results, events and errors as JSON objects, one per line')
    .addOption(new Option('--passphrase-file <file>', 'read the passphrase from the first line of FILE').conflicts('passphraseFd'))
    .addOption(new Option('--passphrase-fd <n>', 'read the passphrase from file descriptor N').argParser(nonNegativeInteger('--passphrase-fd')).conflicts('passphraseFile'))
    // Hidden: exists only to refuse a passphrase typed as an argument with a helpful error.
    .addOption(new Option('--passphrase <value>').hideHelp())
    .addHelpText('after', HELP_FOOTER)
    .showSuggestionAfterError(true);

  program.hook('preAction', (_root, action) => {
    if (action.optsWithGlobals<{ passphrase?: string }>().passphrase !== undefined) throw new CliError('CLI_ERR_PASSPHRASE_ARGUMENT');
  });

  const ctx = (command: Command): CommandContext => createCommandContext(io, output, command.optsWithGlobals<GlobalOptions>());

  program
    .command('init')
    .description('create a new identity, register it on the relay and upload keys')
    .requiredOption('--relay <url>', 'relay base URL, e.g. https://relay.example')
    .option('--username <name>', 'username to register on the relay')
    .option('--device-name <name>', 'a name for this device (default: the host name)')
    .addOption(new Option('--kdf <strength>', KDF_HELP).choices(KDF_CHOICES))
    .action(async (options: { relay: string; username?: string; deviceName?: string; kdf?: KdfPreset }, command: Command) => {
      const { initCommand } = await import('../commands/init.js');
      await initCommand(ctx(command), options);
    });

  program
    .command('whoami')
    .description('account id, username, device id, relay and fingerprint of this profile')
    .action(async (_options: unknown, command: Command) => {
      const { whoamiCommand } = await import('../commands/whoami.js');
      await whoamiCommand(ctx(command));
    });

  const link = program.command('link').description('add another device to this account');
  link
    .command('new')
    .description('on the first device: show a link code (and QR) for the new device, then read its answer code')
    .option('--timeout <seconds>', 'how long to wait for the new device', positiveSeconds, 300)
    .action(async (options: { timeout: number }, command: Command) => {
      const { linkNewCommand } = await import('../commands/link.js');
      await linkNewCommand(ctx(command), options);
    });
  link
    .command('accept')
    .description('on the new device: join the account with the code from `link new`')
    .argument('<code>', 'the code printed by `sealpost link new`')
    .option('--device-name <name>', 'a name for this device (default: the host name)')
    .option('--timeout <seconds>', 'how long to wait for the other device', positiveSeconds, 300)
    .addOption(new Option('--kdf <strength>', KDF_HELP).choices(KDF_CHOICES))
    .action(async (code: string, options: { deviceName?: string; timeout: number; kdf?: KdfPreset }, command: Command) => {
      const { linkAcceptCommand } = await import('../commands/link.js');
      await linkAcceptCommand(ctx(command), { code, ...options });
    });

  const devices = program
    .command('devices')
    .description('list the devices of this account (from its signed device list)')
    .action(async (_options: unknown, command: Command) => {
      const { devicesListCommand } = await import('../commands/devices.js');
      await devicesListCommand(ctx(command));
    });
  devices
    .command('remove')
    .description('remove a device from the signed device list')
    .argument('<id>', 'device id (see `sealpost devices`)', positiveInteger('device id'))
    .action(async (deviceId: number, _options: unknown, command: Command) => {
      const { devicesRemoveCommand } = await import('../commands/devices.js');
      await devicesRemoveCommand(ctx(command), { deviceId });
    });

  const contact = program.command('contact').description('manage contacts');
  contact
    .command('add')
    .description('add a contact by username, account id or contact link; pins its identity key')
    .argument('<who>', 'username, account id (sp1…) or contact link')
    .option('--name <alias>', 'a local name for the contact')
    .action(async (who: string, options: { name?: string }, command: Command) => {
      const { contactAddCommand } = await import('../commands/contact.js');
      await contactAddCommand(ctx(command), { who, alias: options.name });
    });
  contact
    .command('list')
    .description('list contacts')
    .action(async (_options: unknown, command: Command) => {
      const { contactListCommand } = await import('../commands/contact.js');
      await contactListCommand(ctx(command));
    });
  contact
    .command('show')
    .description('show one contact')
    .argument('<contact>', 'alias, username or account id')
    .action(async (who: string, _options: unknown, command: Command) => {
      const { contactShowCommand } = await import('../commands/contact.js');
      await contactShowCommand(ctx(command), { contact: who });
    });

  program
    .command('verify')
    .description("show the safety number (digits and QR) for a contact; --confirm marks it verified")
    .argument('<contact>', 'alias, username or account id')
    .option('--confirm', 'mark the contact verified (accepts a changed identity key)')
    .action(async (who: string, options: { confirm?: boolean }, command: Command) => {
      const { verifyCommand } = await import('../commands/verify.js');
      await verifyCommand(ctx(command), { contact: who, confirm: options.confirm === true });
    });

  program
    .command('send')
    .description('send TEXT (or stdin when TEXT is absent); prints the message id')
    .argument('<contact>', 'alias, username or account id')
    .argument('[text]', 'message text; read from stdin when absent')
    .addOption(new Option('--wait <state>', 'wait until the message is sent, delivered or read').choices(WAIT_STATES))
    .option('--timeout <seconds>', 'give up waiting after this long (exit code 7)', positiveSeconds)
    .action(async (who: string, text: string | undefined, options: { wait?: WaitState; timeout?: number }, command: Command) => {
      const { sendCommand } = await import('../commands/send.js');
      await sendCommand(ctx(command), { contact: who, text, wait: options.wait, timeoutSeconds: options.timeout });
    });

  program
    .command('send-file')
    .description('encrypt a file, upload it to the relay and send it; prints the message id')
    .argument('<contact>', 'alias, username or account id')
    .argument('<path>', 'the file, or - to read stdin to its end')
    .option('--name <name>', 'the file name the contact sees (default: the file\'s own name)')
    .option('--type <mime>', 'the MIME type the contact sees (default: from the name\'s extension)')
    .action(async (who: string, path: string, options: { name?: string; type?: string }, command: Command) => {
      const { sendFileCommand } = await import('../commands/send-file.js');
      await sendFileCommand(ctx(command), { contact: who, path, name: options.name, contentType: options.type });
    });

  program
    .command('download')
    .description('fetch, verify and decrypt the file of a file message; prints where it was saved')
    .argument('<message-id>', 'the id of the file message (see `history` or `receive`)')
    .option('--out <path>', 'file or directory to save to, or - for stdout (default: the file\'s name in the current directory)')
    .option('--force', 'replace an existing file')
    .action(async (messageId: string, options: { out?: string; force?: boolean }, command: Command) => {
      const { downloadCommand } = await import('../commands/download.js');
      await downloadCommand(ctx(command), { messageId, out: options.out, force: options.force === true });
    });

  program
    .command('receive')
    .description('fetch pending messages, decrypt, store, acknowledge, print, exit')
    .option('--timeout <seconds>', 'stop waiting for the backlog after this long', positiveSeconds)
    .action(async (options: { timeout?: number }, command: Command) => {
      const { receiveCommand } = await import('../commands/receive.js');
      await receiveCommand(ctx(command), { timeoutSeconds: options.timeout });
    });

  program
    .command('listen')
    .description('stay connected and print every event (message, receipt, presence, typing)')
    .action(async (_options: unknown, command: Command) => {
      const { listenCommand } = await import('../commands/listen.js');
      await listenCommand(ctx(command));
    });

  program
    .command('chat')
    .description('interactive conversation: history, live messages, receipts, /commands')
    .argument('<contact>', 'alias, username or account id')
    .action(async (who: string, _options: unknown, command: Command) => {
      const { chatCommand } = await import('../commands/chat.js');
      await chatCommand(ctx(command), { contact: who });
    });

  program
    .command('history')
    .description('print the stored conversation with a contact')
    .argument('<contact>', 'alias, username or account id')
    .option('--limit <n>', 'at most N most recent messages', positiveInteger('--limit'), 50)
    .action(async (who: string, options: { limit: number }, command: Command) => {
      const { historyCommand } = await import('../commands/history.js');
      await historyCommand(ctx(command), { contact: who, limit: options.limit });
    });

  program
    .command('status')
    .description('sent / delivered / read state of a sent message, per recipient device')
    .argument('<message-id>', 'the id `send` printed')
    .action(async (messageId: string, _options: unknown, command: Command) => {
      const { statusCommand } = await import('../commands/status.js');
      await statusCommand(ctx(command), { messageId });
    });

  program
    .command('unread')
    .description('unread message count per conversation')
    .action(async (_options: unknown, command: Command) => {
      const { unreadCommand } = await import('../commands/unread.js');
      await unreadCommand(ctx(command));
    });

  const presence = program
    .command('presence')
    .description("show a contact's presence (online / last seen), if they share it with you")
    .argument('<contact>', 'alias, username or account id')
    .action(async (who: string, _options: unknown, command: Command) => {
      const { presenceShowCommand } = await import('../commands/presence.js');
      await presenceShowCommand(ctx(command), { contact: who });
    });
  presence
    .command('allow')
    .description('let a contact see your presence')
    .argument('<contact>', 'alias, username or account id')
    .action(async (who: string, _options: unknown, command: Command) => {
      const { presenceSetCommand } = await import('../commands/presence.js');
      await presenceSetCommand(ctx(command), { contact: who, allow: true });
    });
  presence
    .command('deny')
    .description('stop a contact from seeing your presence')
    .argument('<contact>', 'alias, username or account id')
    .action(async (who: string, _options: unknown, command: Command) => {
      const { presenceSetCommand } = await import('../commands/presence.js');
      await presenceSetCommand(ctx(command), { contact: who, allow: false });
    });

  const push = program.command('push').description("this device's Web Push subscription on the relay (wakes it when offline)");
  push
    .command('subscribe')
    .description('subscribe this device: the relay pushes (content-free) to this endpoint when something waits')
    .requiredOption('--endpoint <url>', 'the push service endpoint (https)')
    .requiredOption('--p256dh <key>', "the subscription's P-256 public key, base64url")
    .requiredOption('--auth <secret>', "the subscription's 16-byte auth secret, base64url")
    .action(async (options: { endpoint: string; p256dh: string; auth: string }, command: Command) => {
      const { pushSubscribeCommand } = await import('../commands/push.js');
      await pushSubscribeCommand(ctx(command), options);
    });
  push
    .command('status')
    .description("this device's subscription and the relay's VAPID public key")
    .action(async (_options: unknown, command: Command) => {
      const { pushStatusCommand } = await import('../commands/push.js');
      await pushStatusCommand(ctx(command));
    });
  push
    .command('unsubscribe')
    .description('remove this device\'s subscription')
    .action(async (_options: unknown, command: Command) => {
      const { pushUnsubscribeCommand } = await import('../commands/push.js');
      await pushUnsubscribeCommand(ctx(command));
    });

  const settings = program
    .command('settings')
    .description('show settings')
    .action(async (_options: unknown, command: Command) => {
      const { settingsShowCommand } = await import('../commands/settings.js');
      await settingsShowCommand(ctx(command));
    });
  settings
    .command('read-receipts')
    .description('send read receipts (on) or not (off); without a value, show the setting')
    .addArgument(new Argument('[state]', 'on or off').choices(['on', 'off']))
    .action(async (state: 'on' | 'off' | undefined, _options: unknown, command: Command) => {
      const { settingsReadReceiptsCommand } = await import('../commands/settings.js');
      await settingsReadReceiptsCommand(ctx(command), { state });
    });

  return program;
}
