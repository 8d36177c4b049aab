/**
 * Cleanup's pass over the objects themselves (not the job records), for what the records cannot find:
 * - an upload whose job is gone, failed or expired (a crash inside a delete, bytes re-sent to the URL of a
 *   rejected upload after its finalize event was handled) → deleted;
 * - an upload whose job still waits `awaiting_upload` more than `requeueAfter` after creation (its finalize
 *   event was lost) → handled now, by the same idempotent path as a redelivered event. Starting from the
 *   objects means never-uploaded jobs, however many, cannot starve this recovery;
 * - results whose job is gone, failed or expired (a crash between a worker's write and its discard) → deleted.
 *
 * Objects of live jobs are never touched. Listing is by prefix (`u/` uploads, everything in results); every
 * step is idempotent, so overlapping runs are safe.
 */
import type { PipelineDeps } from './deps.ts';
import { jobIdFromInputObject } from './names.ts';
import { handleUploadFinalized } from './upload-finalized.ts';
import type { Job } from '../ports.ts';
import { logs } from '../logs.ts';

export interface SweepReport {
  /** Upload objects deleted. */
  uploadsSwept: number;
  /** Result objects deleted. */
  resultsSwept: number;
  /** Uploads whose finalize event never arrived, handled now. */
  recovered: number;
}

const dead = (job: Job | undefined): boolean => !job || job.status === 'failed' || job.status === 'expired';

export async function sweepObjects(deps: PipelineDeps, requestId?: string): Promise<SweepReport> {
  const now = deps.now();
  const report: SweepReport = { uploadsSwept: 0, resultsSwept: 0, recovered: 0 };
  const jobs = new Map<string, Job | undefined>();
  const jobOf = async (id: string) => {
    if (!jobs.has(id)) jobs.set(id, await deps.jobs.getJob(id));
    return jobs.get(id);
  };

  for (const name of await deps.uploads.list('u/')) {
    const id = jobIdFromInputObject(name);
    if (!id) continue;
    const job = await jobOf(id);
    if (dead(job) || job!.inputObject !== name) {
      await deps.uploads.delete(name);
      report.uploadsSwept++;
      continue;
    }
    if (job!.status === 'awaiting_upload' && job!.createdAt < now - deps.config.requeueAfterMs) {
      const stat = await deps.uploads.stat(name);
      if (!stat) continue;
      await handleUploadFinalized(
        deps,
        { bucket: deps.uploads.bucket, name, generation: stat.generation, size: stat.size },
        requestId,
      );
      jobs.delete(id);
      report.recovered++;
    }
  }

  for (const name of await deps.results.list('')) {
    const id = /^(job_[A-Za-z0-9_-]{22})\//.exec(name)?.[1];
    if (!id || !dead(await jobOf(id))) continue;
    await deps.results.delete(name);
    report.resultsSwept++;
  }
  if (report.uploadsSwept) logs.orphansSwept({ requestId, bucket: deps.uploads.bucket, deleted: report.uploadsSwept });
  if (report.resultsSwept) logs.orphansSwept({ requestId, bucket: deps.results.bucket, deleted: report.resultsSwept });
  return report;
}
