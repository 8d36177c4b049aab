/** Owner-scoped reads and deletion. Another owner's job behaves exactly like a missing one. */
import type { Job, JobPage, SignedRequest } from '../ports.ts';
import type { PipelineDeps } from './deps.ts';
import { JobNotFoundError, ResultNotReadyError } from './errors.ts';
import { isJobId } from './names.ts';
import { downloadName } from './download-name.ts';
import { logs } from '../logs.ts';
import { analysisResultsPrefix } from '../analyses/names.ts';

export async function getOwnedJob(deps: PipelineDeps, owner: string, jobId: string): Promise<Job> {
  if (!isJobId(jobId)) throw new JobNotFoundError();
  const job = await deps.jobs.getJob(jobId);
  if (!job || job.owner !== owner) throw new JobNotFoundError();
  return job;
}

/** `owner`'s jobs, newest first; `name` searches by file name (the rule: `JobStore.listJobs`). */
export function listOwnedJobs(
  deps: PipelineDeps,
  owner: string,
  page: { limit: number; cursor?: string; name?: string },
): Promise<JobPage> {
  return deps.jobs.listJobs(owner, page);
}

/** A short-lived signed download URL for the Markdown (`md`) or the structured JSON result. */
export async function getResult(
  deps: PipelineDeps,
  owner: string,
  jobId: string,
  format: 'md' | 'json',
): Promise<SignedRequest> {
  const job = await getOwnedJob(deps, owner, jobId);
  if (job.status !== 'succeeded' || !job.resultObjects) {
    const why =
      job.status === 'failed' ? `the job failed (${job.error?.code ?? 'unknown'})` : `the job is ${job.status}`;
    throw new ResultNotReadyError(job.status, `no result: ${why}`);
  }
  const name = format === 'md' ? job.resultObjects.markdown : job.resultObjects.json;
  return deps.results.signDownload(name, {
    expiresAt: new Date(deps.now() + deps.config.downloadUrlTtlMs),
    filename: downloadName(job.filename, format),
    contentType: format === 'md' ? 'text/markdown; charset=utf-8' : 'application/json',
  });
}

/**
 * Removes the record (with its analyses), then input, results and analysis results. Idempotent. The record goes first: it is the tombstone a worker
 * converting this job meets (its lease renewal and completion are refused, and it removes what it wrote), and
 * blobs a crash leaves behind are swept by cleanup (`orphan-sweep.ts`).
 */
export async function deleteOwnedJob(
  deps: PipelineDeps,
  owner: string,
  jobId: string,
  requestId?: string,
): Promise<void> {
  const job = await getOwnedJob(deps, owner, jobId);
  await purgeJob(deps, job);
  logs.jobDeleted({ requestId, jobId });
}

export async function purgeJob(deps: PipelineDeps, job: Job): Promise<void> {
  await deps.jobs.deleteJob(job.id);
  await deps.uploads.delete(job.inputObject);
  const results = job.resultObjects ?? { markdown: `${job.id}/result.md`, json: `${job.id}/result.json` };
  await deps.results.delete(results.markdown);
  await deps.results.delete(results.json);
  // The analyses' records went with the job's (`deleteJob`); their results are under the job's prefix.
  for (const name of await deps.results.list(analysisResultsPrefix(job.id))) await deps.results.delete(name);
}
