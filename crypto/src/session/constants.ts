/**
 * Session-layer constants (Sesame, signal.org/docs/specifications/sesame §3): message type
 * bytes, version bytes of the stored session state and record, and how many inactive sessions
 * a record keeps per peer device.
 */

/** Byte 0 of every session message. A new outer format gets new type values. */
export const SESSION_MESSAGE_TYPE = {
  /** PQXDH initial-message fields followed by a ratchet message (until the peer has answered). */
  PREKEY: 0x01,
  /** A ratchet message on an established session. */
  NORMAL: 0x02,
} as const;

/** Version byte of a serialized session state (one PQXDH + Double Ratchet session). */
export const SESSION_STATE_VERSION = 0x01;

/** Version byte of a serialized session record (all sessions with one peer device). */
export const SESSION_RECORD_VERSION = 0x01;

/** Inactive sessions kept per peer device besides the active one (Sesame §3.2). */
export const MAX_PREVIOUS_SESSIONS = 5;
