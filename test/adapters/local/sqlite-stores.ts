/**
 * The two sqlite stores on one database, as `createLocalAdapters` wires them, for the store contracts
 * (test/contracts): in memory, or in a file (WAL) in a fresh temporary directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { openDatabase } from '../../../shared/adapters/local/sqlite.ts';
import { SqliteJobStore } from '../../../shared/adapters/local/sqlite-job-store.ts';
import { SqliteAccountStore } from '../../../shared/adapters/local/sqlite-account-store.ts';
import type { StoreHandle } from '../../contracts/job-store.contract.ts';

export interface SqliteStores extends StoreHandle {
  db: DatabaseSync;
  jobs: SqliteJobStore;
  accounts: SqliteAccountStore;
}

function on(db: DatabaseSync, cleanup: () => void = () => undefined, peer?: DatabaseSync): SqliteStores {
  return {
    db,
    jobs: new SqliteJobStore(db),
    accounts: new SqliteAccountStore(db),
    ...(peer ? { peerJobs: new SqliteJobStore(peer) } : {}),
    dispose: async () => {
      if (peer?.isOpen) peer.close();
      if (db.isOpen) db.close();
      cleanup();
    },
  };
}

export function inMemoryStores(): SqliteStores {
  return on(openDatabase(':memory:'));
}

export function onFileStores(): SqliteStores {
  const dir = mkdtempSync(join(tmpdir(), 'mdraft-store-'));
  const file = join(dir, 'db.sqlite');
  const db = openDatabase(file);
  new SqliteJobStore(db);
  return on(db, () => rmSync(dir, { recursive: true, force: true }), openDatabase(file));
}
