/**
 * `POST /v1/jobs/{id}/confirm`: the caller accepts a counted job's units (`awaiting_confirmation` →
 * `queued`, the reservation kept) and its conversion is enqueued. Another owner's job is a missing job; a
 * job in any other state (or past its confirmation deadline) is `NotAwaitingConfirmationError`.
 */
import type { Job } from '../ports.ts';
import type { PipelineDeps } from './deps.ts';
import { JobNotFoundError, NotAwaitingConfirmationError } from './errors.ts';
import { getOwnedJob } from './queries.ts';
import { enqueueConversion } from './upload-finalized.ts';
import { logs } from '../logs.ts';

export async function confirmOwnedJob(
  deps: PipelineDeps,
  owner: string,
  jobId: string,
  requestId?: string,
): Promise<Job> {
  await getOwnedJob(deps, owner, jobId);
  const outcome = await deps.jobs.confirm(jobId, { now: deps.now() });
  if (!outcome.ok) {
    if (outcome.reason === 'not_found') throw new JobNotFoundError();
    throw new NotAwaitingConfirmationError(outcome.job.status);
  }
  await enqueueConversion(deps, outcome.job, outcome.job.eventKey!, false, requestId);
  logs.jobConfirmed({ requestId, jobId, units: outcome.job.units ?? 0 });
  return outcome.job;
}
