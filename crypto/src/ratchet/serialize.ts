/**
 * Versioned binary encoding of a {@link RatchetState} (docs/protocol-sessions.md §6), with a
 * strict decoder: unknown version, unknown flag bits, out-of-range counts or indexes,
 * non-canonical keys, duplicate skipped entries and trailing bytes are all refused.
 *
 *   u8  version (0x01; 0x02 reserved for the state with a post-quantum ratchet)
 *   u16 AD length || AD
 *   32  root key
 *   32  sending ratchet secret key || 32 sending ratchet public key
 *   u8  flags: 0x01 remote ratchet key, 0x02 receiving chain, 0x04 sending chain
 *   [32 remote ratchet key]  [32 chain key || u32 Nr]  [32 chain key || u32 Ns]
 *   u32 PN
 *   u8  finished receiving chains (≤ 64), each 32 ratchet key || u32 next index
 *   u16 skipped keys (≤ 2000), oldest first, each 32 ratchet key || u32 N || 32 message key
 */
import { CryptoError } from '../errors.js';
import { ByteReader, ByteWriter } from '../public/bytes-io.js';
import { expectX25519PublicKey } from '../pqxdh/x25519-key.js';
import {
  CHAIN_KEY_BYTES,
  MAX_ASSOCIATED_DATA_BYTES,
  MAX_MESSAGE_INDEX,
  MAX_PREVIOUS_RECEIVING_CHAINS,
  MAX_SKIPPED_KEYS,
  MESSAGE_KEY_BYTES,
  RATCHET_STATE_VERSION,
  ROOT_KEY_BYTES,
} from './constants.js';
import { SkippedKeyStore } from './skipped-keys.js';
import type { ChainState, PreviousReceivingChain, RatchetState } from './state.js';

const FLAG_REMOTE_KEY = 0x01;
const FLAG_RECEIVING_CHAIN = 0x02;
const FLAG_SENDING_CHAIN = 0x04;
const KNOWN_FLAGS = FLAG_REMOTE_KEY | FLAG_RECEIVING_CHAIN | FLAG_SENDING_CHAIN;
const WHAT = 'ratchet state';

export function encodeRatchetState(state: RatchetState): Uint8Array {
  const writer = new ByteWriter()
    .u8(RATCHET_STATE_VERSION)
    .bytes16(state.associatedData)
    .raw(state.rootKey)
    .raw(state.sendingKeyPair.secretKey)
    .raw(state.sendingKeyPair.publicKey);
  const flags = (state.remoteRatchetKey === undefined ? 0 : FLAG_REMOTE_KEY)
    | (state.receivingChain === undefined ? 0 : FLAG_RECEIVING_CHAIN)
    | (state.sendingChain === undefined ? 0 : FLAG_SENDING_CHAIN);
  writer.u8(flags);
  if (state.remoteRatchetKey !== undefined) writer.raw(state.remoteRatchetKey);
  if (state.receivingChain !== undefined) writer.raw(state.receivingChain.chainKey).u32(state.receivingChain.index);
  if (state.sendingChain !== undefined) writer.raw(state.sendingChain.chainKey).u32(state.sendingChain.index);
  writer.u32(state.previousSendingChainLength);
  writer.u8(state.previousReceivingChains.length);
  for (const chain of state.previousReceivingChains) writer.raw(chain.ratchetKey).u32(chain.nextIndex);
  writer.u16(state.skipped.size);
  for (const entry of state.skipped.entries()) writer.raw(entry.ratchetKey).u32(entry.messageIndex).raw(entry.messageKey);
  return writer.finish();
}

function invalid(detail: string): CryptoError {
  return new CryptoError('CRYPTO_ERR_INVALID_ENCODING', `${WHAT}: ${detail}`);
}

function readChain(reader: ByteReader, label: string): ChainState {
  const chainKey = reader.raw(CHAIN_KEY_BYTES, `${label} chain key`);
  const index = reader.u32(`${label} index`);
  if (index > MAX_MESSAGE_INDEX + 1) throw invalid(`${label} index out of range`);
  return { chainKey, index };
}

function readKey(reader: ByteReader, label: string): Uint8Array {
  const raw = reader.raw(32, label);
  try {
    return expectX25519PublicKey(raw, label);
  } catch {
    throw invalid(`${label} is not a canonical X25519 key`);
  }
}

export function decodeRatchetState(bytes: Uint8Array): RatchetState {
  const reader = new ByteReader(bytes, WHAT);
  const version = reader.u8('version');
  if (version !== RATCHET_STATE_VERSION) {
    throw new CryptoError('CRYPTO_ERR_UNSUPPORTED_VERSION', `${WHAT} version 0x${version.toString(16).padStart(2, '0')}`);
  }
  const associatedData = reader.bytes16('associated data', MAX_ASSOCIATED_DATA_BYTES);
  const rootKey = reader.raw(ROOT_KEY_BYTES, 'root key');
  const sendingSecret = reader.raw(32, 'sending ratchet secret key');
  const sendingPublic = readKey(reader, 'sending ratchet public key');
  const flags = reader.u8('flags');
  if ((flags & ~KNOWN_FLAGS) !== 0) throw invalid(`unknown flag bits 0x${flags.toString(16)}`);
  if ((flags & FLAG_RECEIVING_CHAIN) !== 0 && (flags & FLAG_REMOTE_KEY) === 0) throw invalid('receiving chain without a remote ratchet key');
  const remoteRatchetKey = (flags & FLAG_REMOTE_KEY) !== 0 ? readKey(reader, 'remote ratchet key') : undefined;
  const receivingChain = (flags & FLAG_RECEIVING_CHAIN) !== 0 ? readChain(reader, 'receiving') : undefined;
  const sendingChain = (flags & FLAG_SENDING_CHAIN) !== 0 ? readChain(reader, 'sending') : undefined;
  const previousSendingChainLength = reader.u32('previous chain length');

  const chainCount = reader.u8('finished chain count');
  if (chainCount > MAX_PREVIOUS_RECEIVING_CHAINS) throw invalid(`${chainCount} finished chains, limit ${MAX_PREVIOUS_RECEIVING_CHAINS}`);
  const previousReceivingChains: PreviousReceivingChain[] = [];
  for (let i = 0; i < chainCount; i++) {
    const ratchetKey = readKey(reader, 'finished chain ratchet key');
    const nextIndex = reader.u32('finished chain next index');
    if (nextIndex > MAX_MESSAGE_INDEX + 1) throw invalid('finished chain index out of range');
    previousReceivingChains.push({ ratchetKey, nextIndex });
  }

  const skippedCount = reader.u16('skipped key count');
  if (skippedCount > MAX_SKIPPED_KEYS) throw invalid(`${skippedCount} skipped keys, limit ${MAX_SKIPPED_KEYS}`);
  const skipped = new SkippedKeyStore();
  for (let i = 0; i < skippedCount; i++) {
    const ratchetKey = readKey(reader, 'skipped key ratchet key');
    const messageIndex = reader.u32('skipped key message number');
    if (messageIndex > MAX_MESSAGE_INDEX) throw invalid('skipped key message number out of range');
    const messageKey = reader.raw(MESSAGE_KEY_BYTES, 'skipped message key');
    if (!skipped.restore({ ratchetKey, messageIndex, messageKey })) throw invalid('duplicate skipped key');
  }
  reader.end();
  return {
    associatedData,
    rootKey,
    sendingKeyPair: { publicKey: sendingPublic, secretKey: sendingSecret },
    remoteRatchetKey,
    sendingChain,
    receivingChain,
    previousSendingChainLength,
    previousReceivingChains,
    skipped,
  };
}
