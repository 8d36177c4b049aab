/** The gcp backend is chosen from configuration and validated at start; nothing here touches the network. */
import { createAdapters } from '../../../shared/adapters/index.ts';
import { gcpSettings } from '../../../shared/adapters/gcp/index.ts';
import { GcsBlobStore } from '../../../shared/adapters/gcp/gcs-blob-store.ts';
import { FirestoreJobStore } from '../../../shared/adapters/gcp/firestore-job-store.ts';
import { FirestoreAccountStore } from '../../../shared/adapters/gcp/firestore-account-store.ts';
import { CloudTasksQueue } from '../../../shared/adapters/gcp/cloud-tasks-queue.ts';
import { FirebaseIdentity } from '../../../shared/adapters/gcp/firebase-identity.ts';
import { ConfigError, loadConfig } from '../../../shared/service/config.ts';

const GCP_ENV = {
  MDRAFT_BACKEND: 'gcp',
  MDRAFT_GCP_PROJECT: 'mdraft-prod',
  MDRAFT_UPLOADS_BUCKET: 'mdraft-prod-uploads',
  MDRAFT_RESULTS_BUCKET: 'mdraft-prod-results',
  MDRAFT_TASKS_QUEUE: 'projects/mdraft-prod/locations/europe-west1/queues/convert',
  MDRAFT_TASKS_SERVICE_ACCOUNT: 'tasks-invoker@mdraft-prod.iam.gserviceaccount.com',
  MDRAFT_WORKER_URL: 'https://convertworker-abc-ew.a.run.app',
};

test('a gcp configuration missing its settings fails at start with every problem named', async () => {
  const error = await createAdapters(loadConfig({ MDRAFT_BACKEND: 'gcp' })).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  const message = (error as Error).message;
  for (const name of ['MDRAFT_GCP_PROJECT', 'MDRAFT_TASKS_QUEUE', 'MDRAFT_TASKS_SERVICE_ACCOUNT', 'MDRAFT_WORKER_URL'])
    expect(message).toContain(name);
});

test('bad values are refused: queue path, plain-http worker, too short a dispatch deadline, odd collection prefix', () => {
  const bad = (patch: Record<string, string>) => () => gcpSettings(loadConfig({ ...GCP_ENV, ...patch }));
  expect(bad({ MDRAFT_TASKS_QUEUE: 'convert' })).toThrow(/MDRAFT_TASKS_QUEUE/);
  expect(bad({ MDRAFT_WORKER_URL: 'http://convertworker.example' })).toThrow(/MDRAFT_WORKER_URL/);
  expect(bad({ MDRAFT_QUEUE_DISPATCH_DEADLINE_S: '5' })).toThrow(/DISPATCH_DEADLINE/);
  expect(bad({ MDRAFT_FIRESTORE_PREFIX: 'a/b' })).toThrow(/PREFIX/);
  expect(bad({ MDRAFT_TASKS_SERVICE_ACCOUNT: 'nobody' })).toThrow(/SERVICE_ACCOUNT/);
});

test('a complete gcp configuration builds the Cloud Storage, Firestore, Cloud Tasks and Firebase adapters', async () => {
  const config = loadConfig({ ...GCP_ENV, MDRAFT_FIREBASE_CHECK_REVOKED: 'false' });
  expect(gcpSettings(config)).toMatchObject({
    projectId: 'mdraft-prod',
    checkRevoked: false,
    firestoreDatabase: '(default)',
    firestorePrefix: '',
  });
  const adapters = await createAdapters(config);
  try {
    expect(adapters.uploads).toBeInstanceOf(GcsBlobStore);
    expect(adapters.uploads.bucket).toBe('mdraft-prod-uploads');
    expect(adapters.results.bucket).toBe('mdraft-prod-results');
    expect(adapters.jobs).toBeInstanceOf(FirestoreJobStore);
    expect(adapters.accounts).toBeInstanceOf(FirestoreAccountStore);
    // One client: usage counted by the job store's completions is what the account store reads.
    expect((adapters.accounts as FirestoreAccountStore).firestore).toBe((adapters.jobs as FirestoreJobStore).firestore);
    expect(adapters.tasks).toBeInstanceOf(CloudTasksQueue);
    expect((adapters.tasks as CloudTasksQueue).taskName('abc')).toBe(`${GCP_ENV.MDRAFT_TASKS_QUEUE}/tasks/abc`);
    expect(adapters.identity).toBeInstanceOf(FirebaseIdentity);
    expect(adapters.local).toBeUndefined();
  } finally {
    await adapters.close();
  }
});
