/** The sqlite stores' own failures, typed: a lock held too long, a full database. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, retryBusy } from '../../../shared/adapters/local/sqlite.ts';
import { SqliteJobStore } from '../../../shared/adapters/local/sqlite-job-store.ts';
import { StorageFullError, StoreBusyError } from '../../../shared/service/ports.ts';
import { makeJob } from '../../contracts/job-store.contract.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mdraft-sqlerr-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('a lock held past the budget is StoreBusyError; the wait never blocks the event loop', async () => {
  const path = join(dir, 'db.sqlite');
  const store = new SqliteJobStore(openDatabase(path));
  const other = openDatabase(path);
  other.exec('BEGIN IMMEDIATE');
  let ticks = 0;
  const probe = setInterval(() => ticks++, 10);
  const started = Date.now();
  await expect(retryBusy(() => store.db.exec('BEGIN IMMEDIATE'), 600)).rejects.toBeInstanceOf(StoreBusyError);
  clearInterval(probe);
  expect(Date.now() - started).toBeGreaterThanOrEqual(600);
  // 100 ms busy_timeout per attempt at most: the 10 ms timer kept firing in between.
  expect(ticks).toBeGreaterThan(10);
  // Released in time: the write goes through.
  setTimeout(() => other.exec('COMMIT'), 300);
  const job = makeJob('alice', 1000);
  await store.createJob(job);
  expect((await store.getJob(job.id))?.id).toBe(job.id);
  other.close();
  store.db.close();
});

test('a full database is StorageFullError on writes; reads and deletes work', async () => {
  const store = new SqliteJobStore(openDatabase(join(dir, 'full.sqlite')));
  const kept = makeJob('alice', 1000);
  await store.createJob(kept);
  const { page_count: pages } = store.db.prepare('PRAGMA page_count').get() as { page_count: number };
  store.db.exec(`PRAGMA max_page_count = ${pages}`);
  let error: unknown;
  for (let i = 0; i < 200 && !error; i++) {
    await store
      .createJob(makeJob('alice', 2000 + i, { filename: 'x'.repeat(2000) }))
      .catch((e: unknown) => (error = e));
  }
  expect(error).toBeInstanceOf(StorageFullError);
  expect((await store.getJob(kept.id))?.id).toBe(kept.id);
  expect(await store.deleteJob(kept.id)).toBe(true);
  store.db.close();
});
