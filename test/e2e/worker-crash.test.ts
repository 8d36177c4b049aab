/**
 * A worker that dies mid-conversion (the process killed, then the server restarted) over real HTTP on the
 * embedded default. What the crash leaves is a job `processing` under a lease nobody renews, and its task
 * redelivered at once by the restarted queue. Every redelivery within the lease meets the live lease
 * (`busy`); when the queue's attempts run out before the lease does, the job must still be taken over once
 * the lease expires and converted, not left `processing` until cleanup's lost-worker grace (an hour) fails it.
 */
import { taskNameFor } from '../../shared/service/jobs/names.ts';
import type { ConversionRunner } from '../../shared/service/jobs/runner.ts';
import { Client, startTestServer, type TestServer } from './client.ts';

const LEASE_S = 3;
let server: TestServer;
let client: Client;
let runs = 0;

const runner: ConversionRunner = async (bytes) => {
  runs++;
  return { format: 'text', mediaType: 'text/plain', markdown: Buffer.from(bytes).toString(), warnings: [] };
};

beforeAll(async () => {
  // The queue's three deliveries span 0.3 s (backoff 100, 200 ms), far inside the 3 s lease: all of them meet
  // the dead worker's lease, as the default queue's 15 s of retries meet the default 60 s lease.
  server = await startTestServer(
    {
      MDRAFT_LEASE_S: String(LEASE_S),
      MDRAFT_MAX_ATTEMPTS: '3',
      MDRAFT_QUEUE_MIN_BACKOFF_MS: '100',
      MDRAFT_QUEUE_MAX_BACKOFF_MS: '1000',
    },
    { runner },
  );
  client = new Client(server.url, server.apiKey!);
}, 30_000);

afterAll(async () => {
  await server?.stop();
});

test('a job whose worker died is converted once its lease expires, though every redelivery met the lease', async () => {
  const bytes = Buffer.from('survived a crash\n');
  // `confirm` stops the job after its upload is counted, so the test can put it where a crash leaves it.
  const created = await client.create('crash.txt', 'text/plain', bytes.length, { confirm: true });
  const id = created.job.id;
  expect((await client.upload(created, bytes)).status).toBe(200);
  await client.waitFor(id, ['awaiting_confirmation']);

  // The dead worker: it took the job's lease and was killed before renewing or finishing it.
  const now = Date.now();
  expect((await server.deps.jobs.confirm(id, { now })).ok).toBe(true);
  const claim = await server.deps.jobs.claim(id, { leaseMs: LEASE_S * 1000, now });
  expect(claim.ok).toBe(true);
  const eventKey = (await server.deps.jobs.getJob(id))!.eventKey!;
  // The restarted queue redelivers the task that was in flight.
  await server.deps.tasks.enqueue({ name: taskNameFor(eventKey), url: server.config.workerUrl, body: { jobId: id } });

  const job = await client.waitFor(id, ['succeeded', 'failed', 'expired'], (LEASE_S + 10) * 1000);
  expect(job).toMatchObject({ status: 'succeeded', attempts: 2 });
  expect(runs).toBe(1);
  const download = (await client.result(id)).download!;
  expect(await download.text()).toBe('survived a crash\n');
}, 30_000);
