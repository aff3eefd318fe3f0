/** A StorageFactory for the SQLite implementation: a real database file in a temp folder. */
import { join } from 'node:path';
import { openSqliteStorage } from '../../src/storage/sqlite/sqlite-storage.js';
import type { StorageFactory } from './storage-fixtures.js';
import { makeTempDir } from './temp-dir.js';

export const makeSqliteStorage: StorageFactory = async () => {
  const dir = makeTempDir();
  const storage = openSqliteStorage({ file: join(dir.path, 'relay.sqlite') });
  return {
    storage,
    cleanup: async () => {
      await storage.close();
      dir.remove();
    },
  };
};
