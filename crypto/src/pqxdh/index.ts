/**
 * PQXDH (signal.org/docs/specifications/pqxdh) with Sealpost's labels and encodings: the
 * initiator and responder computations, the initial-message format and the session AD.
 */
export { pqxdhInitiate } from './initiator.js';
export type { PqxdhInitiatorResult } from './initiator.js';
export { pqxdhRespond, recordPqxdhAcceptance, checkExpectedIdentity } from './responder.js';
export type { PqxdhResponderInput, PqxdhResponderResult } from './responder.js';
export { encodePqxdhInitialFields, decodePqxdhInitialMessage } from './initial-message.js';
export type { PqxdhInitialFields, DecodedPqxdhInitialMessage } from './initial-message.js';
export { encodeSessionAssociatedData } from './associated-data.js';
export type { AssociatedDataParties } from './associated-data.js';
export { derivePqxdhSecret, lastResortReplayDigest } from './derive.js';
export { isCanonicalX25519 } from './x25519-key.js';
export { PQXDH_VERSION, PQXDH_AD_VERSION, PQXDH_INFO_LABEL, PQXDH_REPLAY_LABEL, MAX_ACCOUNT_ID_BYTES } from './constants.js';
export type { PqxdhPrekeyStore, KemPrekeyPrivate, ConsumedPrekeys } from './prekey-store.js';
export type { VerifiedPrekeyBundle, LocalDeviceIdentity, DeviceAddress, X25519KeyPair, MaybePromise } from './types.js';
