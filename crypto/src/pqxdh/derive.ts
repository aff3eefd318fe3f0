/**
 * The PQXDH key derivation (PQXDH §3.3):
 *
 *   SK = HKDF-SHA-256(salt = 32 zero bytes, ikm = F || DH1 || DH2 || DH3 [|| DH4] || SS,
 *                     info = "Sealpost_PQXDH_X25519_SHA-256_ML-KEM-1024_v1", L = 32)
 *
 * and the digest that identifies an initial message on a last-resort KEM key (PQXDH §4.2).
 */
import type { CryptoSuite } from '../primitives/index.js';
import { concatBytes } from '../primitives/bytes.js';
import { PQXDH_F, PQXDH_INFO, PQXDH_REPLAY_PREFIX, PQXDH_SALT, PQXDH_SECRET_BYTES } from './constants.js';
import { encodeX25519 } from './x25519-key.js';

export function derivePqxdhSecret(suite: CryptoSuite, dhOutputs: readonly Uint8Array[], kemSecret: Uint8Array): Uint8Array {
  const ikm = concatBytes(PQXDH_F, ...dhOutputs, kemSecret);
  const secret = suite.hkdfSha256(ikm, PQXDH_SALT, PQXDH_INFO, PQXDH_SECRET_BYTES);
  // Best-effort erasure of the key material we own (JavaScript gives no stronger guarantee).
  ikm.fill(0);
  for (const dh of dhOutputs) dh.fill(0);
  kemSecret.fill(0);
  return secret;
}

/** SHA-256("Sealpost_PQXDH_LastResortReplay_v1" || EncodeEC(EK_A) || CT): fixed-size fields, unambiguous. */
export function lastResortReplayDigest(suite: CryptoSuite, ephemeralKey: Uint8Array, kemCiphertext: Uint8Array): Uint8Array {
  return suite.sha256(concatBytes(PQXDH_REPLAY_PREFIX, encodeX25519(ephemeralKey), kemCiphertext));
}
