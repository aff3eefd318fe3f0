/**
 * @sealpost/crypto/public — public structures only: encodings and signature checks of device
 * certificates, device lists, signed prekeys and relay auth challenges. This is all the relay may
 * import from the crypto package; nothing reachable from here can decrypt (a lint rule enforces
 * that this folder imports only itself, errors.ts, primitives/bytes.ts, noble's Ed25519 and hashes).
 */
export { KEY_TYPE, encodePublicKey, decodePublicKey, encodedKeyLength, toBase64Url, fromBase64Url } from './keys.js';
export type { KeyType } from './keys.js';
export { ByteReader, ByteWriter } from './bytes-io.js';
export { ACCOUNT_ID_PREFIX, accountIdFromAccountKey, accountIdMatchesKey, isAccountId } from './account-id.js';
export { SIGNATURE_CONTEXT, SIGNATURE_BYTES, signedMessage, verifyEd25519 } from './signature.js';
export type { Ed25519Verifier, SignatureContext } from './signature.js';
export { STRUCTURE_TYPE, STRUCTURE_VERSION, withSignature } from './structure.js';
export { encodeDeviceCertificateBody, verifyDeviceCertificate } from './device-certificate.js';
export type { DeviceCertificate, DeviceCertificateFields } from './device-certificate.js';
export { MAX_DEVICE_LIST_ENTRIES, encodeDeviceListBody, sortDeviceEntries, verifyDeviceList } from './device-list.js';
export type { DeviceList, DeviceListEntry, DeviceListFields, VerifyDeviceListOptions } from './device-list.js';
export { encodeSignedPrekeyBody, verifySignedPrekey, encodeOneTimePrekey, decodeOneTimePrekey } from './prekeys.js';
export type { SignedPrekey, SignedPrekeyFields, SignedPrekeyKind, OneTimePrekey } from './prekeys.js';
export { AUTH_NONCE_BYTES, authChallengeMessage, verifyAuthSignature } from './auth.js';
export type { AuthChallenge } from './auth.js';
export { CryptoError, CRYPTO_ERRORS } from '../errors.js';
export type { CryptoErrorCode } from '../errors.js';
export { toHex, fromHex, constantTimeEqual } from '../primitives/bytes.js';
