/**
 * Seals and opens the content of every store record with XChaCha20-Poly1305
 * (draft-irtf-cfrg-xchacha; random 24-byte nonces are safe at any record count).
 *
 *   sealed = 0x01 (format) || nonce (24) || ciphertext || tag (16)
 *   AAD    = "Sealpost store record v1" || 0x00 || table length (u8) || table || row key
 *
 * The AAD binds each record to its table and row, so whoever can write the file cannot move a
 * record to another row (e.g. swap two contacts' pinned keys) without the open failing. Indexed
 * lookup columns hold keyed HMACs of the value, never the value.
 */
import { CliError } from '../errors.js';
import { concatBytes, type StoreCrypto } from './store-crypto.js';

const FORMAT = 0x01;
const NONCE_BYTES = 24;
const TAG_BYTES = 16;
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });
const AAD_LABEL = encoder.encode('Sealpost store record v1\0');

export class RecordCipher {
  constructor(
    private readonly crypto: StoreCrypto,
    private readonly recordKey: Uint8Array,
    private readonly lookupKey: Uint8Array,
  ) {}

  private aad(table: string, rowKey: Uint8Array): Uint8Array {
    const name = encoder.encode(table);
    return concatBytes(AAD_LABEL, Uint8Array.of(name.length), name, rowKey);
  }

  seal(table: string, rowKey: Uint8Array, plaintext: Uint8Array): Uint8Array {
    const nonce = this.crypto.randomBytes(NONCE_BYTES);
    const ciphertext = this.crypto.xchacha20poly1305Encrypt(this.recordKey, nonce, plaintext, this.aad(table, rowKey));
    return concatBytes(Uint8Array.of(FORMAT), nonce, ciphertext);
  }

  /** Opens a record; any failure means the file was damaged or edited (the key is verified). */
  open(table: string, rowKey: Uint8Array, sealed: Uint8Array): Uint8Array {
    if (!(sealed instanceof Uint8Array) || sealed.length < 1 + NONCE_BYTES + TAG_BYTES || sealed[0] !== FORMAT) {
      throw new CliError('CLI_ERR_STORE_CORRUPTED', `a ${table} record is malformed`);
    }
    try {
      return this.crypto.xchacha20poly1305Decrypt(this.recordKey, sealed.subarray(1, 1 + NONCE_BYTES), sealed.subarray(1 + NONCE_BYTES), this.aad(table, rowKey));
    } catch {
      throw new CliError('CLI_ERR_STORE_CORRUPTED', `a ${table} record does not authenticate`);
    }
  }

  sealJson(table: string, rowKey: Uint8Array, value: unknown): Uint8Array {
    return this.seal(table, rowKey, encoder.encode(JSON.stringify(value)));
  }

  openJson<T>(table: string, rowKey: Uint8Array, sealed: Uint8Array): T {
    const bytes = this.open(table, rowKey, sealed);
    try {
      return JSON.parse(decoder.decode(bytes)) as T;
    } catch {
      throw new CliError('CLI_ERR_STORE_CORRUPTED', `a ${table} record is not valid JSON`);
    }
  }

  /** Keyed lookup value for an indexed column: HMAC-SHA-256(lookup key, kind || 0x00 || value). */
  lookup(kind: string, value: string): Uint8Array {
    return this.crypto.hmacSha256(this.lookupKey, encoder.encode(`${kind}\0${value}`));
  }
}
