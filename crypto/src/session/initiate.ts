/**
 * Starting a session with a peer device from its verified prekey bundle (PQXDH §3.3, then
 * Double Ratchet §3.3 RatchetInitAlice). The new session becomes active (Sesame §3.3); the PQXDH
 * fields ride on every outgoing message until the peer's first reply decrypts.
 *
 * RNG draws, in order: EK_A (32), ML-KEM encapsulation randomness (32), first ratchet key (32).
 */
import { CryptoError } from '../errors.js';
import type { CryptoSuite } from '../primitives/index.js';
import { sameAddress } from '../pqxdh/address.js';
import { pqxdhInitiate } from '../pqxdh/initiator.js';
import type { LocalDeviceIdentity, VerifiedPrekeyBundle } from '../pqxdh/types.js';
import { initRatchetAsInitiator } from '../ratchet/state.js';
import { activateSession, type SessionRecord } from './session-record.js';
import type { SessionState } from './session-state.js';

export function initiateSession(suite: CryptoSuite, record: SessionRecord, local: LocalDeviceIdentity, bundle: VerifiedPrekeyBundle): void {
  if (!sameAddress(record.peer, bundle)) {
    throw new CryptoError('CRYPTO_ERR_WRONG_PEER', `bundle for ${bundle.accountId}/${bundle.deviceId}, record for ${record.peer.accountId}/${record.peer.deviceId}`);
  }
  const handshake = pqxdhInitiate(suite, local, bundle);
  const ratchet = initRatchetAsInitiator(suite, handshake.sharedSecret, handshake.associatedData, handshake.remoteSignedPrekey);
  handshake.sharedSecret.fill(0);
  const state: SessionState = {
    role: 'initiator',
    localIdentityDhKey: local.identityDhKeyPair.publicKey.slice(),
    remoteIdentityDhKey: handshake.remoteIdentityDhKey,
    baseKey: handshake.fields.ephemeralKey,
    initialFieldsDigest: suite.sha256(handshake.encodedFields),
    pendingPrekeyFields: handshake.encodedFields,
    ratchet,
  };
  activateSession(record, state);
}
