/**
 * Where a profile lives (XDG Base Directory Specification 0.8).
 *
 * `--data-dir DIR` names the profile directory itself. Otherwise `--profile NAME` (default
 * "default") lives in `$XDG_DATA_HOME/sealpost/profiles/NAME`, with `~/.local/share` when
 * XDG_DATA_HOME is unset or relative (the spec says relative values are invalid). Runtime files
 * (locks, sockets) go under `$XDG_RUNTIME_DIR/sealpost/` when that is set, since it is private to
 * the user and cleared at logout, and under the profile directory otherwise.
 */
import { createHash } from 'node:crypto';
import { homedir, tmpdir, userInfo } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { CliError } from '../errors.js';

export const DEFAULT_PROFILE = 'default';
export const STORE_FILE_NAME = 'sealpost.db';
export const AGENT_SOCKET_NAME = 'agent.sock';

/** Letters, digits, ".", "_" and "-"; no leading dot, so a name can never climb out of profiles/. */
const PROFILE_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$/;

export interface ProfileSelection {
  readonly profile?: string | undefined;
  readonly dataDir?: string | undefined;
}

export interface ProfilePaths {
  /** "default", the --profile name, or the absolute --data-dir. */
  readonly label: string;
  /** The profile directory (created 0700 by `init`). */
  readonly dataDir: string;
  /** The encrypted SQLite store. */
  readonly storeFile: string;
  /** Directory for this profile's lock files and sockets. */
  readonly runtimeDir: string;
  /**
   * The local agent socket: the process holding the relay connection listens here so others of
   * the same profile (`send` while `listen` runs) use its connection instead of replacing it.
   */
  readonly agentSocket: string;
}

/** Unix socket paths are limited to about 107 bytes (sun_path); stay well below. */
const MAX_SOCKET_PATH = 100;

type Env = Readonly<Record<string, string | undefined>>;

function xdgDir(env: Env, variable: string, fallback: string): string {
  const value = env[variable];
  return value !== undefined && value !== '' && isAbsolute(value) ? value : fallback;
}

function homeOf(env: Env): string {
  const home = env.HOME;
  return home !== undefined && home !== '' ? home : homedir();
}

export function resolveProfilePaths(selection: ProfileSelection, env: Env, cwd: string = process.cwd()): ProfilePaths {
  let dataDir: string;
  let label: string;
  if (selection.dataDir !== undefined) {
    if (selection.profile !== undefined) {
      throw new CliError('CLI_ERR_USAGE', '--profile and --data-dir are mutually exclusive');
    }
    if (selection.dataDir === '') throw new CliError('CLI_ERR_INVALID_ARGUMENT', '--data-dir must not be empty');
    dataDir = resolve(cwd, selection.dataDir);
    label = dataDir;
  } else {
    const name = selection.profile ?? DEFAULT_PROFILE;
    if (!PROFILE_NAME.test(name)) {
      throw new CliError('CLI_ERR_INVALID_ARGUMENT', `profile name "${name}": use 1-64 letters, digits, ".", "_" or "-", not starting with "."`);
    }
    const dataHome = xdgDir(env, 'XDG_DATA_HOME', join(homeOf(env), '.local', 'share'));
    dataDir = join(dataHome, 'sealpost', 'profiles', name);
    label = name;
  }
  const runtimeBase = env.XDG_RUNTIME_DIR;
  // One runtime directory per profile directory: the hash keeps the name short (socket paths are
  // limited to about 100 bytes) and distinct for two --data-dir profiles with the same basename.
  const profileHash = createHash('sha256').update(dataDir).digest('hex').slice(0, 16);
  let runtimeDir =
    runtimeBase !== undefined && runtimeBase !== '' && isAbsolute(runtimeBase) ? join(runtimeBase, 'sealpost', profileHash) : join(dataDir, 'run');
  if (join(runtimeDir, AGENT_SOCKET_NAME).length > MAX_SOCKET_PATH) {
    // A deep --data-dir: fall back to a per-user directory under the system temp directory.
    runtimeDir = join(tmpdir(), `sealpost-${userInfo().uid}`, profileHash);
  }
  return { label, dataDir, storeFile: join(dataDir, STORE_FILE_NAME), runtimeDir, agentSocket: join(runtimeDir, AGENT_SOCKET_NAME) };
}
