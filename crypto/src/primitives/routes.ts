/**
 * Which backend serves which operation: the measured per-operation choice behind
 * `loadCrypto({ backend: 'auto' })`, and the names used to describe a mix in `backendName`.
 *
 * Both backends implement the same specs and pass the same vectors (RFC 7748, 8032, 8439, 5869,
 * 4231, draft-irtf-cfrg-xchacha-03, Wycheproof, FIPS 203), so the choice is about speed only.
 */
import type { BackendName, PrimitiveOperation } from './backend.js';

/** Every operation a suite offers: the backend's, plus Argon2id (libsodium only). */
export type SuiteOperation = PrimitiveOperation | 'argon2id';

/**
 * The 'auto' choice. Figures are operations per second (libsodium vs noble) through each
 * backend's own functions, input checks included, measured with a throwaway loop on the project's
 * 2-core build machine while other work ran (expect +-30% between runs; the ratios hold): Node 20,
 * libsodium-wrappers-sumo 0.8.4 (libsodium 1.0.22), @noble/curves, ciphers, hashes 2.4.0,
 * @noble/post-quantum 0.7.1. Sizes are the ones the protocol uses: 32 and 200 bytes (keys,
 * headers, messages) and 64 KiB (media chunks). docs/primitives.md has the full table; re-measure
 * when either library changes.
 *
 * The WebAssembly crossing costs less than feared: even SHA-256 of 32 bytes is faster in
 * libsodium (1.7M/s vs 0.42M/s), so libsodium serves everything it implements and noble serves
 * ML-KEM-1024, which libsodium lacks.
 */
export const AUTO_ROUTES: Readonly<Record<SuiteOperation, BackendName>> = {
  // X25519 shared secret 9,730/s vs 608/s; public key 22,300/s vs 2,630/s.
  x25519: 'libsodium',
  x25519PublicKey: 'libsodium',
  // Ed25519, 100-byte message: sign from seed 10,500/s vs 1,440/s (both derive the key each
  // time); verify 6,270/s vs 488/s; public key from seed 20,100/s vs 3,520/s.
  ed25519Sign: 'libsodium',
  ed25519Verify: 'libsodium',
  ed25519PublicKey: 'libsodium',
  // XChaCha20-Poly1305 at 32 B / 200 B / 64 KiB: seal 964k / 449k / 6,200 vs 79k / 79k / 1,380;
  // open 908k / 390k / 4,460 vs 90k / 59k / 1,820.
  xchacha20poly1305Encrypt: 'libsodium',
  xchacha20poly1305Decrypt: 'libsodium',
  // ChaCha20-Poly1305: seal 938k / 431k / 4,710 vs 69k / 73k / 1,610; open 855k / 276k / 6,510
  // vs 120k / 86k / 2,060.
  chacha20poly1305Encrypt: 'libsodium',
  chacha20poly1305Decrypt: 'libsodium',
  // SHA-256: 1,697k / 779k / 3,450 vs 423k / 292k / 2,240.
  sha256: 'libsodium',
  // Incremental SHA-256 (media digests; crypto_hash_sha256_init/update/final vs sha256.create()),
  // 64 KiB updates: 3,800 / 2,000 updates/s (250 vs 135 MB/s; 237 vs 92 MB/s inside the media
  // bench), the state living in the WebAssembly heap between updates.
  sha256Hasher: 'libsodium',
  // SHA-512: 920k / 922k / 4,400 vs 165k / 207k / 714.
  sha512: 'libsodium',
  // HMAC-SHA-256, 32-byte key (one-shot crypto_auth_hmacsha256): 532k / 411k / 3,810 vs
  // 129k / 142k / 1,680; 20-byte key (libsodium's streaming form): 595k / 367k / 3,800 vs
  // 166k / 139k / 2,170.
  hmacSha256: 'libsodium',
  // HKDF-SHA-256 (ours, on libsodium's HMAC): 32-byte IKM and salt, 64 bytes out 126k vs 52k;
  // 160-byte IKM (PQXDH-sized), zero salt, 32 bytes out 169k vs 88k.
  hkdfSha256: 'libsodium',
  // ML-KEM-1024: not in libsodium. noble: key pair 1,300/s, encapsulate 1,190/s, decapsulate 1,190/s.
  mlkem1024KeyPair: 'noble',
  mlkem1024Encapsulate: 'noble',
  mlkem1024Decapsulate: 'noble',
  // Argon2id: libsodium only; 3 passes over 64 MiB take about 0.29 s.
  argon2id: 'libsodium',
};

/** Short family names for `backendName`, e.g. 'x25519' for both X25519 operations. */
export const OPERATION_FAMILY: Readonly<Record<SuiteOperation, string>> = {
  x25519: 'x25519',
  x25519PublicKey: 'x25519',
  ed25519Sign: 'ed25519',
  ed25519Verify: 'ed25519',
  ed25519PublicKey: 'ed25519',
  xchacha20poly1305Encrypt: 'xchacha20poly1305',
  xchacha20poly1305Decrypt: 'xchacha20poly1305',
  chacha20poly1305Encrypt: 'chacha20poly1305',
  chacha20poly1305Decrypt: 'chacha20poly1305',
  sha256: 'sha256',
  sha256Hasher: 'sha256',
  sha512: 'sha512',
  hmacSha256: 'hmac-sha256',
  hkdfSha256: 'hkdf-sha256',
  mlkem1024KeyPair: 'mlkem1024',
  mlkem1024Encapsulate: 'mlkem1024',
  mlkem1024Decapsulate: 'mlkem1024',
  argon2id: 'argon2id',
};

/** Every suite operation, in table order. */
export const SUITE_OPERATIONS = Object.keys(AUTO_ROUTES) as readonly SuiteOperation[];

/** Operations that only one backend implements, whatever the choice. */
const SINGLE_SOURCE: Readonly<Partial<Record<SuiteOperation, BackendName>>> = {
  mlkem1024KeyPair: 'noble',
  mlkem1024Encapsulate: 'noble',
  mlkem1024Decapsulate: 'noble',
  argon2id: 'libsodium',
};

/** Routes that send every operation to `backend`, except those only the other one implements. */
export function routesFor(backend: BackendName): Readonly<Record<SuiteOperation, BackendName>> {
  const routes = {} as Record<SuiteOperation, BackendName>;
  for (const op of SUITE_OPERATIONS) routes[op] = SINGLE_SOURCE[op] ?? backend;
  return routes;
}

/**
 * Describes a routing, e.g. 'auto(libsodium: x25519, ed25519, ...; noble: mlkem1024)': each
 * backend with the families it serves (a family split across backends is listed under both).
 */
export function describeRoutes(label: string, routes: Readonly<Record<SuiteOperation, BackendName>>): string {
  const families = new Map<BackendName, string[]>();
  for (const op of SUITE_OPERATIONS) {
    const backend = routes[op];
    const list = families.get(backend) ?? [];
    const family = OPERATION_FAMILY[op];
    if (!list.includes(family)) list.push(family);
    families.set(backend, list);
  }
  const parts = [...families].map(([backend, list]) => `${backend}: ${list.join(', ')}`);
  return `${label}(${parts.join('; ')})`;
}
