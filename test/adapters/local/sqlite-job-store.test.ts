import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteJobStore } from '../../../shared/adapters/local/sqlite-job-store.ts';
import { describeJobStoreContract, makeJob } from '../../contracts/job-store.contract.ts';
import { InvalidCursorError } from '../../../shared/service/jobs/errors.ts';

describeJobStoreContract('node:sqlite (in memory)', async () => {
  const store = new SqliteJobStore(':memory:');
  return { store, dispose: () => store.close() };
});

describeJobStoreContract('node:sqlite (file, WAL)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mdraft-store-'));
  const store = new SqliteJobStore(join(dir, 'db.sqlite'));
  return {
    store,
    dispose: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

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

  test('a cursor that no listing produced is refused', async () => {
    const store = new SqliteJobStore(':memory:');
    await expect(store.listJobs('alice', { limit: 5, cursor: 'garbage' })).rejects.toBeInstanceOf(InvalidCursorError);
    await store.close();
  });
});
