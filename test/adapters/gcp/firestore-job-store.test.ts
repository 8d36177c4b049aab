/**
 * The JobStore contract against the official Firestore emulator, started and stopped by this suite (the
 * AccountStore contract is firestore-account-store.test.ts). Without
 * gcloud the suite FAILS (see test/setup/firestore-emulator.ts) unless MDRAFT_SKIP_EMULATOR=1 says so.
 */
import { readFileSync } from 'node:fs';
import { jest } from '@jest/globals';
import { Timestamp } from '@google-cloud/firestore';
import {
  FirestoreJobStore,
  NAME_TERMS_BACKFILL_DOC,
  NAME_TERMS_FIELD,
  TTL_FIELD,
} from '../../../shared/adapters/gcp/firestore-job-store.ts';
import { withoutUndefined } from '../../../shared/adapters/gcp/firestore-docs.ts';
import { cleanup } from '../../../shared/service/jobs/cleanup.ts';
import { logs } from '../../../shared/service/logs.ts';
import type { Job } from '../../../shared/service/ports.ts';
import { makeHarness, T0 } from '../../service/jobs/harness.ts';
import { InvalidCursorError } from '../../../shared/service/jobs/errors.ts';
import { describeJobStoreContract, makeJob } from '../../contracts/job-store.contract.ts';
import { withFirestoreEmulator } from '../../setup/firestore-emulator.ts';
import { newFirestoreStores } from './firestore-stores.ts';

function newStore(options: { retentionMs?: number } = {}): FirestoreJobStore {
  return newFirestoreStores(options).jobs;
}

