/**
 * The command-line flags every relay subcommand shares, and how they map onto config options.
 * Flags have the highest precedence (defaults < file < environment < flags).
 */
import type { Command } from 'commander';

export interface ConfigFlags {
  readonly config?: string;
  readonly host?: string;
  readonly port?: string;
  readonly dataDir?: string;
  readonly logLevel?: string;
  readonly pushAllowPrivateEndpoints?: boolean;
}

export function addConfigFlags(command: Command): Command {
  return command
    .option('--config <file>', 'JSON config file (also SEALPOST_RELAY_CONFIG)')
    .option('--host <host>', 'interface to listen on (server.host)')
    .option('--port <port>', 'TCP port (server.port)')
    .option('--data-dir <dir>', 'data folder (dataDir)')
    .option('--log-level <level>', 'log level (log.level)')
    .option('--push-allow-private-endpoints', 'let push endpoints be on loopback, private, link-local and CGNAT addresses (push.allowPrivateEndpoints)');
}

/** Flags shaped like the config; a non-numeric port is left as text so validation reports it. */
export function flagsToConfig(flags: ConfigFlags): Record<string, unknown> {
  const server: Record<string, unknown> = {};
  if (flags.host !== undefined) server.host = flags.host;
  if (flags.port !== undefined) server.port = /^\d+$/.test(flags.port) ? Number(flags.port) : flags.port;
  const out: Record<string, unknown> = {};
  if (Object.keys(server).length > 0) out.server = server;
  if (flags.dataDir !== undefined) out.dataDir = flags.dataDir;
  if (flags.logLevel !== undefined) out.log = { level: flags.logLevel };
  // A switch: present means on; absent leaves the file and environment to decide.
  if (flags.pushAllowPrivateEndpoints === true) out.push = { allowPrivateEndpoints: true };
  return out;
}
