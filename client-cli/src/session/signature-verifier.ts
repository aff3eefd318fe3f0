/**
 * The Ed25519 verifier the client hands to @sealpost/crypto/public's verification functions
 * (device lists, signed prekeys): the primitives suite's `ed25519Verify` — libsodium, already
 * loaded for Argon2id — instead of the public module's default, noble, whose first verification
 * in a process builds a precomputation table (40–80 ms of a command's cold start). Both are strict
 * RFC 8032 verifiers with the same verdict on every Wycheproof vector (crypto's test suite). The
 * relay keeps noble: it never loads libsodium.
 */
import type { CryptoSuite } from '@sealpost/crypto';
import type { Ed25519Verifier } from '@sealpost/crypto/public';

export function suiteVerifier(suite: CryptoSuite): Ed25519Verifier {
  return (signature, message, publicKey) => suite.ed25519Verify(signature, message, publicKey);
}
