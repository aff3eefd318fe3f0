/**
 * RatchetDecrypt (signal.org/docs/specifications/doubleratchet §3.5) with the spec's advice made
 * strict: every change is staged and committed only after the AEAD tag verified (§3.5 "if an
 * exception is raised ... the message is discarded and changes to the state object are
 * discarded"), so a forged, corrupted or replayed message leaves the state exactly as it was.
 *
 * Order of the checks:
 *   1. a stored skipped key for (DH ratchet key, N): decrypt with it, then delete it;
 *   2. the current receiving chain: N below Nr is a duplicate; more than MAX_SKIP ahead is refused;
 *   3. a finished receiving chain: a duplicate (or a key long evicted); never re-derived;
 *   4. otherwise a DH ratchet step: refuse more than MAX_SKIP skips in the old or the new chain,
 *      derive, decrypt, and only then draw the next sending key pair.
 */
import { CryptoError } from '../errors.js';
import { X25519_KEY_BYTES } from '../primitives/backend.js';
import type { CryptoSuite } from '../primitives/index.js';
import { MAX_PREVIOUS_RECEIVING_CHAINS, MAX_SKIP } from './constants.js';
import { RATCHET_HEADER_BYTES, parseRatchetMessage, type ParsedRatchetMessage, type RatchetHeader } from './header.js';
import { expandMessageKey, kdfChainKey, kdfRootKey } from './kdf.js';
import type { RatchetState } from './state.js';

interface ChainWalk {
  readonly skipped: { messageIndex: number; messageKey: Uint8Array }[];
  readonly messageKey: Uint8Array | undefined;
  readonly nextChainKey: Uint8Array;
}

function sameKey(a: Uint8Array, b: Uint8Array): boolean {
  // Public keys: no need for constant time, but compare every byte of the fixed 32.
  for (let i = 0; i < X25519_KEY_BYTES; i++) if (a[i] !== b[i]) return false;
  return a.length === b.length;
}

/** Steps a chain from `from` to `until`, collecting keys of the skipped messages; if `take`, also the key for `until`. */
function walkChain(suite: CryptoSuite, chainKey: Uint8Array, from: number, until: number, take: boolean): ChainWalk {
  const skipped: { messageIndex: number; messageKey: Uint8Array }[] = [];
  let key = chainKey;
  for (let i = from; i < until; i++) {
    const step = kdfChainKey(suite, key);
    skipped.push({ messageIndex: i, messageKey: step.messageKey });
    key = step.nextChainKey;
  }
  if (!take) return { skipped, messageKey: undefined, nextChainKey: key };
  const step = kdfChainKey(suite, key);
  return { skipped, messageKey: step.messageKey, nextChainKey: step.nextChainKey };
}

function open(suite: CryptoSuite, state: RatchetState, messageKey: Uint8Array, message: ParsedRatchetMessage): Uint8Array {
  const { key, nonce } = expandMessageKey(suite, messageKey);
  const ad = new Uint8Array(state.associatedData.length + RATCHET_HEADER_BYTES);
  ad.set(state.associatedData);
  ad.set(message.headerBytes, state.associatedData.length);
  // §3.4/§3.5: the header is authenticated with the ciphertext; the backend verifies the Poly1305
  // tag before releasing any plaintext (RFC 8439 §2.8) and throws CRYPTO_ERR_DECRYPT_FAILED.
  const plaintext = suite.xchacha20poly1305Decrypt(key, nonce, message.ciphertext, ad);
  key.fill(0);
  return plaintext;
}

/**
 * Whether this state already knows the message's DH ratchet key (as current or finished receiving
 * chain, or through a stored skipped key). A session layer uses it to pick the one session a
 * message belongs to before trying DH ratchet steps on every session.
 */
export function ratchetRecognizes(state: RatchetState, header: RatchetHeader): boolean {
  if (state.remoteRatchetKey !== undefined && sameKey(state.remoteRatchetKey, header.ratchetKey)) return true;
  if (state.previousReceivingChains.some((c) => sameKey(c.ratchetKey, header.ratchetKey))) return true;
  return state.skipped.get(header.ratchetKey, header.messageIndex) !== undefined;
}

/** Decrypts a ratchet message (header || ciphertext); the state changes only on success. */
export function ratchetDecrypt(suite: CryptoSuite, state: RatchetState, message: Uint8Array): Uint8Array {
  return ratchetDecryptParsed(suite, state, parseRatchetMessage(message));
}

