/**
 * The relay's VAPID key pair (RFC 8292): an ECDSA P-256 key whose public half browsers and
 * UnifiedPush distributors bind a subscription to (`applicationServerKey`), and whose private half
 * signs the JWT in every push request (RFC 8292 §2, §3). Generated on first start with
 * web-push's generateVAPIDKeys() and kept in the data folder as JSON, mode 0600.
 *
 * Loading validates everything: a corrupt file, a key that is not on the curve, or a public key
 * that does not belong to the private key stops the relay with a clear message rather than
 * signing tokens no push service accepts. Replacing the keys invalidates every subscription
 * (RFC 8292 §4: push services refuse tokens from another key), so the file is never rewritten.
 */
import { createECDH } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import webpush from 'web-push';

export interface VapidKeys {
  /** 65-byte uncompressed P-256 point, unpadded base64url: what GET /v1/push/vapid-key serves. */
  readonly publicKey: string;
  /** 32-byte P-256 scalar, unpadded base64url. Never logged, never served. */
  readonly privateKey: string;
}

export const VAPID_FILE_VERSION = 1;

/** The key file is missing pieces, unreadable as keys, or too open; the message says which. */
export class VapidKeyFileError extends Error {
  readonly file: string;

  constructor(file: string, problem: string) {
    super(`VAPID key file ${file}: ${problem}. Fix the file, or move it away to generate a new pair (every device must then subscribe again).`);
    this.name = 'VapidKeyFileError';
    this.file = file;
  }
}

export function vapidKeyPath(dataDir: string, vapidKeyFile: string): string {
  return isAbsolute(vapidKeyFile) ? vapidKeyFile : join(dataDir, vapidKeyFile);
}

function strictBase64Url(text: unknown, bytes: number): Buffer | null {
  if (typeof text !== 'string' || !/^[A-Za-z0-9_-]+$/.test(text)) return null;
  const decoded = Buffer.from(text, 'base64url');
  return decoded.length === bytes && decoded.toString('base64url') === text ? decoded : null;
}

/** Throws unless the pair is a valid P-256 key pair (the public key is derived and compared). */
export function checkVapidKeys(keys: { publicKey: unknown; privateKey: unknown }, file: string): VapidKeys {
  const publicKey = strictBase64Url(keys.publicKey, 65);
  const privateKey = strictBase64Url(keys.privateKey, 32);
  if (publicKey === null || publicKey[0] !== 0x04) throw new VapidKeyFileError(file, 'publicKey is not a 65-byte uncompressed P-256 point in base64url');
  if (privateKey === null) throw new VapidKeyFileError(file, 'privateKey is not 32 bytes of base64url');
  let derived: Buffer;
  try {
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(privateKey); // rejects 0 and scalars ≥ the group order
    derived = ecdh.getPublicKey();
  } catch {
    throw new VapidKeyFileError(file, 'privateKey is not a valid P-256 scalar');
  }
  if (!derived.equals(publicKey)) throw new VapidKeyFileError(file, 'publicKey does not belong to privateKey');
  return { publicKey: publicKey.toString('base64url'), privateKey: privateKey.toString('base64url') };
}

/** Reads and validates an existing key file. */
export function loadVapidKeys(file: string): VapidKeys {
  if (process.platform !== 'win32') {
    const mode = statSync(file).mode & 0o777;
    // A private signing key readable by others could be used to push to every subscriber.
    if ((mode & 0o077) !== 0) throw new VapidKeyFileError(file, `mode is 0${mode.toString(8)}, expected 0600 (chmod 600 it)`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new VapidKeyFileError(file, 'not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null) throw new VapidKeyFileError(file, 'not a JSON object');
  const record = parsed as Record<string, unknown>;
  if (record.v !== VAPID_FILE_VERSION) throw new VapidKeyFileError(file, `unknown version ${JSON.stringify(record.v)} (expected ${VAPID_FILE_VERSION})`);
  return checkVapidKeys({ publicKey: record.publicKey, privateKey: record.privateKey }, file);
}

/**
 * Loads the key pair, generating and storing it first if the file does not exist. Creation is
 * race-free across processes: the pair is written to a private temp file and hard-linked into
 * place, which fails if another relay got there first — then its pair is loaded instead.
 */
export function loadOrCreateVapidKeys(file: string, now: number = Date.now()): VapidKeys {
  try {
    return loadVapidKeys(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const generated = webpush.generateVAPIDKeys();
  const keys = checkVapidKeys(generated, file);
  const temp = `${file}.${process.pid}.${now}.tmp`;
  writeFileSync(temp, `${JSON.stringify({ v: VAPID_FILE_VERSION, publicKey: keys.publicKey, privateKey: keys.privateKey, createdAt: now })}\n`, { mode: 0o600, flag: 'wx' });
  try {
    chmodSync(temp, 0o600); // the umask may only narrow the mode; make it exact
    linkSync(temp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(temp);
  }
  return loadVapidKeys(file);
}
