/**
 * The device side of a subscription: a P-256 key pair and a 16-byte auth secret (RFC 8291 §3),
 * and decryption of what the push service received with `http_ece` — a second implementation of
 * RFC 8291 aes128gcm, independent of web-push's encryption.
 */
import { createECDH, randomBytes } from 'node:crypto';
import type { ECDH } from 'node:crypto';
import ece from 'http_ece';

export class PushReceiver {
  readonly ecdh: ECDH;
  readonly authSecret: Buffer;

  constructor() {
    this.ecdh = createECDH('prime256v1');
    this.ecdh.generateKeys();
    this.authSecret = randomBytes(16);
  }

  get p256dh(): string {
    return this.ecdh.getPublicKey().toString('base64url');
  }

  get auth(): string {
    return this.authSecret.toString('base64url');
  }

  subscription(endpoint: string): { endpoint: string; p256dh: string; auth: string } {
    return { endpoint, p256dh: this.p256dh, auth: this.auth };
  }

  /** Decrypts an aes128gcm body (RFC 8291 §4) to its plaintext; throws if it does not authenticate. */
  decrypt(body: Buffer): Buffer {
    return ece.decrypt(body, { version: 'aes128gcm', privateKey: this.ecdh, authSecret: this.authSecret });
  }
}
