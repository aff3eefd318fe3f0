/**
 * PQXDH constants: version byte, KDF info string and the limits on the inputs we encode
 * (signal.org/docs/specifications/pqxdh §2.2 "Parameters" and §3.3 KDF).
 */
import { utf8 } from '../primitives/bytes.js';

/** Version byte of the PQXDH initial message (byte 0). */
export const PQXDH_VERSION = 0x01;

/** Version byte of the session associated-data encoding. */
export const PQXDH_AD_VERSION = 0x01;

/** HKDF info for SK (PQXDH §2.2: an application-specific info string of at least 8 bytes). */
export const PQXDH_INFO_LABEL = 'Sealpost_PQXDH_X25519_SHA-256_ML-KEM-1024_v1';
export const PQXDH_INFO = utf8(PQXDH_INFO_LABEL);

/** Domain label of the last-resort replay digest: SHA-256(label || EncodeEC(EK_A) || CT). */
export const PQXDH_REPLAY_LABEL = 'Sealpost_PQXDH_LastResortReplay_v1';
export const PQXDH_REPLAY_PREFIX = utf8(PQXDH_REPLAY_LABEL);

/** PQXDH §3.3: F is 32 0xFF bytes for X25519, prepended so the KDF input never starts like a DH output. */
export const PQXDH_F = new Uint8Array(32).fill(0xff);

/** PQXDH §3.3: the HKDF salt is a zero-filled byte sequence as long as the hash output. */
export const PQXDH_SALT = new Uint8Array(32);

/** Length of SK, the shared secret handed to the Double Ratchet as its first root key. */
export const PQXDH_SECRET_BYTES = 32;

/** Account ids are short printable strings; 255 UTF-8 bytes bounds them in every encoding. */
export const MAX_ACCOUNT_ID_BYTES = 255;
