/**
 * @sealpost/crypto — the Sealpost protocol: primitives facade, identities, prekeys, PQXDH, the
 * double ratchet and per-device sessions. Pure: no I/O, no clock, randomness injected.
 */
export { loadCrypto, systemRandom } from './primitives/index.js';
export type { CryptoSuite, LoadCryptoOptions, BackendChoice, RandomSource, Sha256Hasher } from './primitives/index.js';
export { CRYPTO_ERRORS, CryptoError } from './errors.js';
export type { CryptoErrorCode } from './errors.js';

// identity (accounts, devices, prekeys, safety numbers)
export { createAccountIdentity, encodeAccountSecret, decodeAccountSecret } from './identity/account.js';
export type { AccountIdentity } from './identity/account.js';
export { createDeviceKeys, encodeDeviceKeys, decodeDeviceKeys } from './identity/device-keys.js';
export type { DeviceKeys, DevicePublicKeys } from './identity/device-keys.js';
export { issueDeviceCertificate, signDeviceList } from './identity/account-signatures.js';
export type { AccountSigner, DeviceListContent } from './identity/account-signatures.js';
export { createSignedX25519Prekey, createOneTimePrekeys, createSignedKemPrekeys, createLastResortKemPrekey } from './identity/prekey-creation.js';
export type { CreatedPrekey, PrekeySigner } from './identity/prekey-creation.js';
export {
  encodeSignedPrekeySecret,
  decodeSignedPrekeySecret,
  encodeOneTimePrekeySecret,
  decodeOneTimePrekeySecret,
  encodeKemPrekeySecret,
  decodeKemPrekeySecret,
} from './identity/prekey-secrets.js';
export type { X25519PrekeySecret, KemPrekeySecret } from './identity/prekey-secrets.js';
export { signAuthChallenge } from './identity/auth.js';
export { verifyPrekeyBundle } from './identity/prekey-bundle.js';
export type { PrekeyBundleInput } from './identity/prekey-bundle.js';
export { computeSafetyNumber, compareScannedSafetyNumber, SAFETY_NUMBER_VERSION, SAFETY_NUMBER_ITERATIONS, SAFETY_NUMBER_DIGITS } from './identity/safety-number.js';
export type { SafetyNumber } from './identity/safety-number.js';

// sessions (pqxdh, ratchet, session)
export { pqxdhInitiate, pqxdhRespond, recordPqxdhAcceptance, encodePqxdhInitialFields, decodePqxdhInitialMessage, encodeSessionAssociatedData, isCanonicalX25519 } from './pqxdh/index.js';
export { PQXDH_VERSION, PQXDH_INFO_LABEL, MAX_ACCOUNT_ID_BYTES } from './pqxdh/index.js';
export type {
  VerifiedPrekeyBundle,
  LocalDeviceIdentity,
  DeviceAddress,
  X25519KeyPair,
  MaybePromise,
  PqxdhPrekeyStore,
  KemPrekeyPrivate,
  ConsumedPrekeys,
  PqxdhInitialFields,
  PqxdhInitiatorResult,
  PqxdhResponderInput,
  PqxdhResponderResult,
} from './pqxdh/index.js';
export { initRatchetAsInitiator, initRatchetAsResponder, ratchetEncrypt, ratchetDecrypt, encodeRatchetState, decodeRatchetState } from './ratchet/index.js';
export { MAX_SKIP, MAX_SKIPPED_KEYS, RATCHET_HEADER_VERSION, RATCHET_STATE_VERSION } from './ratchet/index.js';
export type { RatchetState } from './ratchet/index.js';
export {
  createSessionRecord,
  hasActiveSession,
  encodeSessionRecord,
  decodeSessionRecord,
  initiateSession,
  encryptForDevice,
  decryptFromDevice,
  sessionMessageKind,
  SESSION_MESSAGE_TYPE,
  SESSION_RECORD_VERSION,
  MAX_PREVIOUS_SESSIONS,
} from './session/index.js';
export type { SessionRecord, SessionState, DecryptContext, SessionDecryptResult, SessionMessageKind } from './session/index.js';

// media (stream encryption, pointers)
export {
  createMediaEncryptor,
  createMediaDecryptor,
  createMediaDigestVerifier,
  verifyMediaCiphertext,
  decryptVerifiedMedia,
  decryptMediaSource,
  decryptMedia,
  encryptMediaSource,
  encryptMedia,
  encodeMediaPointer,
  decodeMediaPointer,
  toMediaFileName,
  mediaChunkCount,
  paddedMediaSize,
  mediaCiphertextSize,
  MEDIA_STREAM_VERSION,
  MEDIA_POINTER_VERSION,
  MEDIA_CHUNK_BYTES,
  MEDIA_TAG_BYTES,
  MEDIA_CIPHERTEXT_CHUNK_BYTES,
  MEDIA_KEY_BYTES,
  MEDIA_DIGEST_BYTES,
  MEDIA_HEADER_BYTES,
  MEDIA_MAX_PLAINTEXT_BYTES,
  MEDIA_MIN_PADDED_BYTES,
  MEDIA_STREAM_LABEL,
  MEDIA_MAX_ID_CHARS,
  MEDIA_MAX_FILE_NAME_BYTES,
  MEDIA_MAX_CONTENT_TYPE_BYTES,
} from './media/index.js';
export type { MediaEncryptor, MediaEncryptOptions, MediaDecryptor, MediaDecryptOptions, MediaDigestVerifier, ByteSource, EncryptedMedia, MediaPointer, MediaPrimitives, MediaChaCha20Poly1305 } from './media/index.js';