withFirestoreEmulator('the JobStore contract for Firestore', () => {
  describeJobStoreContract('Firestore (official emulator)', async () => newFirestoreStores());

  describe('FirestoreJobStore specifics', () => {
    let store: FirestoreJobStore;
    beforeEach(() => {
      store = newStore({ retentionMs: 30 * 86400_000 });
    });
    afterEach(async () => store.close());

    test('a job is one document under its own id, with an expiresAt Timestamp for the TTL policy that reads never return', async () => {
      const job = makeJob('alice', 1_800_000_000_000);
      await store.createJob(job);
      const raw = (await store.firestore.collection('jobs').doc(job.id).get()).data()!;
      expect(raw[TTL_FIELD]).toBeInstanceOf(Timestamp);
      expect((raw[TTL_FIELD] as Timestamp).toMillis()).toBe(job.createdAt + 37 * 86400_000);
      expect(raw).toMatchObject({ id: job.id, owner: 'alice', status: 'awaiting_upload' });
      // The name search's terms: every prefix of each word-start suffix of the lower-cased name.
      expect(raw[NAME_TERMS_FIELD]).toEqual(['d', 'do', 'doc', 'doc.', 'doc.p', 'doc.pd', 'doc.pdf', 'p', 'pd', 'pdf']);
      expect(await store.getJob(job.id)).toEqual(job);
    });

    test('ids that are not plain document ids are never documents', async () => {
      expect(await store.getJob('jobs/../x')).toBeUndefined();
      expect(await store.claim('__bad__', { leaseMs: 1, now: 1 })).toEqual({ ok: false, reason: 'not_found' });
      expect(await store.fail('a/b', { error: { code: 'x', message: 'y' }, now: 1 })).toBe(false);
    });

    /** A job document as a release before the name search wrote it: no `nameTerms`. */
    async function writeLegacy(job: Job): Promise<void> {
      await store.firestore.collection('jobs').doc(job.id).set(withoutUndefined(job));
    }

    test('the backfill gives jobs written without name terms their terms, a bounded batch a call, resuming where it stopped', async () => {
      const legacy = ['Quarterly Report.pdf', 'minutes-2019.docx', 'Budget_FINAL.xlsx'].map((filename, i) =>
        makeJob('alice', 1_800_000_000_000 + i, { filename }),
      );
      for (const job of legacy) await writeLegacy(job);
      const current = makeJob('alice', 1_800_000_000_100, { filename: 'Report card.pdf' });
      await store.createJob(current);
      const currentRef = store.firestore.collection('jobs').doc(current.id);
      const writtenAt = (await currentRef.get()).updateTime!;
      expect((await store.listJobs('alice', { limit: 10, name: 'report' })).jobs.map((j) => j.id)).toEqual([
        current.id,
      ]);

      // Four jobs, two a call: two full batches, then an empty read that finishes the pass.
      const first = await store.backfillNameTerms(2);
      expect(first).toMatchObject({ scanned: 2, done: false });
      const second = await store.backfillNameTerms(2);
      expect(second).toMatchObject({ scanned: 2, done: false });
      expect(first.filled + second.filled).toBe(3);
      expect(await store.backfillNameTerms(2)).toEqual({ scanned: 0, filled: 0, done: true });
      // Finished: later calls read nothing, and the job that had its terms was never rewritten.
      expect(await store.backfillNameTerms(2)).toEqual({ scanned: 0, filled: 0, done: true });
      expect((await currentRef.get()).updateTime!.isEqual(writtenAt)).toBe(true);
      expect((await store.firestore.collection('maintenance').doc(NAME_TERMS_BACKFILL_DOC).get()).data()).toEqual({
        done: true,
      });

      const found = async (q: string) =>
        (await store.listJobs('alice', { limit: 10, name: q })).jobs.map((j) => j.filename).sort();
      expect(await found('report')).toEqual(['Quarterly Report.pdf', 'Report card.pdf']);
      expect(await found('2019')).toEqual(['minutes-2019.docx']);
      expect(await found('final')).toEqual(['Budget_FINAL.xlsx']);
      // The terms stay out of what reads return.
      expect(await store.getJob(legacy[0].id)).toEqual(legacy[0]);
    });

    test('a cursor no listing produced is refused', async () => {
      await expect(store.listJobs('alice', { limit: 5, cursor: 'bm90LWEtY3Vyc29y' })).rejects.toBeInstanceOf(
        InvalidCursorError,
      );
    });
  });

  describe('the cleanup on Firestore', () => {
    test('a job document written without name terms is found by the name search after a cleanup run, logged', async () => {
      const h = makeHarness();
      const stores = newFirestoreStores({ retentionMs: h.deps.config.retentionMs });
      const logged = jest.spyOn(logs, 'nameTermsBackfilled');
      try {
        const deps = { ...h.deps, jobs: stores.jobs, accounts: stores.accounts };
        const job = makeJob('alice', T0 - 60_000, { status: 'succeeded', filename: 'Annual Accounts 2024.pdf' });
        await stores.jobs.firestore.collection('jobs').doc(job.id).set(withoutUndefined(job));
        const search = async () => (await stores.jobs.listJobs('alice', { limit: 10, name: 'accounts' })).jobs;
        expect(await search()).toEqual([]);

        expect(await cleanup(deps, 'req-1')).toMatchObject({ deleted: 0, nameTermsFilled: 1 });
        expect(await search()).toEqual([job]);
        expect(logged).toHaveBeenCalledWith({ requestId: 'req-1', scanned: 1, filled: 1, done: true });

        // Idempotent: the next run finds the pass finished, fills and logs nothing.
        logged.mockClear();
        expect(await cleanup(deps)).toMatchObject({ nameTermsFilled: 0 });
        expect(logged).not.toHaveBeenCalled();
      } finally {
        logged.mockRestore();
        await stores.dispose();
        await h.dispose();
      }
    });
  });
});

describe('firestore-indexes.json', () => {
  test('declares the composite indexes the store queries use and the TTL field', () => {
    const spec = JSON.parse(
      readFileSync(new URL('../../../shared/adapters/gcp/firestore-indexes.json', import.meta.url), 'utf8'),
    ) as {
      indexes: { collectionGroup: string; fields: { fieldPath: string; order?: string; arrayConfig?: string }[] }[];
      fieldOverrides: { collectionGroup: string; fieldPath: string; ttl: boolean }[];
    };
    const shapes = spec.indexes.map(
      (i) => `${i.collectionGroup}:${i.fields.map((f) => `${f.fieldPath}/${f.order?.[0] ?? f.arrayConfig}`).join(',')}`,
    );
    expect(shapes).toEqual(
      expect.arrayContaining([
        'jobs:owner/A,createdAt/D,id/D',
        // The name search (`listJobs` with `name`): array-contains on the name's terms, newest first.
        `jobs:owner/A,${NAME_TERMS_FIELD}/CONTAINS,createdAt/D,id/D`,
        'jobs:status/A,uploadDeadline/A',
        'jobs:status/A,leaseExpiresAt/A',
        'jobs:status/A,updatedAt/A',
        'apiKeys:owner/A,createdAt/A,id/A',
      ]),
    );
    expect(spec.fieldOverrides).toContainEqual(
      expect.objectContaining({ collectionGroup: 'jobs', fieldPath: TTL_FIELD, ttl: true }),
    );
  });
});
