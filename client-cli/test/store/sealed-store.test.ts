import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SealedStore } from '../../src/store/sealed-store.js';
import { TEST_KDF } from '../../src/store/kdf.js';
import { fakeContact, fakeIdentity, fakeMessage } from '../support/records.js';
import { createTestStore, openTestStore, testAccountId, testCrypto } from '../support/store.js';
import { TempDirs } from '../support/temp-dir.js';

const temp = new TempDirs();
afterEach(() => temp.cleanup());

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

async function populated(): Promise<{ file: string; bob: string }> {
  const { store, file } = await createTestStore(temp.make());
  const bob = testAccountId(2);
  store.identity.put(fakeIdentity());
  store.contacts.put(fakeContact(bob, { username: 'bobthebuilder', alias: 'Bobby' }));
  store.messages.insert(fakeMessage({ id: 'msg-1', peer: bob, direction: 'out', body: 'attack at dawn' }));
  store.close();
  return { file, bob };
}

describe('SealedStore', () => {
  it('round-trips records across close and reopen', async () => {
    const { file, bob } = await populated();
    const store = await openTestStore(file);
    expect(store.identity.get()).toEqual(fakeIdentity());
    expect(store.contacts.getByAccountId(bob)?.alias).toBe('Bobby');
    expect(store.messages.getOutgoing('msg-1')?.body).toBe('attack at dawn');
    store.close();
  });

  it('keeps no plaintext content or lookup values in the file', async () => {
    const { file, bob } = await populated();
    const bytes = readFileSync(file);
    for (const secret of ['attack at dawn', 'bobthebuilder', 'Bobby', bob, 'msg-1', fakeIdentity().accountSecret ?? '', fakeIdentity().relayUrl]) {
      expect(bytes.includes(Buffer.from(secret)), secret).toBe(false);
    }
  });

  it('creates the file readable by its owner only, and never over an existing store', async () => {
    const { file } = await populated();
    const { statSync } = await import('node:fs');
    expect(statSync(file).mode & 0o077).toBe(0);
    await expect(createTestStore(join(file, '..'))).rejects.toMatchObject({ code: 'CLI_ERR_ALREADY_INITIALIZED' });
    expect((await openTestStore(file)).identity.get()).toBeDefined();
  });

  it('reports a wrong passphrase and changes nothing', async () => {
    const { file } = await populated();
    const before = sha256(file);
    await expect(openTestStore(file, 'wrong horse')).rejects.toMatchObject({ code: 'CLI_ERR_WRONG_PASSPHRASE', exitCode: 8 });
    expect(sha256(file)).toBe(before);
    expect(existsSync(`${file}-wal`)).toBe(false);
    const store = await openTestStore(file);
    expect(store.messages.getOutgoing('msg-1')).toBeDefined();
    store.close();
  });

  it('reports a missing store as not initialised', async () => {
    await expect(openTestStore(join(temp.make(), 'sealpost.db'))).rejects.toMatchObject({ code: 'CLI_ERR_NOT_INITIALIZED' });
  });

  it('reports a file that is not a database as corrupted and leaves it alone', async () => {
    const { file } = await populated();
    const bytes = readFileSync(file);
    bytes.write('garbage garbage!', 0); // the 16-byte SQLite header
    writeFileSync(file, bytes);
    const before = sha256(file);
    await expect(openTestStore(file)).rejects.toMatchObject({ code: 'CLI_ERR_STORE_CORRUPTED', exitCode: 9 });
    expect(sha256(file)).toBe(before);
  });

  it('reports a SQLite file that is not a Sealpost store as corrupted', async () => {
    const file = join(temp.make(), 'other.db');
    const db = new BetterSqlite3(file);
    db.exec('CREATE TABLE t (x)');
    db.close();
    await expect(openTestStore(file)).rejects.toMatchObject({ code: 'CLI_ERR_STORE_CORRUPTED' });
  });

  it('tells a damaged meta table from a wrong passphrase', async () => {
    const { file } = await populated();
    const db = new BetterSqlite3(file);
    db.prepare("UPDATE meta SET value = ? WHERE name = 'verifier'").run(Buffer.alloc(32, 1).toString('base64url'));
    db.close();
    await expect(openTestStore(file)).rejects.toMatchObject({ code: 'CLI_ERR_STORE_CORRUPTED' });
  });

  it('refuses a store from a newer schema', async () => {
    const { file } = await populated();
    const db = new BetterSqlite3(file);
    db.pragma('user_version = 99');
    db.close();
    await expect(openTestStore(file)).rejects.toMatchObject({ code: 'CLI_ERR_STORE_TOO_NEW' });
  });

  it('reports an altered record as corrupted', async () => {
    const { file } = await populated();
    const db = new BetterSqlite3(file);
    const row = db.prepare<[], { slot: string; body: Buffer }>('SELECT slot, body FROM identity').get();
    expect(row).toBeDefined();
    const body = Buffer.from(row!.body);
    body[body.length - 20] = (body[body.length - 20] as number) ^ 1;
    db.prepare('UPDATE identity SET body = ? WHERE slot = ?').run(body, row!.slot);
    db.close();
    const store = await openTestStore(file);
    expect(() => store.identity.get()).toThrow(expect.objectContaining({ code: 'CLI_ERR_STORE_CORRUPTED' }));
    store.close();
  });

  it('binds each record to its row: a body moved to another row does not open', async () => {
    const { store, file } = await createTestStore(temp.make());
    const [a, b] = [testAccountId(3), testAccountId(4)];
    store.contacts.put(fakeContact(a, { alias: 'a' }));
    store.contacts.put(fakeContact(b, { alias: 'b', verified: true }));
    store.close();
    const db = new BetterSqlite3(file);
    const rows = db.prepare<[], { account: Buffer; body: Buffer }>('SELECT account, body FROM contacts').all();
    db.prepare('UPDATE contacts SET body = ? WHERE account = ?').run(rows[1]!.body, rows[0]!.account);
    db.close();
    const reopened = await openTestStore(file);
    expect(() => reopened.contacts.list()).toThrow(expect.objectContaining({ code: 'CLI_ERR_STORE_CORRUPTED' }));
    reopened.close();
  });

  it('lets two connections of one profile interleave read-modify-writes without losing one', async () => {
    const { store: first, file } = await createTestStore(temp.make());
    const second = await openTestStore(file);
    const bob = testAccountId(5);
    first.messages.insert(fakeMessage({ id: 'm', peer: bob, direction: 'out', deliveries: [] }));
    for (let i = 0; i < 20; i++) {
      const writer = i % 2 === 0 ? first : second;
      writer.messages.update('out', bob, 'm', (m) => ({ ...m, deliveries: [...m.deliveries, { accountId: bob, deviceId: i, state: 'sent', at: i }] }));
    }
    const seen = second.messages.getOutgoing('m')?.deliveries.map((d) => d.deviceId);
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => i));
    first.close();
    second.close();
  });

  it('removes a half-created store when creation fails', async () => {
    const dir = temp.make();
    const crypto = await testCrypto();
    const failing = { ...crypto, argon2id: () => { throw new Error('boom'); } };
    expect(() => SealedStore.create({ file: join(dir, 'sealpost.db'), passphrase: 'x', crypto: failing, params: TEST_KDF })).toThrow('boom');
    expect(existsSync(join(dir, 'sealpost.db'))).toBe(false);
  });
});
