/**
 * The JobStore contract against the official Firestore emulator, started and stopped by this suite (the
 * AccountStore contract is firestore-account-store.test.ts). Without
 * gcloud the suite FAILS (see test/setup/firestore-emulator.ts) unless MDRAFT_SKIP_EMULATOR=1 says so.
 */
import { readFileSync } from 'node:fs';
import { Timestamp } from '@google-cloud/firestore';
import { FirestoreJobStore, NAME_TERMS_FIELD, TTL_FIELD } from '../../../shared/adapters/gcp/firestore-job-store.ts';
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

    test('a cursor no listing produced is refused', async () => {
      await expect(store.listJobs('alice', { limit: 5, cursor: 'bm90LWEtY3Vyc29y' })).rejects.toBeInstanceOf(
        InvalidCursorError,
      );
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
