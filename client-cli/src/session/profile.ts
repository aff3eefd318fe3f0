/**
 * An unlocked profile: the crypto suite, the open encrypted store and this device's identity.
 * Commands get one through {@link withProfile}, which always closes the store.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { loadCrypto, type CryptoSuite } from '@sealpost/crypto';
import type { CommandContext } from '../cli/context.js';
import { readPassphrase } from '../config/passphrase.js';
import type { ProfilePaths } from '../config/paths.js';
import { CliError } from '../errors.js';
import { kdfParamsForNewStore, type KdfPreset } from '../store/kdf.js';
import type { IdentityRecord } from '../store/records.js';
import { SealedStore } from '../store/sealed-store.js';

export class Profile {
  constructor(
    readonly store: SealedStore,
    readonly crypto: CryptoSuite,
    readonly paths: ProfilePaths,
  ) {}

  /** This device's identity; a store without one is a profile whose `init` did not finish. */
  identity(): IdentityRecord {
    const identity = this.store.run(() => this.store.identity.get());
    if (identity === undefined) throw new CliError('CLI_ERR_NOT_INITIALIZED', 'the store has no identity record');
    return identity;
  }

  close(): void {
    this.store.close();
  }
}

/** Opens the profile: checks it exists before asking for a passphrase, then unlocks the store. */
export async function openProfile(ctx: CommandContext): Promise<Profile> {
  const paths = ctx.paths();
  if (!existsSync(paths.storeFile)) throw new CliError('CLI_ERR_NOT_INITIALIZED', `no store at ${paths.storeFile}`);
  const passphrase = await readPassphrase(ctx.globals, ctx.passphraseIo(), { creating: false });
  const crypto = await loadCrypto();
  return new Profile(SealedStore.open({ file: paths.storeFile, passphrase, crypto }), crypto, paths);
}

/**
 * Creates the profile directory (0700) and a new empty store; refuses an existing store. `kdf`
 * names the Argon2id strength (store/kdf.ts); the default suits a store opened by every command.
 */
export async function createProfile(ctx: CommandContext, kdf?: KdfPreset): Promise<Profile> {
  const paths = ctx.paths();
  if (existsSync(paths.storeFile)) throw new CliError('CLI_ERR_ALREADY_INITIALIZED', `a store exists at ${paths.storeFile}`);
  const params = kdfParamsForNewStore(ctx.io.env, kdf);
  const passphrase = await readPassphrase(ctx.globals, ctx.passphraseIo(), { creating: true });
  try {
    mkdirSync(paths.dataDir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new CliError('CLI_ERR_STORE_IO', `${paths.dataDir}: ${(error as NodeJS.ErrnoException).code ?? 'mkdir failed'}`);
  }
  const crypto = await loadCrypto();
  return new Profile(SealedStore.create({ file: paths.storeFile, passphrase, crypto, params }), crypto, paths);
}

/** Runs `work` with an unlocked profile and closes it afterwards, whatever happens. */
export async function withProfile<T>(ctx: CommandContext, work: (profile: Profile) => Promise<T> | T): Promise<T> {
  const profile = await openProfile(ctx);
  try {
    return await work(profile);
  } finally {
    profile.close();
  }
}

/** Removes a store whose `init` failed before an identity was registered, so `init` can run again. */
export function discardStore(paths: ProfilePaths): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(paths.storeFile + suffix, { force: true });
}
