/**
 * Golden transcript generator: a fixed-seed PQXDH handshake and Double Ratchet conversation
 * between two devices, with every key, random draw, intermediate secret and wire message in hex.
 * docs/test-vectors/README.md describes the fields and how another implementation checks itself.
 */
import { concatBytes, toHex, utf8 } from '../../src/primitives/bytes.js';
import { loadCrypto, type BackendChoice, type CryptoSuite } from '../../src/primitives/index.js';
import { PQXDH_INFO_LABEL } from '../../src/pqxdh/constants.js';
import { encodeSessionAssociatedData } from '../../src/pqxdh/associated-data.js';
import { decodePqxdhInitialMessage } from '../../src/pqxdh/initial-message.js';
import { RATCHET_MESSAGE_LABEL, RATCHET_ROOT_LABEL } from '../../src/ratchet/constants.js';
import { parseRatchetMessage } from '../../src/ratchet/header.js';
import { expandMessageKey, kdfChainKey } from '../../src/ratchet/kdf.js';
import { decryptFromDevice } from '../../src/session/decrypt.js';
import { encryptForDevice } from '../../src/session/encrypt.js';
import { initiateSession } from '../../src/session/initiate.js';
import { parseSessionMessage } from '../../src/session/message-format.js';
import { createSessionRecord, encodeSessionRecord, type SessionRecord } from '../../src/session/session-record.js';
import { MemoryPrekeyStore } from '../pqxdh/fixtures.js';
import type { LocalDeviceIdentity, VerifiedPrekeyBundle } from '../../src/pqxdh/types.js';
import { recordingRandom, seededRandom, type RecordingRandom } from './seeded-random.js';

export interface GoldenCase {
  readonly file: string;
  readonly seed: string;
  readonly description: string;
  readonly oneTimePrekeys: boolean;
}

export const GOLDEN_CASES: readonly GoldenCase[] = [
  {
    file: 'session-one-time-prekeys.json',
    seed: 'sealpost-golden-v1/one-time-prekeys',
    description: 'PQXDH with a one-time X25519 prekey and a one-time ML-KEM-1024 prekey, then a Double Ratchet conversation with out-of-order delivery.',
    oneTimePrekeys: true,
  },
  {
    file: 'session-last-resort.json',
    seed: 'sealpost-golden-v1/last-resort',
    description: 'PQXDH without a one-time X25519 prekey, on the last-resort ML-KEM-1024 prekey, then a Double Ratchet conversation with out-of-order delivery.',
    oneTimePrekeys: false,
  },
];

const hex = toHex;

interface Party {
  readonly name: 'alice' | 'bob';
  readonly suite: CryptoSuite;
  readonly rng: RecordingRandom;
  readonly identity: LocalDeviceIdentity;
  readonly store: MemoryPrekeyStore;
  readonly record: SessionRecord;
}

async function partySuite(seed: string, name: string, backend: BackendChoice): Promise<{ suite: CryptoSuite; rng: RecordingRandom }> {
  const rng = recordingRandom(seededRandom(`${seed}/${name}`));
  return { suite: await loadCrypto({ random: rng.random, backend }), rng };
}

