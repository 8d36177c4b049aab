import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteAccountStore } from '../../../shared/adapters/local/sqlite-account-store.ts';
import { SqliteJobStore } from '../../../shared/adapters/local/sqlite-job-store.ts';
import { describeAccountStoreContract } from '../../contracts/account-store.contract.ts';
import { makeJob } from '../../contracts/job-store.contract.ts';
import { inMemoryStores, onFileStores } from './sqlite-stores.ts';

describeAccountStoreContract('node:sqlite (in memory)', async () => inMemoryStores());
describeAccountStoreContract('node:sqlite (file, WAL)', async () => onFileStores());

describe('SqliteAccountStore specifics', () => {
  test('stores opened on one file by path (the CLI beside the server) share keys and the usage the job store counts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mdraft-store-'));
    const file = join(dir, 'db.sqlite');
    const jobs = new SqliteJobStore(file);
    const cli = new SqliteAccountStore(file);
    const server = new SqliteAccountStore(file);
    try {
      const key = { id: 'f'.repeat(64), owner: 'alice', name: 'dev-key', prefix: 'mdk_ffff', createdAt: 1 };
      await cli.createApiKey(key);
      expect(await server.findApiKeyByHash(key.id)).toEqual(key);
      const job = makeJob('alice', Date.UTC(2027, 5, 1));
      await jobs.createJob(job);
      await jobs.markQueued(job.id, { eventKey: 'k', format: 'pdf', now: job.createdAt + 1 });
      const c = await jobs.claim(job.id, { leaseMs: 100, now: job.createdAt + 2 });
      if (!c.ok) throw new Error('claim failed');
      const objs = { markdown: 'm', json: 'j' };
      await jobs.complete(job.id, c.lease.leaseId, {
        warnings: [],
        pages: 2,
        resultObjects: objs,
        now: job.createdAt + 3,
      });
      expect(await server.getUsage('alice', '2027-06')).toMatchObject({ jobs: 1, pages: 2 });
    } finally {
      await Promise.all([jobs.close(), cli.close(), server.close()]);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