export function ratchetDecryptParsed(suite: CryptoSuite, state: RatchetState, message: ParsedRatchetMessage): Uint8Array {
  const { ratchetKey, previousChainLength, messageIndex } = message.header;

  // 1. TrySkippedMessageKeys (§3.5).
  const skippedKey = state.skipped.get(ratchetKey, messageIndex);
  if (skippedKey !== undefined) {
    const plaintext = open(suite, state, skippedKey, message);
    // Delete the key after use: a second copy of this message is now a duplicate.
    state.skipped.delete(ratchetKey, messageIndex);
    skippedKey.fill(0);
    return plaintext;
  }

  // 2. The current receiving chain.
  if (state.remoteRatchetKey !== undefined && sameKey(state.remoteRatchetKey, ratchetKey)) {
    const chain = state.receivingChain;
    if (chain === undefined) throw new CryptoError('CRYPTO_ERR_DECRYPT_FAILED', 'no receiving chain for this ratchet key');
    if (messageIndex < chain.index) {
      throw new CryptoError('CRYPTO_ERR_DUPLICATE_MESSAGE', `message ${messageIndex} of the current chain`);
    }
    // §3.5 SkipMessageKeys: "if state.Nr + MAX_SKIP < until: raise error".
    if (messageIndex - chain.index > MAX_SKIP) {
      throw new CryptoError('CRYPTO_ERR_TOO_MANY_SKIPPED', `${messageIndex - chain.index} skipped in one chain, limit ${MAX_SKIP}`);
    }
    const walk = walkChain(suite, chain.chainKey, chain.index, messageIndex, true);
    const plaintext = open(suite, state, walk.messageKey as Uint8Array, message);
    state.skipped.addChain(state.remoteRatchetKey, walk.skipped);
    chain.chainKey = walk.nextChainKey;
    chain.index = messageIndex + 1;
    return plaintext;
  }

  // 3. A finished receiving chain: every key below nextIndex was used or stored in step 1.
  const finished = state.previousReceivingChains.find((c) => sameKey(c.ratchetKey, ratchetKey));
  if (finished !== undefined) {
    if (messageIndex < finished.nextIndex) {
      throw new CryptoError('CRYPTO_ERR_DUPLICATE_MESSAGE', `message ${messageIndex} of a finished chain`);
    }
    throw new CryptoError('CRYPTO_ERR_DECRYPT_FAILED', 'message number beyond the end of a finished chain');
  }

  // 4. DHRatchet (§3.5), staged.
  const oldChain = state.receivingChain;
  const oldSkipUntil = oldChain === undefined ? 0 : Math.max(oldChain.index, previousChainLength);
  if (oldChain !== undefined && oldSkipUntil - oldChain.index > MAX_SKIP) {
    throw new CryptoError('CRYPTO_ERR_TOO_MANY_SKIPPED', `${oldSkipUntil - oldChain.index} skipped in the previous chain, limit ${MAX_SKIP}`);
  }
  if (messageIndex > MAX_SKIP) {
    throw new CryptoError('CRYPTO_ERR_TOO_MANY_SKIPPED', `${messageIndex} skipped in a new chain, limit ${MAX_SKIP}`);
  }
  // RFC 7748 §6.1: an all-zero DH output (low-order ratchet key) throws before anything changes.
  const receiveStep = kdfRootKey(suite, state.rootKey, suite.x25519(state.sendingKeyPair.secretKey, ratchetKey));
  const newChain = walkChain(suite, receiveStep.chainKey, 0, messageIndex, true);
  const plaintext = open(suite, state, newChain.messageKey as Uint8Array, message);

  // Authenticated: commit. Only now draw the next sending key pair (RNG use stays deterministic).
  const oldSkipped = oldChain === undefined ? undefined : walkChain(suite, oldChain.chainKey, oldChain.index, oldSkipUntil, false);
  const secretKey = suite.randomBytes(X25519_KEY_BYTES);
  const sendingKeyPair = { publicKey: suite.x25519PublicKey(secretKey), secretKey };
  const sendStep = kdfRootKey(suite, receiveStep.rootKey, suite.x25519(secretKey, ratchetKey));

  if (oldChain !== undefined && state.remoteRatchetKey !== undefined) {
    state.skipped.addChain(state.remoteRatchetKey, (oldSkipped as ChainWalk).skipped);
    state.previousReceivingChains.unshift({ ratchetKey: state.remoteRatchetKey, nextIndex: oldSkipUntil });
    if (state.previousReceivingChains.length > MAX_PREVIOUS_RECEIVING_CHAINS) state.previousReceivingChains.length = MAX_PREVIOUS_RECEIVING_CHAINS;
  }
  state.skipped.addChain(ratchetKey, newChain.skipped);
  state.previousSendingChainLength = state.sendingChain?.index ?? 0;
  state.sendingKeyPair.secretKey.fill(0);
  state.sendingKeyPair = sendingKeyPair;
  state.remoteRatchetKey = ratchetKey;
  state.rootKey = sendStep.rootKey;
  state.receivingChain = { chainKey: newChain.nextChainKey, index: messageIndex + 1 };
  state.sendingChain = { chainKey: sendStep.chainKey, index: 0 };
  return plaintext;
}
