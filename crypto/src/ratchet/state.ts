/**
 * Double Ratchet session state and its two initialisations
 * (signal.org/docs/specifications/doubleratchet §3.2, §3.3 RatchetInitAlice / RatchetInitBob).
 *
 * The state is a plain mutable object. ratchetEncrypt advances it; ratchetDecrypt changes it only
 * after a message authenticated (decrypt.ts stages every change and commits on success).
 */
import { CryptoError, expectBytes } from '../errors.js';
import { X25519_KEY_BYTES } from '../primitives/backend.js';
import type { CryptoSuite } from '../primitives/index.js';
import type { X25519KeyPair } from '../pqxdh/types.js';
import { expectX25519PublicKey } from '../pqxdh/x25519-key.js';
import { MAX_ASSOCIATED_DATA_BYTES, ROOT_KEY_BYTES } from './constants.js';
import { kdfRootKey } from './kdf.js';
import { SkippedKeyStore } from './skipped-keys.js';

export interface ChainState {
  chainKey: Uint8Array;
  /** Number of the next message in this chain (Ns or Nr). */
  index: number;
}

/** A finished receiving chain, remembered only to tell duplicates from forgeries. */
export interface PreviousReceivingChain {
  readonly ratchetKey: Uint8Array;
  /** Every message below this number was received or had its key stored as skipped. */
  readonly nextIndex: number;
}

export interface RatchetState {
  /** Session AD (PQXDH associated data), prefixed to every header in the AEAD associated data. */
  readonly associatedData: Uint8Array;
  /** RK */
  rootKey: Uint8Array;
  /** DHs */
  sendingKeyPair: X25519KeyPair;
  /** DHr (raw X25519), unknown for the responder until the first message. */
  remoteRatchetKey: Uint8Array | undefined;
  /** CKs and Ns */
  sendingChain: ChainState | undefined;
  /** CKr and Nr */
  receivingChain: ChainState | undefined;
  /** PN */
  previousSendingChainLength: number;
  /** Newest first, at most MAX_PREVIOUS_RECEIVING_CHAINS. */
  previousReceivingChains: PreviousReceivingChain[];
  /** MKSKIPPED */
  readonly skipped: SkippedKeyStore;
}

function checkInit(sharedSecret: Uint8Array, associatedData: Uint8Array): void {
  expectBytes(sharedSecret, ROOT_KEY_BYTES, 'shared secret');
  if (associatedData.length > MAX_ASSOCIATED_DATA_BYTES) {
    throw new CryptoError('CRYPTO_ERR_INVALID_LENGTH', `associated data longer than ${MAX_ASSOCIATED_DATA_BYTES} bytes`);
  }
}

/**
 * RatchetInitAlice (§3.3): draws DHs from the suite's RNG, DHr = Bob's signed prekey,
 * (RK, CKs) = KDF_RK(SK, DH(DHs, DHr)). Alice can send at once.
 */
export function initRatchetAsInitiator(suite: CryptoSuite, sharedSecret: Uint8Array, associatedData: Uint8Array, remoteRatchetKey: Uint8Array): RatchetState {
  checkInit(sharedSecret, associatedData);
  expectX25519PublicKey(remoteRatchetKey, 'remote ratchet key');
  const secretKey = suite.randomBytes(X25519_KEY_BYTES);
  const sendingKeyPair = { publicKey: suite.x25519PublicKey(secretKey), secretKey };
  const step = kdfRootKey(suite, sharedSecret, suite.x25519(secretKey, remoteRatchetKey));
  return {
    associatedData: associatedData.slice(),
    rootKey: step.rootKey,
    sendingKeyPair,
    remoteRatchetKey: remoteRatchetKey.slice(),
    sendingChain: { chainKey: step.chainKey, index: 0 },
    receivingChain: undefined,
    previousSendingChainLength: 0,
    previousReceivingChains: [],
    skipped: new SkippedKeyStore(),
  };
}

/**
 * RatchetInitBob (§3.3): DHs = the signed prekey pair, RK = SK, no chains yet. Bob can send only
 * after Alice's first message ran the first DH ratchet step.
 */
export function initRatchetAsResponder(sharedSecret: Uint8Array, associatedData: Uint8Array, ownRatchetKeyPair: X25519KeyPair): RatchetState {
  checkInit(sharedSecret, associatedData);
  expectX25519PublicKey(ownRatchetKeyPair.publicKey, 'own ratchet key');
  expectBytes(ownRatchetKeyPair.secretKey, X25519_KEY_BYTES, 'own ratchet secret');
  return {
    associatedData: associatedData.slice(),
    rootKey: sharedSecret.slice(),
    sendingKeyPair: { publicKey: ownRatchetKeyPair.publicKey.slice(), secretKey: ownRatchetKeyPair.secretKey.slice() },
    remoteRatchetKey: undefined,
    sendingChain: undefined,
    receivingChain: undefined,
    previousSendingChainLength: 0,
    previousReceivingChains: [],
    skipped: new SkippedKeyStore(),
  };
}
