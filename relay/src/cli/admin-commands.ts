/**
 * `sealpost-relay admin …`: operator commands on the data folder's database, through the storage
 * interfaces (docs/self-hosting.md "Admin commands"):
 *
 *   admin invite create [--uses N] [--expires-in DURATION]   prints the token, once
 *   admin invite list
 *   admin accounts list
 *   admin accounts delete <account>
 *   admin devices list <account>
 *   admin devices remove <account> <device-id>
 *
 * <account> is an account id (sp1…) or a username. Every command takes --config and --data-dir
 * like `start` (and the same environment), and --json. The database must exist and be at this
 * build's schema version: these commands never create or migrate it, because they may run
 * beside a relay on the same file (SQLite WAL allows that; AdminService says how the relay
 * notices). Exit codes: 0 done, 1 the action failed (reason on stderr), 2 usage error.
 */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { loadConfig } from '../config/load-config.js';
import { sqliteFileOf } from '../create-relay.js';
import { RelayError } from '../errors.js';
import { AdminService } from '../services/admin-service.js';
import type { RelayStorage } from '../storage/relay-storage.js';
import { openSqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import { isoTime, renderAccounts, renderDevices, renderInvites } from './admin-output.js';
import type { CliIo } from './cli-io.js';
import { flagsToConfig } from './config-flags.js';
import { parseDuration, parseIntegerIn } from './parse-duration.js';

interface AdminFlags {
  readonly config?: string;
  readonly dataDir?: string;
  readonly json?: boolean;
}

interface AdminOutput {
  /** The --json document. */
  readonly json: unknown;
  /** The result for people, on stdout. */
  readonly text: string;
  /** Advice for people, on stderr (never printed with --json). */
  readonly note?: string;
}

interface Failure {
  readonly code: string;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** What a failure shows the operator; null for a bug, which goes up as a crash with its stack. */
function failureOf(error: unknown): Failure | null {
  if (error instanceof RelayError) return { code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) };
  // better-sqlite3 errors (locked past busyTimeoutMs, disk, permissions) carry SQLITE_* codes.
  const code = (error as { code?: unknown }).code;
  if (error instanceof Error && typeof code === 'string' && code.startsWith('SQLITE_')) return { code, message: error.message };
  return null;
}

function report(error: unknown, json: boolean, io: CliIo): number {
  const failure = failureOf(error);
  if (failure === null) throw error;
  if (json) {
    io.stderr(`${JSON.stringify({ error: failure })}\n`);
  } else {
    const problems = failure.details?.problems;
    const lines = Array.isArray(problems) ? problems.map((p) => `  - ${String(p)}\n`).join('') : '';
    io.stderr(`sealpost-relay: ${failure.code}: ${failure.message}\n${lines}`);
  }
  return 1;
}

/** Loads the config, opens the existing database without migrating it, runs `action`, prints. */
async function runAdmin(flags: AdminFlags, io: CliIo, action: (admin: AdminService) => Promise<AdminOutput>): Promise<number> {
  const json = flags.json === true;
  let storage: RelayStorage | undefined;
  try {
    const config = loadConfig({ file: flags.config ?? io.env.SEALPOST_RELAY_CONFIG, env: io.env, flags: flagsToConfig({ dataDir: flags.dataDir }) });
    const file = sqliteFileOf(config);
    if (!existsSync(file)) throw new RelayError('RELAY_ERR_DATABASE_MISSING', file, { file });
    storage = openSqliteStorage({ file, busyTimeoutMs: config.storage.busyTimeoutMs, maxCommitBatch: config.storage.maxCommitBatch, migrate: false });
    const output = await action(new AdminService({ config, storage, clock: Date.now }));
    if (json) io.stdout(`${JSON.stringify(output.json, null, 2)}\n`);
    else {
      io.stdout(output.text);
      if (output.note !== undefined) io.stderr(output.note);
    }
    return 0;
  } catch (error) {
    return report(error, json, io);
  } finally {
    // Waits for the write to commit before the process may exit.
    await storage?.close();
  }
}

function withAdminFlags(command: Command): Command {
  return command
    .option('--config <file>', 'JSON config file (also SEALPOST_RELAY_CONFIG)')
    .option('--data-dir <dir>', 'data folder (dataDir)')
    .option('--json', 'print the result as JSON');
}

const ACCOUNT_ARG = 'account id (sp1…) or username';

/** Adds the `admin` command tree; `exit` receives each command's exit code. */
export function registerAdminCommands(program: Command, io: CliIo, exit: (code: number) => void): void {
  const admin = program.command('admin').description('operator commands on the relay database (safe while the relay runs)');
  const run = async (flags: AdminFlags, action: (service: AdminService) => Promise<AdminOutput>) => exit(await runAdmin(flags, io, action));

  const invite = admin.command('invite').description('registration invites (for registration.policy "invite")');
  withAdminFlags(invite.command('create').description('create an invite token and print it once (only its SHA-256 is stored)'))
    .option('--uses <n>', 'registrations the invite admits', parseIntegerIn(1, 1_000_000), 1)
    .option('--expires-in <duration>', 'lifetime, e.g. 12h, 7d or 1d12h (default: registration.inviteTtlSeconds)', parseDuration)
    .action((flags: AdminFlags & { uses: number; expiresIn?: number }) =>
      run(flags, async (service) => {
        const created = await service.createInvite({ maxUses: flags.uses, ttlSeconds: flags.expiresIn });
        const uses = created.maxUses === 1 ? '1 registration' : `${created.maxUses} registrations`;
        return {
          json: created,
          text: `${created.token}\n`,
          note: `invite for ${uses}, valid until ${isoTime(created.expiresAt)}. This is the only time the token is shown: the relay keeps only its hash.\n`,
        };
      }),
    );
  withAdminFlags(invite.command('list').description('list invites (by hash prefix; tokens are not stored)')).action((flags: AdminFlags) =>
    run(flags, async (service) => {
      const invites = await service.listInvites();
      return { json: { invites }, text: renderInvites(invites) };
    }),
  );

  const accounts = admin.command('accounts').description('accounts on this relay');
  withAdminFlags(accounts.command('list').description('list every account with its device count')).action((flags: AdminFlags) =>
    run(flags, async (service) => {
      const list = await service.listAccounts();
      return { json: { accounts: list }, text: renderAccounts(list) };
    }),
  );
  withAdminFlags(
    accounts.command('delete').description('delete an account: its devices, queues, prekeys, presence allow-list, push subscriptions and media; frees its username').argument('<account>', ACCOUNT_ARG),
  ).action((ref: string, flags: AdminFlags) =>
    run(flags, async (service) => {
      const deleted = await service.deleteAccount(ref);
      const name = deleted.username === null ? '' : ` (${deleted.username})`;
      // Objects leave the backend at the running relay's next media sweep, not in this command.
      const media = deleted.media === 0 ? '' : `; its ${deleted.media} media object(s) go at the relay's next media sweep`;
      return {
        json: { deleted },
        text: `deleted account ${deleted.accountId}${name} and its ${deleted.devices} device(s)${media}\n`,
        note: 'Its open connections close at their next frame or heartbeat (4003). Undelivered messages to it are gone; senders are told the account no longer exists.\n',
      };
    }),
  );

  const devices = admin.command('devices').description('devices of one account');
  withAdminFlags(devices.command('list').description('list the devices the relay serves for an account, with queue and prekey counts').argument('<account>', ACCOUNT_ARG)).action(
    (ref: string, flags: AdminFlags) =>
      run(flags, async (service) => {
        const result = await service.accountDevices(ref);
        return { json: result, text: renderDevices(result) };
      }),
  );
  withAdminFlags(
    devices
      .command('remove')
      .description("stop serving one device (drops its queue and prekeys); the account's signed list is unchanged")
      .argument('<account>', ACCOUNT_ARG)
      .argument('<device-id>', 'device id (a whole number)', parseIntegerIn(0, 0xffffffff)),
  ).action((ref: string, deviceId: number, flags: AdminFlags) =>
    run(flags, async (service) => {
      const removed = await service.removeDevice(ref, deviceId);
      return {
        json: { removed },
        text: `removed device ${removed.deviceId} of ${removed.accountId}\n`,
        note:
          'Its sessions end now; an open connection closes at its next frame or heartbeat (4003). The account still lists it in its signed device list, ' +
          'so senders are told it is "extra" until one of the account\'s devices publishes a list without it.\n',
      };
    }),
  );
}
