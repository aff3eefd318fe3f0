/**
 * The media stream's bulk primitives on node:crypto (OpenSSL), injected into @sealpost/crypto's
 * media functions (docs/media.md "Faster primitives"). crypto/ is pure and runs libsodium's
 * WebAssembly by default; OpenSSL's SHA-256 (SHA-NI) and ChaCha20-Poly1305 (AVX2/AVX-512) are
 * several times faster on a 256 MiB file, and the output is the same byte for byte: these are the
 * standard primitives, and @sealpost/crypto builds XChaCha20-Poly1305 from ChaCha20-Poly1305
 * itself (HChaCha20 subkey, draft-irtf-cfrg-xchacha-03 §2.3). Tests in
 * client-cli/test/session/media-primitives.test.ts cross-check both directions against the suite.
 */
import { createCipheriv, createDecipheriv, createHash, type Hash } from 'node:crypto';
import { CryptoError, type MediaPrimitives, type Sha256Hasher } from '@sealpost/crypto';

const TAG_BYTES = 16;

function nodeSha256Hasher(): Sha256Hasher {
  let hash: Hash | undefined = createHash('sha256');
  const spent = (): never => {
    throw new CryptoError('CRYPTO_ERR_INVALID_PARAMETER', 'this SHA-256 hasher has already produced its digest');
  };
  return {
    update(data) {
      if (hash === undefined) spent();
      (hash as Hash).update(data);
    },
    digest() {
      if (hash === undefined) return spent();
      const out = new Uint8Array(hash.digest());
      hash = undefined;
      return out;
    },
  };
}

/** SHA-256 and ChaCha20-Poly1305 (RFC 8439) from node:crypto. */
export const nodeMediaPrimitives: MediaPrimitives = {
  sha256Hasher: nodeSha256Hasher,
  chacha20poly1305: {
    seal(key, nonce, plaintext) {
      const cipher = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: TAG_BYTES });
      const ciphertext = cipher.update(plaintext);
      cipher.final();
      return { ciphertext, tag: cipher.getAuthTag() };
    },
    open(key, nonce, sealed) {
      if (sealed.length < TAG_BYTES) throw new CryptoError('CRYPTO_ERR_DECRYPT_FAILED');
      const body = sealed.length - TAG_BYTES;
      const decipher = createDecipheriv('chacha20-poly1305', key, nonce, { authTagLength: TAG_BYTES });
      decipher.setAuthTag(sealed.subarray(body));
      // OpenSSL decrypts as it authenticates; `final()` compares the tag. The bytes are returned
      // (released) only after it passed, and wiped when it did not.
      const plain = decipher.update(sealed.subarray(0, body));
      try {
        decipher.final();
      } catch {
        plain.fill(0);
        throw new CryptoError('CRYPTO_ERR_DECRYPT_FAILED');
      }
      return plain;
    },
  },
};
