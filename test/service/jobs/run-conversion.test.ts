import { runConversion } from '../../../shared/service/jobs/run-conversion.ts';
import { handleUploadFinalized } from '../../../shared/service/jobs/upload-finalized.ts';
import { ConversionError } from '../../../shared/engine/errors.ts';
import { makeHarness, okResult, T0, type Harness } from './harness.ts';

let h: Harness;
beforeEach(() => {
  h = makeHarness();
});
afterEach(() => h.dispose());

const text = Buffer.from('Some notes.\n');

async function queuedJob(): Promise<string> {
  const { jobId, name, generation } = await h.uploaded(text);
  expect(
    await handleUploadFinalized(h.deps, { bucket: h.deps.uploads.bucket, name, generation, size: text.length }),
  ).toBe('queued');
  return jobId;
}

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

test('success writes result.md and result.json, marks succeeded and counts usage once', async () => {
  const jobId = await queuedJob();
  h.setRunner(async (bytes, { fileName }) => ({
    ...okResult(`# ${fileName}\n\n${Buffer.from(bytes).toString()}`),
    pageCount: 2,
    warnings: [{ code: 'truncated', message: 'cut' }],
  }));
  expect(await runConversion(h.deps, { jobId, deliveryAttempt: 1 })).toBe('succeeded');
  const job = await h.store.getJob(jobId);
  expect(job).toMatchObject({
    status: 'succeeded',
    pages: 2,
    attempts: 1,
    warnings: [{ code: 'truncated', message: 'cut' }],
  });
  const md = Buffer.from((await h.deps.results.read(job!.resultObjects!.markdown))!).toString();
  expect(md).toBe('# notes.txt\n\nSome notes.\n');
  const json = JSON.parse(Buffer.from((await h.deps.results.read(job!.resultObjects!.json))!).toString());
  expect(json).toMatchObject({ jobId, markdown: md, pageCount: 2, warnings: [{ code: 'truncated' }] });
  expect(await runConversion(h.deps, { jobId, deliveryAttempt: 2 })).toBe('noop');
  expect((await h.accounts.getUsage('alice', '2027-01')).jobs).toBe(1);
});

test('the same task delivered twice at once converts once: the second delivery is told to come back later', async () => {
  const jobId = await queuedJob();
  const gate = deferred<void>();
  let runs = 0;
  h.setRunner(async () => {
    runs++;
    await gate.promise;
    return okResult('# once\n');
  });
  const first = runConversion(h.deps, { jobId, deliveryAttempt: 1 });
  await new Promise((r) => setTimeout(r, 20));
  expect(await runConversion(h.deps, { jobId, deliveryAttempt: 1 })).toBe('busy');
  gate.resolve();
  expect(await first).toBe('succeeded');
  // The retry of the "busy" delivery finds the job finished.
  expect(await runConversion(h.deps, { jobId, deliveryAttempt: 2 })).toBe('noop');
  expect(runs).toBe(1);
  expect((await h.accounts.getUsage('alice', '2027-01')).jobs).toBe(1);
});

test('a poison file failing every attempt ends failed on the last attempt, and the queue is told to stop', async () => {
  const jobId = await queuedJob();
  let runs = 0;
  h.setRunner(async () => {
    runs++;
    throw new ConversionError('internal', 'the parser crashed');
  });
  const max = h.deps.config.maxAttempts;
  const outcomes = [];
  for (let attempt = 1; attempt <= max; attempt++)
    outcomes.push(await runConversion(h.deps, { jobId, deliveryAttempt: attempt }));
  expect(outcomes).toEqual([...Array(max - 1).fill('retry'), 'failed']);
  expect(runs).toBe(max);
  expect(await h.store.getJob(jobId)).toMatchObject({
    status: 'failed',
    attempts: max,
    error: { code: 'attempts_exhausted' },
  });
  expect(await runConversion(h.deps, { jobId, deliveryAttempt: max + 1 })).toBe('noop');
});

test('a permanent conversion error fails the job at once', async () => {
  const jobId = await queuedJob();
  h.setRunner(async () => {
    throw new ConversionError('encrypted', 'password protected');
  });
  expect(await runConversion(h.deps, { jobId, deliveryAttempt: 1 })).toBe('failed');
  expect(await h.store.getJob(jobId)).toMatchObject({
    status: 'failed',
    error: { code: 'encrypted', message: 'password protected' },
  });
});

