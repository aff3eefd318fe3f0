import { describe, expect, it } from 'vitest';
import { loadCrypto } from '../src/primitives/index.js';

describe('primitives facade', () => {
  it('round-trips XChaCha20-Poly1305 and rejects a flipped bit', async () => {
    const c = await loadCrypto();
    const key = c.randomBytes(32);
    const nonce = c.randomBytes(24);
    const ct = c.xchacha20poly1305Encrypt(key, nonce, new Uint8Array([1, 2, 3]), new Uint8Array());
    expect(c.xchacha20poly1305Decrypt(key, nonce, ct, new Uint8Array())).toEqual(new Uint8Array([1, 2, 3]));
    ct[0] = (ct[0] as number) ^ 1;
    expect(() => c.xchacha20poly1305Decrypt(key, nonce, ct, new Uint8Array())).toThrow(/Authentication failed/);
  });
});