/** Builds the transcript object for one case (deterministic for a given seed). */
export async function generateTranscript(golden: GoldenCase, backend: BackendChoice = 'auto'): Promise<unknown> {
  const keys = await loadCrypto({ random: seededRandom(`${golden.seed}/keys`), backend });
  const x25519 = () => {
    const secretKey = keys.randomBytes(32);
    return { secretKey, publicKey: keys.x25519PublicKey(secretKey) };
  };
  const aliceIk = x25519();
  const bobIk = x25519();
  const spk = x25519();
  const opk = x25519();
  const kemSeed = keys.randomBytes(64);
  const kem = keys.mlkem1024KeyPair(kemSeed);
  const kemId = golden.oneTimePrekeys ? 500 : 900;

  const aliceIdentity: LocalDeviceIdentity = { accountId: 'alice.example', deviceId: 1, identityDhKeyPair: aliceIk };
  const bobIdentity: LocalDeviceIdentity = { accountId: 'bob.example', deviceId: 2, identityDhKeyPair: bobIk };
  const bobStore = new MemoryPrekeyStore();
  bobStore.signed.set(7, spk);
  if (golden.oneTimePrekeys) bobStore.oneTime.set(100, opk);
  bobStore.kem.set(kemId, { ...kem, lastResort: !golden.oneTimePrekeys });

  const a = await partySuite(golden.seed, 'alice', backend);
  const b = await partySuite(golden.seed, 'bob', backend);
  const alice: Party = { name: 'alice', ...a, identity: aliceIdentity, store: new MemoryPrekeyStore(), record: createSessionRecord(bobIdentity) };
  const bob: Party = { name: 'bob', ...b, identity: bobIdentity, store: bobStore, record: createSessionRecord(aliceIdentity) };

  const bundle: VerifiedPrekeyBundle = {
    accountId: bobIdentity.accountId,
    deviceId: bobIdentity.deviceId,
    identityDhKey: bobIk.publicKey,
    signedPrekey: { keyId: 7, publicKey: spk.publicKey },
    ...(golden.oneTimePrekeys ? { oneTimePrekey: { keyId: 100, publicKey: opk.publicKey } } : {}),
    kemPrekey: { keyId: kemId, publicKey: kem.publicKey, lastResort: !golden.oneTimePrekeys },
  };

  // Handshake, then the same values recomputed step by step from the raw primitives.
  initiateSession(alice.suite, alice.record, alice.identity, bundle);
  const initialFields = alice.record.active?.pendingPrekeyFields ?? new Uint8Array(0);
  const handshakeDraws = alice.rng.take();
  const [ephemeralSecret, kemRandomness, ratchetSecret] = handshakeDraws as [Uint8Array, Uint8Array, Uint8Array];
  const ephemeralPublic = keys.x25519PublicKey(ephemeralSecret);
  const dh1 = keys.x25519(aliceIk.secretKey, spk.publicKey);
  const dh2 = keys.x25519(ephemeralSecret, bobIk.publicKey);
  const dh3 = keys.x25519(ephemeralSecret, spk.publicKey);
  const dh4 = golden.oneTimePrekeys ? keys.x25519(ephemeralSecret, opk.publicKey) : undefined;
  const encapsulation = keys.mlkem1024Encapsulate(kem.publicKey, kemRandomness);
  const ikm = concatBytes(new Uint8Array(32).fill(0xff), dh1, dh2, dh3, ...(dh4 === undefined ? [] : [dh4]), encapsulation.sharedSecret);
  const sharedSecret = keys.hkdfSha256(ikm, new Uint8Array(32), utf8(PQXDH_INFO_LABEL), 32);
  const associatedData = encodeSessionAssociatedData({
    initiator: aliceIdentity,
    initiatorIdentityDhKey: aliceIk.publicKey,
    responder: bobIdentity,
    responderIdentityDhKey: bobIk.publicKey,
  });
  const ratchetPublic = keys.x25519PublicKey(ratchetSecret);
  const ratchetDh = keys.x25519(ratchetSecret, spk.publicKey);
  const rootOut = keys.hkdfSha256(ratchetDh, sharedSecret, utf8(RATCHET_ROOT_LABEL), 64);

  const events: unknown[] = [];
  const messages = new Map<string, Uint8Array>();
  const send = (from: Party, id: string, text: string) => {
    const chain = from.record.active?.ratchet.sendingChain;
    if (chain === undefined) throw new Error(`${from.name} cannot send`);
    const chainKey = chain.chainKey.slice();
    const plaintext = utf8(text);
    const message = encryptForDevice(from.suite, from.record, plaintext);
    const { messageKey } = kdfChainKey(keys, chainKey);
    const { key, nonce } = expandMessageKey(keys, messageKey);
    const outer = parseSessionMessage(message);
    const ratchetBytes = outer.kind === 'prekey' ? decodePqxdhInitialMessage(outer.body).ratchetMessage : outer.body;
    const { header } = parseRatchetMessage(ratchetBytes);
    messages.set(id, message);
    events.push({
      action: 'send',
      from: from.name,
      id,
      plaintext: hex(plaintext),
      draws: from.rng.take().map(hex),
      chainKey: hex(chainKey),
      messageKey: hex(messageKey),
      aeadKey: hex(key),
      aeadNonce: hex(nonce),
      rootKey: hex(from.record.active?.ratchet.rootKey ?? new Uint8Array(0)),
      kind: outer.kind,
      header: { ratchetKey: hex(header.ratchetKey), previousChainLength: header.previousChainLength, messageNumber: header.messageIndex },
      message: hex(message),
    });
  };
  const receive = async (to: Party, id: string) => {
    const message = messages.get(id) as Uint8Array;
    const result = await decryptFromDevice(to.suite, to.record, message, { local: to.identity, prekeyStore: to.store });
    to.store.deleteConsumed(result.consumedPrekeys);
    events.push({
      action: 'receive',
      to: to.name,
      id,
      plaintext: hex(result.plaintext),
      draws: to.rng.take().map(hex),
      rootKey: hex(to.record.active?.ratchet.rootKey ?? new Uint8Array(0)),
      newSession: result.newSession,
      consumedPrekeys: result.consumedPrekeys,
    });
  };

  send(alice, 'a0', 'Hello Bob, this is Alice.');
  send(alice, 'a1', 'Second message before any reply.');
  await receive(bob, 'a1'); // the later prekey message creates the session
  await receive(bob, 'a0');
  send(bob, 'b0', 'Hi Alice!');
  send(bob, 'b1', 'Bob again.');
  await receive(alice, 'b0');
  await receive(alice, 'b1');
  send(alice, 'a2', 'Now without the PQXDH fields.');
  send(alice, 'a3', 'Out of order: three.');
  send(alice, 'a4', 'Out of order: four.');
  await receive(bob, 'a4');
  await receive(bob, 'a2');
  send(bob, 'b2', 'A reply while a3 is still in flight.');
  await receive(alice, 'b2');
  await receive(bob, 'a3');
  send(alice, 'a5', 'Last one.');
  await receive(bob, 'a5');

  return {
    format: 'sealpost-session-transcript',
    formatVersion: 1,
    description: golden.description,
    seed: golden.seed,
    labels: { pqxdhInfo: PQXDH_INFO_LABEL, ratchetRoot: RATCHET_ROOT_LABEL, ratchetMessageKeys: RATCHET_MESSAGE_LABEL },
    alice: {
      accountId: aliceIdentity.accountId,
      deviceId: aliceIdentity.deviceId,
      identityDhSecret: hex(aliceIk.secretKey),
      identityDhPublic: hex(aliceIk.publicKey),
    },
    bob: {
      accountId: bobIdentity.accountId,
      deviceId: bobIdentity.deviceId,
      identityDhSecret: hex(bobIk.secretKey),
      identityDhPublic: hex(bobIk.publicKey),
      signedPrekey: { keyId: 7, secret: hex(spk.secretKey), public: hex(spk.publicKey) },
      ...(golden.oneTimePrekeys ? { oneTimePrekey: { keyId: 100, secret: hex(opk.secretKey), public: hex(opk.publicKey) } } : {}),
      kemPrekey: { keyId: kemId, lastResort: !golden.oneTimePrekeys, seed: hex(kemSeed), public: hex(kem.publicKey) },
    },
    handshake: {
      draws: handshakeDraws.map(hex),
      ephemeralSecret: hex(ephemeralSecret),
      ephemeralPublic: hex(ephemeralPublic),
      dh1: hex(dh1),
      dh2: hex(dh2),
      dh3: hex(dh3),
      ...(dh4 === undefined ? {} : { dh4: hex(dh4) }),
      kemRandomness: hex(kemRandomness),
      kemCiphertext: hex(encapsulation.ciphertext),
      kemSharedSecret: hex(encapsulation.sharedSecret),
      sharedSecret: hex(sharedSecret),
      associatedData: hex(associatedData),
      initialFields: hex(initialFields),
      aliceFirstRatchet: {
        secret: hex(ratchetSecret),
        public: hex(ratchetPublic),
        dh: hex(ratchetDh),
        rootKey: hex(rootOut.subarray(0, 32)),
        sendingChainKey: hex(rootOut.subarray(32)),
      },
    },
    events,
    finalRecords: { alice: hex(encodeSessionRecord(alice.record)), bob: hex(encodeSessionRecord(bob.record)) },
  };
}

/** The file text for a case: pretty JSON with a final newline. */
export async function transcriptText(golden: GoldenCase, backend: BackendChoice = 'auto'): Promise<string> {
  return `${JSON.stringify(await generateTranscript(golden, backend), null, 2)}\n`;
}
