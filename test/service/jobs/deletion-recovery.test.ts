/**
 * Deletion is final (a job deleted while it converts leaves no object behind; bytes re-sent to a rejected
 * upload's URL are removed) and recovery is prompt (a live worker's heartbeat renews its lease, a dead one's
 * job is taken over a lease later; cleanup's recovery of lost finalize events is not starved by never-uploaded
 * jobs).
 */
import { runConversion } from '../../../shared/service/jobs/run-conversion.ts';
import { handleUploadFinalized } from '../../../shared/service/jobs/upload-finalized.ts';
import { deleteOwnedJob } from '../../../shared/service/jobs/queries.ts';
import { cleanup } from '../../../shared/service/jobs/cleanup.ts';
import { createJob } from '../../../shared/service/jobs/create-job.ts';
import { makeHarness, okResult, T0, type Harness } from './harness.ts';

let h: Harness;
afterEach(() => h.dispose());

const text = Buffer.from('Some notes.\n');

async function queuedJob(owner = 'alice'): Promise<string> {
  const { jobId, name, generation } = await h.uploaded(text, { owner });
  await handleUploadFinalized(h.deps, { bucket: h.deps.uploads.bucket, name, generation, size: text.length });
  return jobId;
}

function gate(): { wait: Promise<void>; open(): void } {
  let open = () => undefined as void;
  const wait = new Promise<void>((r) => (open = r));
  return { wait, open };
}

test('deleted while converting: the worker writes nothing and nothing remains', async () => {
  h = makeHarness();
  const jobId = await queuedJob();
  const started = gate();
  const release = gate();
  h.setRunner(async () => {
    started.open();
    await release.wait;
    return okResult('# secret\n');
  });
  const run = runConversion(h.deps, { jobId, deliveryAttempt: 1 });
  await started.wait;
  await deleteOwnedJob(h.deps, 'alice', jobId);
  release.open();
  expect(await run).toBe('noop');
  expect(await h.deps.results.list('')).toEqual([]);
  expect(await h.deps.uploads.list('')).toEqual([]);
  expect(await h.store.getJob(jobId)).toBeUndefined();
});

test('deleted between the result writes and completion: the worker removes what it wrote', async () => {
  h = makeHarness();
  const jobId = await queuedJob();
  const write = h.deps.results.write.bind(h.deps.results);
  let deleted = false;
  h.deps.results.write = async (name, bytes, options) => {
    const stat = await write(name, bytes, options);
    if (!deleted) {
      deleted = true;
      await deleteOwnedJob(h.deps, 'alice', jobId);
    }
    return stat;
  };
  expect(await runConversion(h.deps, { jobId, deliveryAttempt: 1 })).toBe('noop');
  expect(await h.deps.results.list('')).toEqual([]);
  expect(await h.deps.uploads.list('')).toEqual([]);
});

test('results a crash left without a job, and uploads of deleted jobs, are swept by cleanup', async () => {
  h = makeHarness();
  const keep = await queuedJob();
  expect(await runConversion(h.deps, { jobId: keep, deliveryAttempt: 1 })).toBe('succeeded');
  const gone = await queuedJob();
  await h.store.deleteJob(gone); // a crash right after the record went: its blobs are left
  await h.deps.results.write(`${gone}/result.md`, Buffer.from('x'), { contentType: 'text/markdown' });
  const report = await cleanup(h.deps);
  expect(report).toMatchObject({ uploadsSwept: 1, resultsSwept: 1 });
  expect(await h.deps.results.list('')).toEqual([`${keep}/result.json`, `${keep}/result.md`]);
  expect(await h.deps.uploads.list('')).toEqual([(await h.store.getJob(keep))!.inputObject]);
});

test('bytes re-sent to the URL of a rejected upload are deleted, by the finalize handler or by cleanup', async () => {
  h = makeHarness();
  // Declared 3 bytes, sent 12: rejected (size_mismatch), the object deleted.
  const { jobId, name, generation } = await h.uploaded(text, { size: 3 });
  const event = { bucket: h.deps.uploads.bucket, name, generation, size: text.length };
  expect(await handleUploadFinalized(h.deps, event)).toBe('rejected');
  expect(await h.deps.uploads.stat(name)).toBeUndefined();
  // The create-only URL is still valid: the same bytes land again.
  const again = await h.deps.uploads.write(name, text, { contentType: 'text/plain', ifGenerationMatch: 0 });
  expect(await handleUploadFinalized(h.deps, { ...event, generation: again.generation })).toBe('ignored');
  expect(await h.deps.uploads.stat(name)).toBeUndefined();
  // Its event lost this time: cleanup sweeps it.
  await h.deps.uploads.write(name, text, { contentType: 'text/plain', ifGenerationMatch: 0 });
  expect(await cleanup(h.deps)).toMatchObject({ uploadsSwept: 1 });
  expect(await h.deps.uploads.stat(name)).toBeUndefined();
  expect((await h.store.getJob(jobId))?.error?.code).toBe('size_mismatch');
});

test('the heartbeat renews a live lease; a dead worker is taken over one lease later (about a minute)', async () => {
  h = makeHarness({ MDRAFT_LEASE_S: '3' });
  expect(h.deps.config.leaseRenewMs).toBe(1000);
  const jobId = await queuedJob();
  let seen: number | undefined;
  h.setRunner(async () => {
    const first = (await h.store.getJob(jobId))!.leaseExpiresAt!;
    h.clock.now += 2500;
    await new Promise((r) => setTimeout(r, 1300)); // one beat
    const after = (await h.store.getJob(jobId))!.leaseExpiresAt!;
    seen = after - first;
    // Past the original lease, but renewed: another delivery is refused.
    expect(await runConversion(h.deps, { jobId, deliveryAttempt: 2 })).toBe('busy');
    return okResult('# ok\n');
  });
  expect(await runConversion(h.deps, { jobId, deliveryAttempt: 1 })).toBe('succeeded');
  expect(seen).toBe(2500);

  await h.dispose();
  h = makeHarness({ MDRAFT_LEASE_S: '60' });
  expect(h.deps.config.leaseMs).toBe(60_000);
  const crashed = await queuedJob();
  expect((await h.store.claim(crashed, { leaseMs: h.deps.config.leaseMs, now: h.clock.now })).ok).toBe(true);
  // The worker died: no heartbeat. Within the minute the job is still held; just after, it is taken over.
  h.clock.now += 59_000;
  expect(await runConversion(h.deps, { jobId: crashed, deliveryAttempt: 2 })).toBe('busy');
  h.clock.now += 1_001;
  expect(await runConversion(h.deps, { jobId: crashed, deliveryAttempt: 3 })).toBe('succeeded');
}, 20_000);

test("cleanup's recovery of a lost finalize event is not starved by 250 never-uploaded jobs", async () => {
  h = makeHarness();
  for (let i = 0; i < 250; i++) {
    await createJob(h.deps, { owner: `u${i % 7}`, filename: 'a.txt', contentType: 'text/plain', size: 10 });
  }
  h.clock.now = T0 + 1000;
  const { jobId } = await h.uploaded(text, { owner: 'bob' }); // its event is lost
  h.clock.now += h.deps.config.requeueAfterMs + 1;
  expect(await cleanup(h.deps)).toMatchObject({ recovered: 1, expired: 0 });
  expect((await h.store.getJob(jobId))?.status).toBe('queued');
});
