// Argon2id (RFC 9106) through the facade: libsodium's crypto_pwhash checked against a second
// implementation (noble's argon2id, itself anchored on the RFC 9106 §5.3 vector), served by
// libsodium on every backend choice, with its parameter checks.
import { argon2id as nobleArgon2id } from '@noble/hashes/argon2.js';
import { describe, expect, it } from 'vitest';
import {
  ARGON2ID_MAX_MEM_LIMIT_BYTES,
  ARGON2ID_MAX_OUTPUT_BYTES,
  ARGON2ID_MIN_MEM_LIMIT_BYTES,
} from '../../src/primitives/index.js';
import { ascii, CHOICES, expectCode, hex, range, repeat, suites } from './suites.js';

// RFC 9106 §5.3 Argon2id test vector (m = 32 KiB, t = 3, p = 4, with secret K and data X). The
// facade cannot take K, X or p > 1 (libsodium fixes p = 1), so this anchors the reference
// implementation the facade is then compared with.
const RFC9106_5_3 = {
  password: repeat(0x01, 32),
  salt: repeat(0x02, 16),
  secret: repeat(0x03, 8),
  associatedData: repeat(0x04, 12),
  tag: '0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659',
};

describe('Argon2id reference', () => {
  it('noble argon2id matches RFC 9106 §5.3', () => {
    const v = RFC9106_5_3;
    const tag = nobleArgon2id(v.password, v.salt, { t: 3, m: 32, p: 4, dkLen: 32, key: v.secret, personalization: v.associatedData });
    expect(tag).toEqual(hex(v.tag));
  });
});

describe.each(CHOICES)('Argon2id on %s', (choice) => {
  const c = suites[choice];

  it('is served by libsodium', () => {
    expect(c.backendOf.argon2id).toBe('libsodium');
  });

  it.each([
    { password: ascii('correct horse battery staple'), salt: range(0, 16), t: 1, kib: 8, length: 32 },
    { password: new Uint8Array(), salt: repeat(0xff, 16), t: 2, kib: 64, length: 16 },
    { password: range(0x20, 100), salt: range(0x40, 16), t: 3, kib: 256, length: 64 },
  ])('matches the RFC 9106 reference with p = 1 (t=$t, m=$kib KiB, $length bytes)', ({ password, salt, t, kib, length }) => {
    const expected = nobleArgon2id(password, salt, { t, m: kib, p: 1, dkLen: length });
    expect(c.argon2id(password, salt, t, kib * 1024, length)).toEqual(expected);
  });

  it('depends on every input', () => {
    const base = c.argon2id(ascii('pw'), range(0, 16), 1, 8192, 32);
    expect(c.argon2id(ascii('pw!'), range(0, 16), 1, 8192, 32)).not.toEqual(base);
    expect(c.argon2id(ascii('pw'), range(1, 16), 1, 8192, 32)).not.toEqual(base);
    expect(c.argon2id(ascii('pw'), range(0, 16), 2, 8192, 32)).not.toEqual(base);
    expect(c.argon2id(ascii('pw'), range(0, 16), 1, 16384, 32)).not.toEqual(base);
  });

  it('checks salt, output length and cost parameters', () => {
    const pw = ascii('pw');
    const salt = range(0, 16);
    expectCode(() => c.argon2id(pw, range(0, 15), 1, 8192, 32), 'CRYPTO_ERR_INVALID_LENGTH', 'salt 15');
    expectCode(() => c.argon2id(pw, range(0, 32), 1, 8192, 32), 'CRYPTO_ERR_INVALID_LENGTH', 'salt 32');
    expectCode(() => c.argon2id(pw, salt, 1, 8192, 15), 'CRYPTO_ERR_INVALID_LENGTH', 'length 15');
    expectCode(() => c.argon2id(pw, salt, 1, 8192, ARGON2ID_MAX_OUTPUT_BYTES + 1), 'CRYPTO_ERR_INVALID_LENGTH', 'length max+1');
    expectCode(() => c.argon2id(pw, salt, 0, 8192, 32), 'CRYPTO_ERR_INVALID_PARAMETER', 'ops 0');
    expectCode(() => c.argon2id(pw, salt, 1.5, 8192, 32), 'CRYPTO_ERR_INVALID_PARAMETER', 'ops 1.5');
    expectCode(() => c.argon2id(pw, salt, 1, ARGON2ID_MIN_MEM_LIMIT_BYTES - 1024, 32), 'CRYPTO_ERR_INVALID_PARAMETER', 'mem below min');
    expectCode(() => c.argon2id(pw, salt, 1, 8192 + 1, 32), 'CRYPTO_ERR_INVALID_PARAMETER', 'mem not whole KiB');
    expectCode(() => c.argon2id(pw, salt, 1, ARGON2ID_MAX_MEM_LIMIT_BYTES + 1024, 32), 'CRYPTO_ERR_INVALID_PARAMETER', 'mem above max');
    expect(c.argon2id(pw, salt, 1, 8192, ARGON2ID_MAX_OUTPUT_BYTES).length).toBe(ARGON2ID_MAX_OUTPUT_BYTES);
  });
});
