import { deleteOwnedJob, getOwnedJob, getResult, listOwnedJobs } from '../../../shared/service/jobs/queries.ts';
import { JobNotFoundError, ResultNotReadyError } from '../../../shared/service/jobs/errors.ts';
import { handleUploadFinalized } from '../../../shared/service/jobs/upload-finalized.ts';
import { runConversion } from '../../../shared/service/jobs/run-conversion.ts';
import { createJob } from '../../../shared/service/jobs/create-job.ts';
import { InvalidJobRequestError } from '../../../shared/service/jobs/errors.ts';
import { makeHarness, type Harness } from './harness.ts';

let h: Harness;
beforeEach(() => {
  h = makeHarness();
});
afterEach(() => h.dispose());

async function finishedJob(owner: string): Promise<string> {
  const bytes = Buffer.from('content\n');
  const { jobId, name, generation } = await h.uploaded(bytes, { owner });
  await handleUploadFinalized(h.deps, { bucket: h.deps.uploads.bucket, name, generation, size: bytes.length });
  expect(await runConversion(h.deps, { jobId, deliveryAttempt: 1 })).toBe('succeeded');
  return jobId;
}

test("one user reading, listing, downloading or deleting another's job gets not-found, and the job survives", async () => {
  const id = await finishedJob('alice');
  await expect(getOwnedJob(h.deps, 'mallory', id)).rejects.toBeInstanceOf(JobNotFoundError);
  await expect(getResult(h.deps, 'mallory', id, 'md')).rejects.toBeInstanceOf(JobNotFoundError);
  await expect(getResult(h.deps, 'mallory', id, 'json')).rejects.toBeInstanceOf(JobNotFoundError);
  await expect(deleteOwnedJob(h.deps, 'mallory', id)).rejects.toBeInstanceOf(JobNotFoundError);
  expect((await listOwnedJobs(h.deps, 'mallory', { limit: 100 })).jobs).toEqual([]);
  expect((await getOwnedJob(h.deps, 'alice', id)).status).toBe('succeeded');
  const signed = await getResult(h.deps, 'alice', id, 'md');
  expect(signed.method).toBe('GET');
  expect(Date.parse(signed.expiresAt) - h.clock.now).toBeLessThanOrEqual(h.deps.config.downloadUrlTtlMs);
  await deleteOwnedJob(h.deps, 'alice', id);
  await expect(getOwnedJob(h.deps, 'alice', id)).rejects.toBeInstanceOf(JobNotFoundError);
  expect(await h.deps.results.list(`${id}/`)).toEqual([]);
});

test('results are refused until the job succeeded; malformed ids are simply not found', async () => {
  const { job } = await createJob(h.deps, { owner: 'alice', filename: 'a.txt', contentType: 'text/plain', size: 3 });
  await expect(getResult(h.deps, 'alice', job.id, 'md')).rejects.toBeInstanceOf(ResultNotReadyError);
  await expect(getOwnedJob(h.deps, 'alice', '../../etc/passwd')).rejects.toBeInstanceOf(JobNotFoundError);
});

test('createJob: owner-scoped unguessable object names; type and size limits from config', async () => {
  const { job, upload } = await createJob(h.deps, {
    owner: 'alice',
    filename: 'r.pdf',
    contentType: 'Application/PDF; x=1',
    size: 1000,
  });
  expect(job.inputObject).toBe(`u/alice/${job.id}/input`);
  expect(job.id).toMatch(/^job_[A-Za-z0-9_-]{22}$/);
  expect(job.contentType).toBe('application/pdf');
  expect(upload.headers['x-goog-content-length-range']).toBe('1000,1000');
  const odd = await createJob(h.deps, {
    owner: 'user@example.com/../x',
    filename: 'r.pdf',
    contentType: 'application/pdf',
    size: 1,
  });
  expect(odd.job.inputObject).toMatch(/^u\/h_[0-9a-f]{40}\/job_[A-Za-z0-9_-]{22}\/input$/);
  const limits = h.deps.config.sizeLimits;
  await expect(
    createJob(h.deps, { owner: 'a', filename: 'x', contentType: 'application/pdf', size: limits.pdf + 1 }),
  ).rejects.toMatchObject({ code: 'too_large' });
  await expect(
    createJob(h.deps, { owner: 'a', filename: 'x', contentType: 'image/png', size: limits.image + 1 }),
  ).rejects.toMatchObject({ code: 'too_large' });
  await expect(
    createJob(h.deps, { owner: 'a', filename: 'x', contentType: 'text/csv', size: limits.text + 1 }),
  ).rejects.toMatchObject({ code: 'too_large' });
  await expect(
    createJob(h.deps, { owner: 'a', filename: 'x', contentType: 'application/zip', size: 1 }),
  ).rejects.toBeInstanceOf(InvalidJobRequestError);
  const small = makeHarness({ MDRAFT_LIMIT_PDF_MB: '1' });
  await expect(
    createJob(small.deps, { owner: 'a', filename: 'x', contentType: 'application/pdf', size: 1024 * 1024 + 1 }),
  ).rejects.toMatchObject({ code: 'too_large' });
  await small.dispose();
});
