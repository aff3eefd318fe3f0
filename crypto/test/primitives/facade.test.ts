// The facade itself: `loadCrypto` routes each operation to the backend it names in `backendOf`
// (checked by function identity, not by trusting the label), 'auto' follows the measured table,
// forced choices use one backend except where only the other implements an operation, and the
// suite is frozen and uses the injected randomness.
import { describe, expect, it } from 'vitest';
import { AUTO_ROUTES, loadBackend, loadCrypto, type BackendName, type SuiteOperation } from '../../src/primitives/index.js';
import { nobleBackend } from '../../src/primitives/noble.js';
import { SUITE_OPERATIONS } from '../../src/primitives/routes.js';
import { suites } from './suites.js';

const ML_KEM_OPS = ['mlkem1024KeyPair', 'mlkem1024Encapsulate', 'mlkem1024Decapsulate'] as const;

async function expectRoutedAsClaimed(choice: 'auto' | 'noble' | 'libsodium'): Promise<void> {
  const suite = suites[choice];
  const backends: Record<BackendName, Awaited<ReturnType<typeof loadBackend>>> = {
    noble: await loadBackend('noble'),
    libsodium: await loadBackend('libsodium'),
  };
  for (const op of SUITE_OPERATIONS) {
    if (op === 'argon2id') continue;
    const claimed = suite.backendOf[op];
    expect(suite[op], `${choice}.${op} is ${claimed}'s function`).toBe(backends[claimed][op]);
  }
}

describe('loadCrypto routing', () => {
  it('has a route for every operation and only the two real backends', () => {
    expect(new Set(SUITE_OPERATIONS).size).toBe(SUITE_OPERATIONS.length);
    for (const op of Object.keys(nobleBackend).filter((k) => k !== 'name')) expect(SUITE_OPERATIONS).toContain(op);
    for (const op of SUITE_OPERATIONS) expect(['noble', 'libsodium']).toContain(AUTO_ROUTES[op]);
  });

  it("'auto' serves each operation from the backend AUTO_ROUTES names, and says so", async () => {
    expect(suites.auto.backendOf).toEqual(AUTO_ROUTES);
    await expectRoutedAsClaimed('auto');
    expect(suites.auto.backendName).toBe(
      'auto(libsodium: x25519, ed25519, xchacha20poly1305, chacha20poly1305, sha256, sha512, hmac-sha256, hkdf-sha256, argon2id; noble: mlkem1024)',
    );
  });

  it("'auto' really uses libsodium for X25519, Ed25519, the AEADs and hashes, noble for ML-KEM", async () => {
    const sodium = await loadBackend('libsodium');
    expect(sodium.name).toBe('libsodium');
    const c = suites.auto;
    expect(c.x25519).toBe(sodium.x25519);
    expect(c.x25519).not.toBe(nobleBackend.x25519);
    expect(c.ed25519Verify).toBe(sodium.ed25519Verify);
    expect(c.xchacha20poly1305Decrypt).toBe(sodium.xchacha20poly1305Decrypt);
    expect(c.sha256).toBe(sodium.sha256);
    expect(c.sha256Hasher).toBe(sodium.sha256Hasher);
    expect(c.sha256Hasher).not.toBe(nobleBackend.sha256Hasher);
    expect(suites.noble.sha256Hasher).toBe(nobleBackend.sha256Hasher);
    expect(c.hkdfSha256).toBe(sodium.hkdfSha256);
    for (const op of ML_KEM_OPS) expect(c[op]).toBe(nobleBackend[op]);
  });

  it("'noble' uses noble for everything but Argon2id", async () => {
    await expectRoutedAsClaimed('noble');
    for (const op of SUITE_OPERATIONS) {
      expect(suites.noble.backendOf[op], op).toBe(op === 'argon2id' ? 'libsodium' : 'noble');
    }
    expect(suites.noble.x25519).toBe(nobleBackend.x25519);
    expect(suites.noble.backendName).toBe(
      'noble(noble: x25519, ed25519, xchacha20poly1305, chacha20poly1305, sha256, sha512, hmac-sha256, hkdf-sha256, mlkem1024; libsodium: argon2id)',
    );
  });

  it("'libsodium' uses libsodium for everything but ML-KEM", async () => {
    await expectRoutedAsClaimed('libsodium');
    const mlkem: readonly SuiteOperation[] = ML_KEM_OPS;
    for (const op of SUITE_OPERATIONS) {
      expect(suites.libsodium.backendOf[op], op).toBe(mlkem.includes(op) ? 'noble' : 'libsodium');
    }
    expect(suites.libsodium.x25519).not.toBe(nobleBackend.x25519);
    expect(suites.libsodium.backendName).toBe(
      'libsodium(libsodium: x25519, ed25519, xchacha20poly1305, chacha20poly1305, sha256, sha512, hmac-sha256, hkdf-sha256, argon2id; noble: mlkem1024)',
    );
  });

  it('defaults to auto and returns the same libsodium backend instance every time', async () => {
    const c = await loadCrypto();
    expect(c.backendOf).toEqual(AUTO_ROUTES);
    expect(await loadBackend('libsodium')).toBe(await loadBackend('libsodium'));
  });

  it('refuses an unknown backend choice', async () => {
    await expect(loadCrypto({ backend: 'openssl' as 'auto' })).rejects.toThrow(TypeError);
  });

  it('uses the injected randomness and is frozen', async () => {
    let calls = 0;
    const random = (length: number): Uint8Array => {
      calls++;
      return new Uint8Array(length).fill(7);
    };
    const c = await loadCrypto({ random });
    expect(c.randomBytes(4)).toEqual(new Uint8Array([7, 7, 7, 7]));
    expect(calls).toBe(1);
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.backendOf)).toBe(true);
    expect(() => {
      (c as { sha256: unknown }).sha256 = () => new Uint8Array(32);
    }).toThrow(TypeError);
  });
});
