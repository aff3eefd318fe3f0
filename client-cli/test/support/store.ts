/** A real sealed store in a temp directory, on the real crypto suite with test-only KDF parameters. */
import { join } from 'node:path';
import { loadCrypto, type CryptoSuite } from '@sealpost/crypto';
import { accountIdFromAccountKey } from '@sealpost/crypto/public';
import { TEST_KDF } from '../../src/store/kdf.js';
import { SealedStore } from '../../src/store/sealed-store.js';

let suite: Promise<CryptoSuite> | undefined;

export function testCrypto(): Promise<CryptoSuite> {
  suite ??= loadCrypto();
  return suite;
}

export async function createTestStore(dir: string, passphrase = 'correct horse'): Promise<{ store: SealedStore; file: string }> {
  const file = join(dir, 'sealpost.db');
  const store = SealedStore.create({ file, passphrase, crypto: await testCrypto(), params: TEST_KDF });
  return { store, file };
}

export async function openTestStore(file: string, passphrase = 'correct horse'): Promise<SealedStore> {
  return SealedStore.open({ file, passphrase, crypto: await testCrypto() });
}

/** A valid account id (correct checksum) derived from a throwaway key. */
export function testAccountId(seed: number): string {
  return accountIdFromAccountKey(new Uint8Array(32).fill(seed));
}
