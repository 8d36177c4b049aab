import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteJobStore } from '../../../shared/adapters/local/sqlite-job-store.ts';
import { describeJobStoreContract, makeJob } from '../../contracts/job-store.contract.ts';
import { InvalidCursorError } from '../../../shared/service/jobs/errors.ts';
import { inMemoryStores, onFileStores } from './sqlite-stores.ts';

describeJobStoreContract('node:sqlite (in memory)', async () => inMemoryStores());
describeJobStoreContract('node:sqlite (file, WAL)', async () => onFileStores());

describe('SqliteJobStore specifics', () => {
  test('two connections to one file see each other (a CLI beside the server) and transitions stay exclusive', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mdraft-store-'));
    const a = new SqliteJobStore(join(dir, 'db.sqlite'));
    const b = new SqliteJobStore(join(dir, 'db.sqlite'));
    try {
      const job = makeJob('alice', 1000);
      await a.createJob(job);
      await b.markQueued(job.id, { eventKey: 'k', format: 'pdf', now: 1001 });
      const [x, y] = await Promise.all([
        a.claim(job.id, { leaseMs: 100, now: 1002 }),
        b.claim(job.id, { leaseMs: 100, now: 1002 }),
      ]);
      expect([x.ok, y.ok].filter(Boolean)).toHaveLength(1);
      expect((await a.getJob(job.id))?.status).toBe('processing');
    } finally {
      await a.close();
      await b.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the usage counter is written in the completion transaction: when it cannot be written, the job does not succeed', async () => {
    const h = inMemoryStores();
    try {
      const job = makeJob('alice', 1000);
      await h.jobs.createJob(job);
      await h.jobs.markQueued(job.id, { eventKey: 'k', format: 'pdf', now: 1001 });
      const c = await h.jobs.claim(job.id, { leaseMs: 100, now: 1002 });
      if (!c.ok) throw new Error('claim failed');
      h.db.exec('DROP TABLE usage');
      const objs = { markdown: 'm', json: 'j' };
      await expect(
        h.jobs.complete(job.id, c.lease.leaseId, { warnings: [], pages: 1, resultObjects: objs, now: 1003 }),
      ).rejects.toThrow(/usage/);
      expect(await h.jobs.getJob(job.id)).toMatchObject({ status: 'processing', leaseId: c.lease.leaseId });
    } finally {
      await h.dispose();
    }
  });

  test('a cursor that no listing produced is refused', async () => {
    const store = new SqliteJobStore(':memory:');
    await expect(store.listJobs('alice', { limit: 5, cursor: 'garbage' })).rejects.toBeInstanceOf(InvalidCursorError);
    await store.close();
  });
});
