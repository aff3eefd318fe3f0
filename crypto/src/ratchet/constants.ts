/**
 * Double Ratchet constants (signal.org/docs/specifications/doubleratchet §3, §5.2 "MAX_SKIP"):
 * labels, version bytes and the limits that bound memory and work per message.
 */
import { utf8 } from '../primitives/bytes.js';

/** Version byte of the ratchet message header (byte 0 of every ratchet message). */
export const RATCHET_HEADER_VERSION = 0x01;

/**
 * Version byte of the serialized ratchet state. 0x01 is the classic Double Ratchet; 0x02 is
 * reserved for the state extended with a post-quantum ratchet (SPQR, Double Ratchet rev. 3).
 */
export const RATCHET_STATE_VERSION = 0x01;

/** KDF_RK info (§5.2: HKDF with the root key as salt and the DH output as input key material). */
export const RATCHET_ROOT_LABEL = 'Sealpost_Ratchet_Root_v1';
export const RATCHET_ROOT_INFO = utf8(RATCHET_ROOT_LABEL);

/** Info for expanding a message key into the AEAD key and nonce (§5.2 ENCRYPT recommendation). */
export const RATCHET_MESSAGE_LABEL = 'Sealpost_Ratchet_MessageKeys_v1';
export const RATCHET_MESSAGE_INFO = utf8(RATCHET_MESSAGE_LABEL);

/** KDF_CK constants (§5.2): message key = HMAC(CK, 0x01), next chain key = HMAC(CK, 0x02). */
export const CHAIN_MESSAGE_KEY_INPUT = Uint8Array.of(0x01);
export const CHAIN_NEXT_KEY_INPUT = Uint8Array.of(0x02);

/** Most messages one incoming message may skip in a single chain (§4 "MAX_SKIP"). */
export const MAX_SKIP = 1000;

/** Most skipped message keys kept per session; the oldest is evicted first. */
export const MAX_SKIPPED_KEYS = 2000;

/** Finished receiving chains remembered so a late duplicate is reported as a duplicate. */
export const MAX_PREVIOUS_RECEIVING_CHAINS = 64;

/** Largest message number: the chain index after it must still fit a u32. */
export const MAX_MESSAGE_INDEX = 0xfffffffe;

/** Longest session associated data accepted (the PQXDH AD is at most 587 bytes). */
export const MAX_ASSOCIATED_DATA_BYTES = 1024;

export const ROOT_KEY_BYTES = 32;
export const CHAIN_KEY_BYTES = 32;
export const MESSAGE_KEY_BYTES = 32;
