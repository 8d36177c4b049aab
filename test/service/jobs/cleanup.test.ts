import { cleanup } from '../../../shared/service/jobs/cleanup.ts';
import { runConversion } from '../../../shared/service/jobs/run-conversion.ts';
import { handleUploadFinalized } from '../../../shared/service/jobs/upload-finalized.ts';
import { createJob } from '../../../shared/service/jobs/create-job.ts';
import { makeHarness, T0, type Harness } from './harness.ts';

let h: Harness;
beforeEach(() => {
  h = makeHarness();
});
afterEach(() => h.dispose());

const text = Buffer.from('Some notes.\n');

async function queuedJob(): Promise<string> {
  const { jobId, name, generation } = await h.uploaded(text);
  await handleUploadFinalized(h.deps, { bucket: h.deps.uploads.bucket, name, generation, size: text.length });
  return jobId;
}

test('retention removes records, inputs and results; never-uploaded jobs expire', async () => {
  const done = await queuedJob();
  expect(await runConversion(h.deps, { jobId: done, deliveryAttempt: 1 })).toBe('succeeded');
  const doneJob = (await h.store.getJob(done))!;
  const { job: waiting } = await createJob(h.deps, {
    owner: 'alice',
    filename: 'a.pdf',
    contentType: 'application/pdf',
    size: 10,
  });

  h.clock.now = T0 + h.deps.config.uploadWindowMs + 1;
  expect(await cleanup(h.deps)).toMatchObject({ deleted: 0, expired: 1 });
  expect(await h.store.getJob(waiting.id)).toMatchObject({ status: 'expired', error: { code: 'upload_expired' } });

  h.clock.now = T0 + h.deps.config.retentionMs + 1;
  const report = await cleanup(h.deps);
  expect(report.deleted).toBe(2);
  expect(await h.store.getJob(done)).toBeUndefined();
  expect(await h.deps.uploads.stat(doneJob.inputObject)).toBeUndefined();
  expect(await h.deps.results.stat(doneJob.resultObjects!.markdown)).toBeUndefined();
  expect(await cleanup(h.deps)).toEqual({
    deleted: 0,
    recovered: 0,
    expired: 0,
    failedLostWorker: 0,
    requeued: 0,
    uploadsSwept: 0,
    resultsSwept: 0,
    analysesFailed: 0,
    analysesRequeued: 0,
    webhooksEnqueued: 0,
    nameTermsFilled: 0,
  });
});

test('a lease that expired on the last attempt fails the job; an earlier one waits for its retry until the grace period', async () => {
  const last = await queuedJob();
  const early = await queuedJob();
  for (let i = 0; i < h.deps.config.maxAttempts; i++) {
    const c = await h.store.claim(last, { leaseMs: 1000, now: h.clock.now });
    expect(c.ok).toBe(true);
    h.clock.now += 1001;
  }
  await h.store.claim(early, { leaseMs: 1000, now: h.clock.now });
  h.clock.now += 1001;
  expect(await cleanup(h.deps)).toMatchObject({ failedLostWorker: 1 });
  expect(await h.store.getJob(last)).toMatchObject({ status: 'failed', error: { code: 'attempts_exhausted' } });
  expect((await h.store.getJob(early))?.status).toBe('processing');
  h.clock.now += h.deps.config.lostWorkerGraceMs + 1;
  expect(await cleanup(h.deps)).toMatchObject({ failedLostWorker: 1 });
  expect(await h.store.getJob(early)).toMatchObject({ status: 'failed', error: { code: 'worker_lost' } });
});

test('a queued job whose task was lost is enqueued again under the same name', async () => {
  const jobId = await queuedJob();
  const [name] = [...h.queue.tasks.keys()];
  h.queue.tasks.clear();
  h.clock.now += h.deps.config.requeueAfterMs + 1;
  expect(await cleanup(h.deps)).toMatchObject({ requeued: 1 });
  expect([...h.queue.tasks.keys()]).toEqual([name]);
  expect(h.queue.tasks.get(name)?.body).toEqual({ jobId });
});

test('two cleanups at once reach the same state as one', async () => {
  const ids = [await queuedJob(), await queuedJob(), await queuedJob()];
  for (const id of ids) await h.store.claim(id, { leaseMs: 10, now: h.clock.now });
  await createJob(h.deps, { owner: 'bob', filename: 'b.txt', contentType: 'text/plain', size: 3 });
  h.clock.now = T0 + h.deps.config.lostWorkerGraceMs + h.deps.config.uploadWindowMs + 100;
  const [a, b] = await Promise.all([cleanup(h.deps), cleanup(h.deps)]);
  expect(a.failedLostWorker + b.failedLostWorker).toBe(3);
  expect(a.expired + b.expired).toBe(1);
  for (const id of ids) expect((await h.store.getJob(id))?.status).toBe('failed');
});

test('an upload whose finalize event was lost is picked up by cleanup instead of expiring', async () => {
  const { jobId } = await h.uploaded(text);
  expect(await cleanup(h.deps)).toMatchObject({ recovered: 0 });
  h.clock.now += h.deps.config.requeueAfterMs + 1;
  expect(await cleanup(h.deps)).toMatchObject({ recovered: 1, expired: 0 });
  expect((await h.store.getJob(jobId))?.status).toBe('queued');
  expect(h.queue.tasks.size).toBe(1);
  h.clock.now += h.deps.config.uploadWindowMs;
  await cleanup(h.deps);
  expect((await h.store.getJob(jobId))?.status).toBe('queued');
});
