import { createAccountIdentity, createDeviceKeys, loadCrypto, signDeviceList, type CryptoSuite } from '@sealpost/crypto';
import { accountIdFromAccountKey } from '@sealpost/crypto/public';
import { describe, expect, it } from 'vitest';
import { acceptDeviceList, contactDeviceList, contactLink, parseContactRef } from '../../src/session/contact-directory.js';
import type { ContactRecord } from '../../src/store/records.js';

const id = accountIdFromAccountKey(new Uint8Array(32).fill(4));

describe('parseContactRef', () => {
  it('tells account ids, links and usernames apart', () => {
    expect(parseContactRef(id)).toEqual({ accountId: id });
    expect(parseContactRef(contactLink(id))).toEqual({ accountId: id });
    expect(parseContactRef(`sealpost://contact/${id}`)).toEqual({ accountId: id });
    expect(parseContactRef('@Bob')).toEqual({ username: 'Bob' });
    expect(parseContactRef('bob')).toEqual({ username: 'bob' });
  });

  it('refuses an account id with a typo instead of treating it as a username', () => {
    const typo = `${id.slice(0, -1)}${id.endsWith('a') ? 'b' : 'a'}`;
    expect(() => parseContactRef(typo)).toThrow(expect.objectContaining({ code: 'CLI_ERR_INVALID_ARGUMENT' }));
    expect(() => parseContactRef(`sealpost:${typo}`)).toThrow(expect.objectContaining({ code: 'CLI_ERR_INVALID_ARGUMENT' }));
    expect(() => parseContactRef('  ')).toThrow(expect.objectContaining({ code: 'CLI_ERR_INVALID_ARGUMENT' }));
  });
});

describe('device list verification', () => {
  /** The suite with its ed25519Verify wrapped: counts calls, and can be told to refuse. */
  async function spiedSuite(): Promise<{ suite: CryptoSuite; calls: () => number; refuse: (yes: boolean) => void }> {
    const real = await loadCrypto();
    let calls = 0;
    let refusing = false;
    const suite: CryptoSuite = {
      ...real,
      ed25519Verify: (signature, message, publicKey) => {
        calls++;
        return !refusing && real.ed25519Verify(signature, message, publicKey);
      },
    };
    return { suite, calls: () => calls, refuse: (yes) => (refusing = yes) };
  }

  it("goes through the suite's ed25519Verify (libsodium), not noble, and still refuses a bad signature", async () => {
    const { suite, calls, refuse } = await spiedSuite();
    const account = createAccountIdentity(suite);
    const keys = createDeviceKeys(suite);
    const bytes = signDeviceList(suite, account, { version: 2, issuedAt: 1, devices: [{ deviceId: 1, deviceSigningKey: keys.signingKey, deviceIdentityKey: keys.identityDhKey }] });

    expect(acceptDeviceList(suite, bytes, account.accountKey, 1).version).toBe(2);
    expect(calls()).toBe(1);
    const contact = { deviceList: Buffer.from(bytes).toString('base64url'), pinnedAccountKey: Buffer.from(account.accountKey).toString('base64url') } as ContactRecord;
    expect(contactDeviceList(suite, contact)?.version).toBe(2);
    expect(calls()).toBe(2);

    const forged = bytes.slice();
    forged[forged.length - 1] = (forged[forged.length - 1] as number) ^ 1;
    expect(() => acceptDeviceList(suite, forged, account.accountKey, 1)).toThrow(expect.objectContaining({ code: 'CLI_ERR_DEVICE_LIST_INVALID' }));
    expect(calls()).toBe(3);
    // The suite's verdict decides: a valid list is refused when its verifier says no.
    refuse(true);
    expect(() => acceptDeviceList(suite, bytes, account.accountKey, 1)).toThrow(expect.objectContaining({ code: 'CLI_ERR_DEVICE_LIST_INVALID' }));
    expect(() => contactDeviceList(suite, contact)).toThrow(expect.objectContaining({ code: 'CRYPTO_ERR_BAD_SIGNATURE' }));
  });
});
