/**
 * The account fingerprint `whoami` shows: SHA-256 of the typed account public key, as 16 groups
 * of four hex digits, so two people can compare it by voice. (Per-contact verification uses the
 * safety number instead, which covers both parties.)
 */
import { KEY_TYPE, encodePublicKey } from '@sealpost/crypto/public';
import type { IdentityRecord } from '../store/records.js';
import type { Profile } from './profile.js';

export function accountFingerprint(profile: Profile, identity: Pick<IdentityRecord, 'accountPublicKey'>): string {
  const key = encodePublicKey(KEY_TYPE.ACCOUNT_ED25519, Buffer.from(identity.accountPublicKey, 'base64url'));
  const hex = Buffer.from(profile.crypto.sha256(key)).toString('hex');
  return hex.match(/.{4}/g)?.join(' ') ?? hex;
}
