/**
 * The Double Ratchet (signal.org/docs/specifications/doubleratchet) with Sealpost's KDF labels,
 * header format and bounded skipped-key storage.
 */
export { initRatchetAsInitiator, initRatchetAsResponder } from './state.js';
export type { RatchetState, ChainState, PreviousReceivingChain } from './state.js';
export { ratchetEncrypt } from './encrypt.js';
export { ratchetDecrypt, ratchetDecryptParsed, ratchetRecognizes } from './decrypt.js';
export { parseRatchetMessage, encodeRatchetHeader, RATCHET_HEADER_BYTES } from './header.js';
export type { RatchetHeader, ParsedRatchetMessage } from './header.js';
export { encodeRatchetState, decodeRatchetState } from './serialize.js';
export { kdfRootKey, kdfChainKey, expandMessageKey } from './kdf.js';
export { SkippedKeyStore } from './skipped-keys.js';
export type { SkippedKey } from './skipped-keys.js';
export {
  MAX_SKIP,
  MAX_SKIPPED_KEYS,
  MAX_PREVIOUS_RECEIVING_CHAINS,
  RATCHET_HEADER_VERSION,
  RATCHET_STATE_VERSION,
  RATCHET_ROOT_LABEL,
  RATCHET_MESSAGE_LABEL,
} from './constants.js';
