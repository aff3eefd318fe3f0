/**
 * The bulk work of a media stream — one SHA-256 over the whole object and one AEAD per 64 KiB
 * chunk — and the faster implementations a host may inject for it (docs/media.md "Faster
 * primitives").
 *
 * crypto/ is pure (no node:* modules), so by default it uses the suite: libsodium's WebAssembly
 * under `auto` (about 250 MiB/s for XChaCha20-Poly1305 and 160-240 MiB/s for SHA-256 on the build
 * machine). A host with native implementations (the CLI: node:crypto, i.e. OpenSSL, several times
 * faster) passes them as {@link MediaPrimitives}. The format does not change: the injected pieces
 * are the standard primitives, and XChaCha20-Poly1305 is assembled from ChaCha20-Poly1305 exactly
 * as its specification defines it (draft-irtf-cfrg-xchacha-03 §2.3):
 *
 *   XChaCha20-Poly1305(K, N) = ChaCha20-Poly1305(HChaCha20(K, N[0..16)), 0x00000000 ‖ N[16..24))
 *
 * HChaCha20 runs here (a few lines, once per stream in practice: the first 16 bytes of
 * every chunk nonce are zeros but for the counter's top byte, which is zero below 2^56 chunks).
 * crypto/test/media/media-primitives.test.ts checks byte equality with the suite's
 * XChaCha20-Poly1305 in both directions.
 */
import { CryptoError } from '../errors.js';
import type { CryptoSuite, Sha256Hasher } from '../primitives/index.js';
import { chunkNonce } from './stream-keys.js';

/** ChaCha20-Poly1305 as in RFC 8439 §2.8 (32-byte key, 12-byte nonce), with empty AAD. */
export interface MediaChaCha20Poly1305 {
  /**
   * Returns the ciphertext (as long as the plaintext) and the 16-byte tag; the sealed chunk is
   * ciphertext ‖ tag. Two arrays, so that an implementation need not copy them into one.
   */
  seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array): { readonly ciphertext: Uint8Array; readonly tag: Uint8Array };
  /**
   * Returns the plaintext of ciphertext ‖ tag, or throws when the tag does not verify. Nothing it
   * returns may come from an unverified tag.
   */
  open(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array): Uint8Array;
}

/** Implementations a host injects for the bulk work of media streams; each part optional. */
export interface MediaPrimitives {
  /** A fresh incremental SHA-256 (FIPS 180-4). Default: the suite's `sha256Hasher()`. */
  readonly sha256Hasher?: () => Sha256Hasher;
  /** RFC 8439 ChaCha20-Poly1305. Default: the suite's XChaCha20-Poly1305 per chunk. */
  readonly chacha20poly1305?: MediaChaCha20Poly1305;
}

/** A fresh SHA-256: the injected one, or the suite's. */
export function mediaHasher(suite: CryptoSuite, primitives: MediaPrimitives | undefined): Sha256Hasher {
  return primitives?.sha256Hasher?.() ?? suite.sha256Hasher();
}

/** Seals and opens the chunks of one stream under its payload key. */
export interface ChunkCipher {
  /**
   * XChaCha20-Poly1305 of chunk `index` (nonce = chunkNonce(index, last)): ciphertext ‖ tag, as
   * one or more pieces to be taken in order.
   */
  seal(index: number, last: boolean, plaintext: Uint8Array): Uint8Array[];
  /** The inverse; throws when the chunk does not authenticate as (index, last). */
  open(index: number, last: boolean, sealed: Uint8Array): Uint8Array;
  /** Zeroes the key material it holds. */
  wipe(): void;
}

const EMPTY = new Uint8Array(0);

function rotl(x: number, n: number): number {
  return (x << n) | (x >>> (32 - n));
}

/**
 * HChaCha20 (draft-irtf-cfrg-xchacha-03 §2.2): a 32-byte subkey from a 32-byte key and a 16-byte
 * input — the ChaCha20 block function's 20 rounds without the final addition, keeping state words
 * 0..3 and 12..15. Words are read and written little-endian explicitly (host-independent).
 * Checked against the draft's test vector and the suite's XChaCha20-Poly1305.
 */
