/**
 * The `sealpost-relay` command: `start` (the default: run the relay until SIGTERM/SIGINT, then
 * drain and exit 0), `check-config` (validate and print the effective config, exit 1 on any
 * problem), `print-default-config`, and the operator commands under `admin` (admin-commands.ts).
 * Kept apart from bin/ so tests can run it in-process. Exit codes: 0 done, 1 a configuration,
 * database or admin action failed (reason on stderr), 2 usage error or crash.
 */
import { Command, CommanderError } from 'commander';
import { defaultConfig } from '../config/config-schema.js';
import type { RelayConfig } from '../config/config-schema.js';
import { loadConfig } from '../config/load-config.js';
import { createRelay } from '../create-relay.js';
import { RelayError } from '../errors.js';
import { VapidKeyFileError } from '../push/vapid-keys.js';
import { registerAdminCommands } from './admin-commands.js';
import type { CliIo } from './cli-io.js';
import { addConfigFlags, flagsToConfig } from './config-flags.js';
import type { ConfigFlags } from './config-flags.js';

export type { CliIo } from './cli-io.js';

function configFrom(flags: ConfigFlags, io: CliIo): RelayConfig {
  return loadConfig({ file: flags.config ?? io.env.SEALPOST_RELAY_CONFIG, env: io.env, flags: flagsToConfig(flags) });
}

function reportOperatorError(error: unknown, io: CliIo): number {
  if (error instanceof RelayError && error.code === 'RELAY_ERR_CONFIG_INVALID') {
    const problems = (error.details?.problems as string[] | undefined) ?? [error.message];
    io.stderr(`${error.code}: invalid configuration\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
    return 1;
  }
  // A database written by a newer relay is the operator's to fix (upgrade), not a crash; so is an
  // unreachable S3 endpoint at start or a damaged VAPID key file.
  if (error instanceof RelayError && (error.code === 'RELAY_ERR_DATABASE_VERSION' || error.code === 'RELAY_ERR_MEDIA_BACKEND')) {
    io.stderr(`${error.code}: ${error.message}\n`);
    return 1;
  }
  if (error instanceof VapidKeyFileError) {
    io.stderr(`${error.message}\n`);
    return 1;
  }
  throw error;
}

/** The config as check-config prints it: the S3 secret key only said to be set (output lands in CI logs). */
function withoutSecrets(config: RelayConfig): RelayConfig {
  if (config.media.s3.secretKey === '') return config;
  return { ...config, media: { ...config.media, s3: { ...config.media.s3, secretKey: '(set, not shown)' } } };
}

/** Runs the CLI; resolves to the process exit code. */
export async function runRelayCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode = 0;
  const program = new Command('sealpost-relay')
    .description('The Sealpost relay: stores public keys and ciphertext, delivers them over WebSocket.')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  addConfigFlags(program.command('start', { isDefault: true }).description('run the relay (default)')).action(async (flags: ConfigFlags) => {
    let config: RelayConfig;
    try {
      config = configFrom(flags, io);
    } catch (error) {
      exitCode = reportOperatorError(error, io);
      return;
    }
    let relay;
    try {
      relay = createRelay({ config });
    } catch (error) {
      exitCode = reportOperatorError(error, io);
      return;
    }
    try {
      await relay.listen();
    } catch (error) {
      await relay.close();
      exitCode = reportOperatorError(error, io);
      return;
    }
    const signal = await io.stopSignal();
    relay.services.deps.logger.info({ event: 'relay.signal', signal }, 'stopping');
    await relay.close();
  });

  addConfigFlags(program.command('check-config').description('validate the configuration and print it as JSON')).action((flags: ConfigFlags) => {
    try {
      io.stdout(`${JSON.stringify(withoutSecrets(configFrom(flags, io)), null, 2)}\n`);
      io.stderr('configuration is valid\n');
    } catch (error) {
      exitCode = reportOperatorError(error, io);
    }
  });

  program
    .command('print-default-config')
    .description('print every option with its default as JSON')
    .action(() => {
      io.stdout(`${JSON.stringify(defaultConfig(), null, 2)}\n`);
    });

  registerAdminCommands(program, io, (code) => {
    exitCode = code;
  });

  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    throw error;
  }
  return exitCode;
}
