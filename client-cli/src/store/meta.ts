/**
 * The store's plaintext meta table: format, KDF parameters, salt and passphrase verifier, plus a
 * SHA-256 checksum over them. The checksum separates the two failures the user must be told
 * apart: a damaged meta table (checksum mismatch: corrupted store) and a wrong passphrase
 * (checksum fine, verifier mismatch). It is not a security control — whoever can edit the file
 * can recompute it — it only keeps accidental damage from posing as a wrong passphrase.
 */
import type { Database } from 'better-sqlite3';
import { CliError } from '../errors.js';
import { kdfParamsValid, type KdfParams } from './kdf.js';
import { SALT_BYTES, type StoreCrypto } from './store-crypto.js';

export const STORE_FORMAT = 'sealpost-store-1';

export interface StoreMeta {
  readonly params: KdfParams;
  readonly salt: Uint8Array;
  readonly verifier: Uint8Array;
}

const encoder = new TextEncoder();

function canonical(meta: StoreMeta): string {
  const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');
  return [STORE_FORMAT, meta.params.algorithm, meta.params.opsLimit, meta.params.memLimitBytes, b64(meta.salt), b64(meta.verifier)].join('|');
}

function checksum(crypto: Pick<StoreCrypto, 'sha256'>, meta: StoreMeta): string {
  return Buffer.from(crypto.sha256(encoder.encode(canonical(meta)))).toString('hex');
}

export function writeMeta(db: Database, crypto: Pick<StoreCrypto, 'sha256'>, meta: StoreMeta): void {
  const insert = db.prepare('INSERT INTO meta (name, value) VALUES (?, ?)');
  insert.run('format', STORE_FORMAT);
  insert.run('kdf', meta.params.algorithm);
  insert.run('kdf_ops', String(meta.params.opsLimit));
  insert.run('kdf_mem', String(meta.params.memLimitBytes));
  insert.run('kdf_salt', Buffer.from(meta.salt).toString('base64url'));
  insert.run('verifier', Buffer.from(meta.verifier).toString('base64url'));
  insert.run('checksum', checksum(crypto, meta));
}

export function readMeta(db: Database, crypto: Pick<StoreCrypto, 'sha256'>): StoreMeta {
  const rows = db.prepare<[], { name: string; value: string }>('SELECT name, value FROM meta').all();
  const values = new Map(rows.map((r) => [r.name, r.value]));
  const damaged = (what: string): CliError => new CliError('CLI_ERR_STORE_CORRUPTED', `meta table: ${what}`);
  if (values.get('format') !== STORE_FORMAT) throw damaged('unknown format');
  const algorithm = values.get('kdf');
  if (algorithm !== 'argon2id13') throw damaged('unknown key derivation');
  const params: KdfParams = { algorithm, opsLimit: Number(values.get('kdf_ops')), memLimitBytes: Number(values.get('kdf_mem')) };
  if (!kdfParamsValid(params)) throw damaged('key derivation parameters out of range');
  const salt = Buffer.from(values.get('kdf_salt') ?? '', 'base64url');
  const verifier = Buffer.from(values.get('verifier') ?? '', 'base64url');
  if (salt.length !== SALT_BYTES || verifier.length !== 32) throw damaged('salt or verifier has the wrong size');
  const meta: StoreMeta = { params, salt: new Uint8Array(salt), verifier: new Uint8Array(verifier) };
  if (values.get('checksum') !== checksum(crypto, meta)) throw damaged('checksum mismatch');
  return meta;
}
