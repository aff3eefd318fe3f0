/**
 * PQXDH, responder side (PQXDH §3.4 "Receiving the initial message").
 *
 * Bob checks the initiator's identity key against the one he expects, loads the named prekeys
 * through {@link PqxdhPrekeyStore}, refuses a repeat of an initial message on the last-resort KEM
 * key (PQXDH §4.2), then computes the same DH1..DH4 and SS as Alice and derives SK and AD.
 * Nothing is recorded here: after the first ratchet message authenticates, the session layer
 * calls {@link recordPqxdhAcceptance} and the caller deletes the reported one-time keys, so a
 * forged or corrupted message never burns a key or a replay slot.
 */
import { CryptoError, expectBytes } from '../errors.js';
import { MLKEM1024_SECRET_KEY_BYTES, X25519_KEY_BYTES } from '../primitives/backend.js';
import { constantTimeEqual } from '../primitives/bytes.js';
import type { CryptoSuite } from '../primitives/index.js';
import { checkDeviceAddress } from './address.js';
import { encodeSessionAssociatedData } from './associated-data.js';
import { derivePqxdhSecret, lastResortReplayDigest } from './derive.js';
import type { PqxdhInitialFields } from './initial-message.js';
import type { ConsumedPrekeys, PqxdhPrekeyStore } from './prekey-store.js';
import type { DeviceAddress, LocalDeviceIdentity, X25519KeyPair } from './types.js';
import { expectX25519PublicKey } from './x25519-key.js';

export interface PqxdhResponderInput {
  readonly local: LocalDeviceIdentity;
  /** The initiator's address as the transport names it; bound into AD, so a lie fails to decrypt. */
  readonly peer: DeviceAddress;
  readonly fields: PqxdhInitialFields;
  readonly store: PqxdhPrekeyStore;
  /** The initiator's certified identity DH key (IK_A), when the caller already knows it. */
  readonly expectedPeerIdentityDhKey?: Uint8Array;
}

export interface PqxdhResponderResult {
  readonly sharedSecret: Uint8Array;
  readonly associatedData: Uint8Array;
  /** SPK_B: the responder's first ratchet key pair. */
  readonly signedPrekeyPair: X25519KeyPair;
  readonly remoteIdentityDhKey: Uint8Array;
  readonly consumedPrekeys: ConsumedPrekeys;
  /** Set when the last-resort KEM key was used: record it once the message authenticated. */
  readonly lastResortReplay?: { readonly kemPrekeyId: number; readonly digest: Uint8Array };
}

/** Throws CRYPTO_ERR_UNTRUSTED_IDENTITY when `expected` is given and differs from `actual`. */
export function checkExpectedIdentity(actual: Uint8Array, expected: Uint8Array | undefined): void {
  if (expected !== undefined && !constantTimeEqual(actual, expected)) {
    throw new CryptoError('CRYPTO_ERR_UNTRUSTED_IDENTITY', 'initiator identity DH key (IK_A) is not the certified one');
  }
}

function unknown(what: string, keyId: number): CryptoError {
  return new CryptoError('CRYPTO_ERR_UNKNOWN_PREKEY', `${what} ${keyId}`);
}

export async function pqxdhRespond(suite: CryptoSuite, input: PqxdhResponderInput): Promise<PqxdhResponderResult> {
  const { local, peer, fields, store } = input;
  checkDeviceAddress(local, 'local device');
  checkDeviceAddress(peer, 'peer device');
  expectX25519PublicKey(fields.identityDhKey, 'IK_A');
  expectX25519PublicKey(fields.ephemeralKey, 'EK_A');
  // PQXDH §4.1 "Authentication": the identity must be the one the account certified.
  checkExpectedIdentity(fields.identityDhKey, input.expectedPeerIdentityDhKey);

  const signedPrekey = await store.loadSignedPrekey(fields.signedPrekeyId);
  if (signedPrekey === undefined) throw unknown('signed prekey', fields.signedPrekeyId);
  expectBytes(signedPrekey.secretKey, X25519_KEY_BYTES, 'SPK_B secret');
  let oneTimePrekey: X25519KeyPair | undefined;
  if (fields.oneTimePrekeyId !== undefined) {
    oneTimePrekey = await store.loadOneTimePrekey(fields.oneTimePrekeyId);
    if (oneTimePrekey === undefined) throw unknown('one-time prekey', fields.oneTimePrekeyId);
  }
  const kemPrekey = await store.loadKemPrekey(fields.kemPrekeyId);
  if (kemPrekey === undefined) throw unknown('KEM prekey', fields.kemPrekeyId);
  expectBytes(kemPrekey.secretKey, MLKEM1024_SECRET_KEY_BYTES, 'PQSPK_B secret');

  let lastResortReplay: PqxdhResponderResult['lastResortReplay'];
  if (kemPrekey.lastResort) {
    // PQXDH §4.2: the last-resort key is reused, so a replayed initial message would otherwise
    // yield the same SK again. Refuse any (EK_A, CT) already accepted on this key.
    const digest = lastResortReplayDigest(suite, fields.ephemeralKey, fields.kemCiphertext);
    if (await store.hasAcceptedLastResortMessage(fields.kemPrekeyId, digest)) {
      throw new CryptoError('CRYPTO_ERR_REPLAYED_PREKEY_MESSAGE', `last-resort KEM prekey ${fields.kemPrekeyId}`);
    }
    lastResortReplay = { kemPrekeyId: fields.kemPrekeyId, digest };
  }

  const dh = [
    suite.x25519(signedPrekey.secretKey, fields.identityDhKey),
    suite.x25519(local.identityDhKeyPair.secretKey, fields.ephemeralKey),
    suite.x25519(signedPrekey.secretKey, fields.ephemeralKey),
  ];
  if (oneTimePrekey !== undefined) dh.push(suite.x25519(oneTimePrekey.secretKey, fields.ephemeralKey));
  // FIPS 203 §7.3: a wrong ciphertext gives an unrelated (implicitly rejected) secret, so SK differs
  // and the first ratchet message fails to authenticate.
  const kemSecret = suite.mlkem1024Decapsulate(fields.kemCiphertext, kemPrekey.secretKey);
  const sharedSecret = derivePqxdhSecret(suite, dh, kemSecret);

  const associatedData = encodeSessionAssociatedData({
    initiator: peer,
    initiatorIdentityDhKey: fields.identityDhKey,
    responder: local,
    responderIdentityDhKey: local.identityDhKeyPair.publicKey,
  });
  const consumedPrekeys: ConsumedPrekeys = {
    ...(fields.oneTimePrekeyId === undefined ? {} : { oneTimePrekeyId: fields.oneTimePrekeyId }),
    ...(kemPrekey.lastResort ? {} : { oneTimeKemPrekeyId: fields.kemPrekeyId }),
  };
  return {
    sharedSecret,
    associatedData,
    signedPrekeyPair: { publicKey: signedPrekey.publicKey.slice(), secretKey: signedPrekey.secretKey.slice() },
    remoteIdentityDhKey: fields.identityDhKey.slice(),
    consumedPrekeys,
    ...(lastResortReplay === undefined ? {} : { lastResortReplay }),
  };
}

/** Records an accepted last-resort initial message (call only after its first message authenticated). */
export async function recordPqxdhAcceptance(store: PqxdhPrekeyStore, result: PqxdhResponderResult): Promise<void> {
  if (result.lastResortReplay !== undefined) {
    await store.recordLastResortMessage(result.lastResortReplay.kemPrekeyId, result.lastResortReplay.digest);
  }
}
