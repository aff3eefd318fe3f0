/**
 * The three Double Ratchet KDFs (signal.org/docs/specifications/doubleratchet §5.2):
 *
 *   KDF_RK(rk, dh) = HKDF-SHA-256(salt = rk, ikm = dh, info = "Sealpost_Ratchet_Root_v1", 64)
 *                    -> (new root key, chain key)
 *   KDF_CK(ck)     = (HMAC-SHA-256(ck, 0x01) message key, HMAC-SHA-256(ck, 0x02) next chain key)
 *   message key    -> HKDF-SHA-256(salt = 32 zero bytes, ikm = mk,
 *                    info = "Sealpost_Ratchet_MessageKeys_v1", 56) -> AEAD key (32) || nonce (24)
 */
import { AEAD_KEY_BYTES, XCHACHA_NONCE_BYTES } from '../primitives/backend.js';
import type { CryptoSuite } from '../primitives/index.js';
import {
  CHAIN_MESSAGE_KEY_INPUT,
  CHAIN_NEXT_KEY_INPUT,
  RATCHET_MESSAGE_INFO,
  RATCHET_ROOT_INFO,
  ROOT_KEY_BYTES,
} from './constants.js';

const ZERO_SALT = new Uint8Array(32);

export interface RootStep {
  readonly rootKey: Uint8Array;
  readonly chainKey: Uint8Array;
}

export function kdfRootKey(suite: CryptoSuite, rootKey: Uint8Array, dhOutput: Uint8Array): RootStep {
  const out = suite.hkdfSha256(dhOutput, rootKey, RATCHET_ROOT_INFO, 2 * ROOT_KEY_BYTES);
  return { rootKey: out.slice(0, ROOT_KEY_BYTES), chainKey: out.slice(ROOT_KEY_BYTES) };
}

export interface ChainStep {
  readonly messageKey: Uint8Array;
  readonly nextChainKey: Uint8Array;
}

export function kdfChainKey(suite: CryptoSuite, chainKey: Uint8Array): ChainStep {
  return {
    messageKey: suite.hmacSha256(chainKey, CHAIN_MESSAGE_KEY_INPUT),
    nextChainKey: suite.hmacSha256(chainKey, CHAIN_NEXT_KEY_INPUT),
  };
}

export interface MessageKeyMaterial {
  readonly key: Uint8Array;
  readonly nonce: Uint8Array;
}

export function expandMessageKey(suite: CryptoSuite, messageKey: Uint8Array): MessageKeyMaterial {
  const out = suite.hkdfSha256(messageKey, ZERO_SALT, RATCHET_MESSAGE_INFO, AEAD_KEY_BYTES + XCHACHA_NONCE_BYTES);
  return { key: out.subarray(0, AEAD_KEY_BYTES), nonce: out.subarray(AEAD_KEY_BYTES) };
}