export function hchacha20(key: Uint8Array, input: Uint8Array): Uint8Array {
  const k = new DataView(key.buffer, key.byteOffset, 32);
  const n = new DataView(input.buffer, input.byteOffset, 16);
  // "expand 32-byte k" ‖ key ‖ input (RFC 8439 §2.3 state layout)
  const x = new Uint32Array(16);
  x[0] = 0x61707865;
  x[1] = 0x3320646e;
  x[2] = 0x79622d32;
  x[3] = 0x6b206574;
  for (let i = 0; i < 8; i++) x[4 + i] = k.getUint32(4 * i, true);
  for (let i = 0; i < 4; i++) x[12 + i] = n.getUint32(4 * i, true);
  const quarter = (a: number, b: number, c: number, d: number): void => {
    x[a] = (x[a] as number) + (x[b] as number);
    x[d] = rotl((x[d] as number) ^ (x[a] as number), 16);
    x[c] = (x[c] as number) + (x[d] as number);
    x[b] = rotl((x[b] as number) ^ (x[c] as number), 12);
    x[a] = (x[a] as number) + (x[b] as number);
    x[d] = rotl((x[d] as number) ^ (x[a] as number), 8);
    x[c] = (x[c] as number) + (x[d] as number);
    x[b] = rotl((x[b] as number) ^ (x[c] as number), 7);
  };
  for (let round = 0; round < 10; round++) {
    quarter(0, 4, 8, 12);
    quarter(1, 5, 9, 13);
    quarter(2, 6, 10, 14);
    quarter(3, 7, 11, 15);
    quarter(0, 5, 10, 15);
    quarter(1, 6, 11, 12);
    quarter(2, 7, 8, 13);
    quarter(3, 4, 9, 14);
  }
  const out = new Uint8Array(32);
  const view = new DataView(out.buffer);
  for (let i = 0; i < 4; i++) view.setUint32(4 * i, x[i] as number, true);
  for (let i = 0; i < 4; i++) view.setUint32(16 + 4 * i, x[12 + i] as number, true);
  x.fill(0);
  return out;
}

/** The chunk cipher of one stream: the suite's XChaCha20-Poly1305, or the injected ChaCha20-Poly1305. */
export function createChunkCipher(suite: CryptoSuite, payloadKey: Uint8Array, primitives: MediaPrimitives | undefined): ChunkCipher {
  const aead = primitives?.chacha20poly1305;
  if (aead === undefined) {
    return {
      seal: (index, last, plaintext) => [suite.xchacha20poly1305Encrypt(payloadKey, chunkNonce(index, last), plaintext, EMPTY)],
      open: (index, last, sealed) => suite.xchacha20poly1305Decrypt(payloadKey, chunkNonce(index, last), sealed, EMPTY),
      wipe: () => payloadKey.fill(0),
    };
  }
  // The subkey depends on nonce bytes 0..15 only: 15 zeros and the counter's top byte (byte 15).
  let subkey: Uint8Array | undefined;
  let subkeyPrefix = -1;
  const ietfNonce = new Uint8Array(12);
  function prepare(index: number, last: boolean): Uint8Array {
    const nonce = chunkNonce(index, last);
    const prefix = nonce[15] as number;
    if (subkey === undefined || prefix !== subkeyPrefix) {
      subkey?.fill(0);
      subkey = hchacha20(payloadKey, nonce.subarray(0, 16));
      subkeyPrefix = prefix;
    }
    // 0x00000000 ‖ N[16..24)
    ietfNonce.set(nonce.subarray(16, 24), 4);
    return subkey;
  }
  return {
    seal(index, last, plaintext) {
      const key = prepare(index, last);
      const { ciphertext, tag } = aead.seal(key, ietfNonce, plaintext);
      if (ciphertext.length !== plaintext.length || tag.length !== 16) throw new CryptoError('CRYPTO_ERR_INVALID_PARAMETER', 'the injected ChaCha20-Poly1305 returned a wrong length');
      return [ciphertext, tag];
    },
    open(index, last, sealed) {
      const key = prepare(index, last);
      return aead.open(key, ietfNonce, sealed);
    },
    wipe() {
      payloadKey.fill(0);
      subkey?.fill(0);
      subkey = undefined;
    },
  };
}
