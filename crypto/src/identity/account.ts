/**
 * Account identities (DESIGN.md §2): an Ed25519 key pair (RFC 8032) whose public key names the
 * account through its derived account id (public/account-id.ts). The account key signs only
 * device certificates and device lists; devices do everything else with their own keys.
 *
 * The private side is stored as the 32-byte Ed25519 seed alone (record type 0x20, see
 * secret-encoding.ts): the public key and the id are recomputed on load, so a stored record can
 * never hold a key and an id that disagree.
 */
import { expectBytes } from '../errors.js';
import { ED25519_SEED_BYTES } from '../primitives/backend.js';
import type { CryptoSuite } from '../primitives/index.js';
import { accountIdFromAccountKey } from '../public/account-id.js';
import { SECRET_RECORD_TYPE, openSecretRecord, secretRecordWriter } from './secret-encoding.js';

export interface AccountIdentity {
  /** The readable id derived from the account key ("sp1…"). */
  readonly accountId: string;
  /** Raw 32-byte Ed25519 public account key. */
  readonly accountKey: Uint8Array;
  /** Secret 32-byte Ed25519 seed. Never leaves the device that created it, except in a backup. */
  readonly accountSeed: Uint8Array;
}

function accountFromSeed(suite: CryptoSuite, accountSeed: Uint8Array): AccountIdentity {
  const accountKey = suite.ed25519PublicKey(accountSeed);
  return { accountId: accountIdFromAccountKey(accountKey), accountKey, accountSeed };
}

/** A fresh account identity from the suite's randomness. */
export function createAccountIdentity(suite: CryptoSuite): AccountIdentity {
  return accountFromSeed(suite, suite.randomBytes(ED25519_SEED_BYTES));
}

/** Layout: 0x01 || 0x20 || account seed (32). */
export function encodeAccountSecret(account: Pick<AccountIdentity, 'accountSeed'>): Uint8Array {
  expectBytes(account.accountSeed, ED25519_SEED_BYTES, 'account seed');
  return secretRecordWriter(SECRET_RECORD_TYPE.ACCOUNT).raw(account.accountSeed).finish();
}

/** Strict decoder for {@link encodeAccountSecret}; recomputes the public key and account id. */
export function decodeAccountSecret(suite: CryptoSuite, bytes: Uint8Array): AccountIdentity {
  const reader = openSecretRecord(bytes, SECRET_RECORD_TYPE.ACCOUNT, 'account secret');
  const seed = reader.raw(ED25519_SEED_BYTES, 'account seed');
  reader.end();
  return accountFromSeed(suite, seed);
}