test('a worker killed mid-job: once its lease expires the next delivery takes over and finishes', async () => {
  const jobId = await queuedJob();
  // The dead worker got the lease, then vanished.
  const dead = await h.store.claim(jobId, { leaseMs: h.deps.config.leaseMs, now: h.clock.now });
  expect(dead.ok).toBe(true);
  expect(await runConversion(h.deps, { jobId, deliveryAttempt: 2 })).toBe('busy');
  h.clock.now += h.deps.config.leaseMs + 1;
  expect(await runConversion(h.deps, { jobId, deliveryAttempt: 3 })).toBe('succeeded');
  expect(await h.store.getJob(jobId)).toMatchObject({ status: 'succeeded', attempts: 2 });
});

test('a slow worker whose lease was taken over cannot record a second result', async () => {
  const jobId = await queuedJob();
  const gate = deferred<void>();
  let call = 0;
  h.setRunner(async () => {
    call++;
    if (call === 1) {
      await gate.promise;
      return okResult('# slow\n');
    }
    return okResult('# fast\n');
  });
  const slow = runConversion(h.deps, { jobId, deliveryAttempt: 1 });
  await new Promise((r) => setTimeout(r, 20));
  h.clock.now += h.deps.config.leaseMs + 1;
  expect(await runConversion(h.deps, { jobId, deliveryAttempt: 2 })).toBe('succeeded');
  gate.resolve();
  expect(await slow).toBe('noop');
  const job = await h.store.getJob(jobId);
  expect(job).toMatchObject({ status: 'succeeded', attempts: 2 });
  expect((await h.accounts.getUsage('alice', '2027-01')).jobs).toBe(1);
});

test('busy on the last delivery acknowledges, and schedules one delivery for when the lease runs out', async () => {
  const jobId = await queuedJob();
  const claim = await h.store.claim(jobId, { leaseMs: h.deps.config.leaseMs, now: T0 });
  if (!claim.ok) throw new Error('not claimed');
  for (let i = 0; i < 2; i++)
    expect(await runConversion(h.deps, { jobId, deliveryAttempt: h.deps.config.maxAttempts })).toBe('noop');
  const takeovers = [...h.queue.tasks.values()].filter((t) => t.name.startsWith('takeover_'));
  // One task per lease however many deliveries met it, due a second after the lease expires.
  expect(takeovers).toEqual([
    expect.objectContaining({ body: { jobId }, scheduleTime: new Date(claim.lease.expiresAt + 1000) }),
  ]);
});

test('a deleted job or a missing input ends the delivery', async () => {
  expect(await runConversion(h.deps, { jobId: 'job_gone00000000000000000', deliveryAttempt: 1 })).toBe('noop');
  const jobId = await queuedJob();
  const job = await h.store.getJob(jobId);
  await h.deps.uploads.delete(job!.inputObject);
  expect(await runConversion(h.deps, { jobId, deliveryAttempt: 1 })).toBe('failed');
  expect(await h.store.getJob(jobId)).toMatchObject({ status: 'failed', error: { code: 'upload_missing' } });
});

describe('the optional LLM tidy-up', () => {
  async function tidiedWith(tidy: (markdown: string) => Promise<string>) {
    const jobId = await queuedJob();
    h.setRunner(async () => okResult('# Report\n\nTotal revenue was 42 million\nin the year.\n'));
    h.deps.llm = { tidy };
    expect(await runConversion(h.deps, { jobId, deliveryAttempt: 1 })).toBe('succeeded');
    const job = await h.store.getJob(jobId);
    const md = Buffer.from((await h.deps.results.read(job!.resultObjects!.markdown))!).toString();
    return { job: job!, md };
  }

  test('keeps a faithful reformat', async () => {
    const { job, md } = await tidiedWith(async () => '# Report\n\nTotal revenue was 42 million in the year.\n');
    expect(md).toBe('# Report\n\nTotal revenue was 42 million in the year.\n');
    expect(job.warnings).toEqual([]);
  });

  test('rejects output that changes a number, keeping the converted Markdown with a warning', async () => {
    const { job, md } = await tidiedWith(async () => '# Report\n\nTotal revenue was 43 million in the year.\n');
    expect(md).toBe('# Report\n\nTotal revenue was 42 million\nin the year.\n');
    expect(job.warnings.map((w) => w.code)).toEqual(['llm_rejected']);
  });

  test('keeps the converted Markdown when the LLM fails', async () => {
    const { job, md } = await tidiedWith(async () => {
      throw new Error('quota');
    });
    expect(md).toContain('42 million');
    expect(job.warnings.map((w) => w.code)).toEqual(['llm_failed']);
  });
});
