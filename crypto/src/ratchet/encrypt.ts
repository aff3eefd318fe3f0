/**
 * RatchetEncrypt (signal.org/docs/specifications/doubleratchet §3.4): one KDF_CK step, header,
 * and XChaCha20-Poly1305 with associated data = session AD || header. The message key is used
 * once and never stored.
 */
import { CryptoError } from '../errors.js';
import type { CryptoSuite } from '../primitives/index.js';
import { MAX_MESSAGE_INDEX } from './constants.js';
import { RATCHET_HEADER_BYTES, encodeRatchetHeader } from './header.js';
import { expandMessageKey, kdfChainKey } from './kdf.js';
import type { RatchetState } from './state.js';

export function ratchetEncrypt(suite: CryptoSuite, state: RatchetState, plaintext: Uint8Array): Uint8Array {
  const chain = state.sendingChain;
  if (chain === undefined) {
    throw new CryptoError('CRYPTO_ERR_NO_SESSION', 'the responder cannot send before the first message arrived');
  }
  if (chain.index > MAX_MESSAGE_INDEX) {
    throw new CryptoError('CRYPTO_ERR_NO_SESSION', 'sending chain exhausted (2^32 - 1 messages); start a new session');
  }
  const { messageKey, nextChainKey } = kdfChainKey(suite, chain.chainKey);
  const header = encodeRatchetHeader(state.sendingKeyPair.publicKey, state.previousSendingChainLength, chain.index);
  const { key, nonce } = expandMessageKey(suite, messageKey);
  const ad = new Uint8Array(state.associatedData.length + RATCHET_HEADER_BYTES);
  ad.set(state.associatedData);
  ad.set(header, state.associatedData.length);
  const sealed = suite.xchacha20poly1305Encrypt(key, nonce, plaintext, ad);
  key.fill(0);
  messageKey.fill(0);
  chain.chainKey = nextChainKey;
  chain.index += 1;
  const out = new Uint8Array(RATCHET_HEADER_BYTES + sealed.length);
  out.set(header);
  out.set(sealed, RATCHET_HEADER_BYTES);
  return out;
}
