/**
 * The session associated data (PQXDH §3.3: "AD = EncodeEC(IK_A) || EncodeEC(IK_B)"), extended
 * with both parties' account and device ids so a message cannot be re-addressed between devices
 * that share a key. Exact layout (docs/protocol-sessions.md §3):
 *
 *   u8 version (0x01) || EncodeEC(IK_A) (33) || EncodeEC(IK_B) (33)
 *   || u8 len || account id A || u32 device A || u8 len || account id B || u32 device B
 *
 * A is always the initiator. Every field is fixed-size or length-prefixed, so one byte string
 * decodes to exactly one (keys, ids) tuple.
 */
import { ByteWriter } from '../public/bytes-io.js';
import { writeDeviceAddress } from './address.js';
import { PQXDH_AD_VERSION } from './constants.js';
import type { DeviceAddress } from './types.js';
import { encodeX25519, expectX25519PublicKey } from './x25519-key.js';

export interface AssociatedDataParties {
  readonly initiator: DeviceAddress;
  readonly initiatorIdentityDhKey: Uint8Array;
  readonly responder: DeviceAddress;
  readonly responderIdentityDhKey: Uint8Array;
}

export function encodeSessionAssociatedData(parties: AssociatedDataParties): Uint8Array {
  const writer = new ByteWriter()
    .u8(PQXDH_AD_VERSION)
    .raw(encodeX25519(expectX25519PublicKey(parties.initiatorIdentityDhKey, 'IK_A')))
    .raw(encodeX25519(expectX25519PublicKey(parties.responderIdentityDhKey, 'IK_B')));
  writeDeviceAddress(writer, parties.initiator, 'initiator');
  writeDeviceAddress(writer, parties.responder, 'responder');
  return writer.finish();
}
