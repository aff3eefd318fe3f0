/**
 * PQXDH, initiator side (PQXDH §3.3 "Sending the initial message").
 *
 * Given a verified bundle for Bob's device, Alice draws EK_A and the ML-KEM encapsulation
 * randomness from the suite's RNG (in that order), computes
 *   DH1 = DH(IK_A, SPK_B), DH2 = DH(EK_A, IK_B), DH3 = DH(EK_A, SPK_B), DH4 = DH(EK_A, OPK_B),
 *   (CT, SS) = ML-KEM-1024.Encaps(PQPK_B),
 * derives SK (derive.ts) and the associated data, and returns the initial-message fields.
 */
import { expectBytes } from '../errors.js';
import { MLKEM1024_PUBLIC_KEY_BYTES, MLKEM_SHARED_SECRET_BYTES, X25519_KEY_BYTES } from '../primitives/backend.js';
import type { CryptoSuite } from '../primitives/index.js';
import { checkDeviceAddress, checkKeyId } from './address.js';
import { encodeSessionAssociatedData } from './associated-data.js';
import { derivePqxdhSecret } from './derive.js';
import { encodePqxdhInitialFields, type PqxdhInitialFields } from './initial-message.js';
import type { LocalDeviceIdentity, VerifiedPrekeyBundle } from './types.js';
import { expectX25519PublicKey } from './x25519-key.js';

export interface PqxdhInitiatorResult {
  /** SK: the Double Ratchet's first root key. */
  readonly sharedSecret: Uint8Array;
  readonly associatedData: Uint8Array;
  readonly fields: PqxdhInitialFields;
  /** Version byte and fields, ready to prefix the first ratchet messages. */
  readonly encodedFields: Uint8Array;
  /** IK_B, raw. */
  readonly remoteIdentityDhKey: Uint8Array;
  /** SPK_B, raw: the responder's first ratchet public key (Double Ratchet §3.3 with X3DH/PQXDH). */
  readonly remoteSignedPrekey: Uint8Array;
}

function checkBundle(bundle: VerifiedPrekeyBundle): void {
  checkDeviceAddress(bundle, 'prekey bundle');
  expectX25519PublicKey(bundle.identityDhKey, 'IK_B');
  checkKeyId(bundle.signedPrekey.keyId, 'signed prekey id');
  expectX25519PublicKey(bundle.signedPrekey.publicKey, 'SPK_B');
  if (bundle.oneTimePrekey !== undefined) {
    checkKeyId(bundle.oneTimePrekey.keyId, 'one-time prekey id');
    expectX25519PublicKey(bundle.oneTimePrekey.publicKey, 'OPK_B');
  }
  checkKeyId(bundle.kemPrekey.keyId, 'KEM prekey id');
  expectBytes(bundle.kemPrekey.publicKey, MLKEM1024_PUBLIC_KEY_BYTES, 'PQPK_B');
}

export function pqxdhInitiate(suite: CryptoSuite, local: LocalDeviceIdentity, bundle: VerifiedPrekeyBundle): PqxdhInitiatorResult {
  checkDeviceAddress(local, 'local device');
  expectX25519PublicKey(local.identityDhKeyPair.publicKey, 'IK_A');
  expectBytes(local.identityDhKeyPair.secretKey, X25519_KEY_BYTES, 'IK_A secret');
  checkBundle(bundle);

  const ephemeralSecret = suite.randomBytes(X25519_KEY_BYTES);
  const ephemeralKey = suite.x25519PublicKey(ephemeralSecret);
  // RFC 7748 §6.1: each DH throws CRYPTO_ERR_LOW_ORDER_POINT on an all-zero output (a low-order key).
  const dh = [
    suite.x25519(local.identityDhKeyPair.secretKey, bundle.signedPrekey.publicKey),
    suite.x25519(ephemeralSecret, bundle.identityDhKey),
    suite.x25519(ephemeralSecret, bundle.signedPrekey.publicKey),
  ];
  if (bundle.oneTimePrekey !== undefined) dh.push(suite.x25519(ephemeralSecret, bundle.oneTimePrekey.publicKey));
  ephemeralSecret.fill(0);

  const kemRandomness = suite.randomBytes(MLKEM_SHARED_SECRET_BYTES);
  // FIPS 203 §7.2: encapsulation checks the encapsulation key (CRYPTO_ERR_KEM_FAILED if invalid).
  const { ciphertext, sharedSecret: kemSecret } = suite.mlkem1024Encapsulate(bundle.kemPrekey.publicKey, kemRandomness);
  kemRandomness.fill(0);

  const sharedSecret = derivePqxdhSecret(suite, dh, kemSecret);
  const fields: PqxdhInitialFields = {
    identityDhKey: local.identityDhKeyPair.publicKey.slice(),
    ephemeralKey,
    signedPrekeyId: bundle.signedPrekey.keyId,
    ...(bundle.oneTimePrekey === undefined ? {} : { oneTimePrekeyId: bundle.oneTimePrekey.keyId }),
    kemPrekeyId: bundle.kemPrekey.keyId,
    kemCiphertext: ciphertext,
  };
  const associatedData = encodeSessionAssociatedData({
    initiator: local,
    initiatorIdentityDhKey: local.identityDhKeyPair.publicKey,
    responder: bundle,
    responderIdentityDhKey: bundle.identityDhKey,
  });
  return {
    sharedSecret,
    associatedData,
    fields,
    encodedFields: encodePqxdhInitialFields(fields),
    remoteIdentityDhKey: bundle.identityDhKey.slice(),
    remoteSignedPrekey: bundle.signedPrekey.publicKey.slice(),
  };
}
