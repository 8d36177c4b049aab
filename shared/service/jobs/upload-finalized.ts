/**
 * `onUploadFinalized`: an object landed in the uploads bucket. At-least-once delivery, so every step
 * tolerates repeats: a stale event (job gone, other state, older generation) is ignored; the same event
 * again re-enqueues a task of the same name (de-duplicated by the queue). The bytes are checked for real
 * (size, type from content): the signed headers bind the request, not the bytes.
 */
import { ConversionError } from '../../engine/errors.ts';
import { detectFormat } from '../../engine/detect.ts';
import type { Job } from '../ports.ts';
import type { PipelineDeps } from './deps.ts';
import { eventKeyOf, jobIdFromInputObject, taskNameFor } from './names.ts';
import { acceptedType, sizeClassOfFormat } from './types-by-content.ts';
import { logs } from '../logs.ts';
import { countUnits } from '../accounts/count-units.ts';
import { userPlan } from '../accounts/profile.ts';
import { monthOf } from './charges.ts';
import { notifyTerminal } from '../webhooks/deliver.ts';

export interface FinalizedObject {
  bucket: string;
  name: string;
  generation: string;
  size: number;
  /** Event time (ms), to drop events Eventarc kept retrying for too long. */
  eventTime?: number;
  eventId?: string;
}

/** `counted`: reserved and waiting for the caller's confirmation (nothing enqueued). */
export type FinalizeOutcome = 'queued' | 'requeued' | 'rejected' | 'ignored' | 'counted';

export async function handleUploadFinalized(
  deps: PipelineDeps,
  object: FinalizedObject,
  requestId?: string,
): Promise<FinalizeOutcome> {
  const ignore = (reason: string): FinalizeOutcome => {
    logs.eventIgnored({ requestId, reason, bucket: object.bucket, name: object.name, eventId: object.eventId });
    return 'ignored';
  };
  if (object.bucket !== deps.uploads.bucket) return ignore('not the uploads bucket');
  if (object.eventTime !== undefined && deps.now() - object.eventTime > deps.config.eventMaxAgeMs)
    return ignore('event too old');
  const jobId = jobIdFromInputObject(object.name);
  if (!jobId) return ignore('object name is not a job input');
  const eventKey = eventKeyOf(object.bucket, object.name, object.generation);

  const job = await deps.jobs.getJob(jobId);
  if (!job || job.inputObject !== object.name) {
    // The job was deleted (or never existed): the object is an orphan nobody can reach.
    await deps.uploads.delete(object.name);
    return ignore('no job for this object');
  }
  if (job.status !== 'awaiting_upload') {
    if (job.eventKey === eventKey && job.status === 'queued') {
      await enqueueConversion(deps, job, eventKey, true, requestId);
      return 'requeued';
    }
    // A failed or expired job never reads its input again: bytes sent to its still-valid URL are removed.
    if (job.status === 'failed' || job.status === 'expired') await deps.uploads.delete(object.name);
    return ignore(`job is ${job.status}`);
  }

  const stat = await deps.uploads.stat(object.name);
  if (!stat) return ignore('object no longer exists');
  if (stat.generation !== object.generation) return ignore('event for another generation');

  const rejection = await inspectUpload(deps, job, stat.size);
  if ('code' in rejection) {
    logs.uploadRejected({ requestId, jobId, code: rejection.code, detail: rejection.message });
    if (await deps.jobs.fail(jobId, { error: rejection, now: deps.now() })) await notifyTerminal(deps, job, requestId);
    await deps.uploads.delete(object.name);
    return 'rejected';
  }

  // The job's size is known: count its billable units and reserve them against the owner's month, in the
  // transaction that queues it (over the allowance or the caller's cap, that transaction fails it instead).
  const now = deps.now();
  const { plan } = userPlan(deps, await deps.accounts.getUser(job.owner));
  const counted = await countUnits(rejection.bytes, rejection.format, deps.countPages);
  if (counted.pages !== undefined && counted.pages > plan.maxPagesPerDocument) {
    const error = {
      code: 'too_many_pages',
      message: `${counted.pages} pages; the plan converts at most ${plan.maxPagesPerDocument} per document`,
    };
    logs.uploadRejected({ requestId, jobId, code: error.code, detail: error.message });
    if (await deps.jobs.fail(jobId, { error, now })) await notifyTerminal(deps, job, requestId);
    await deps.uploads.delete(object.name);
    return 'rejected';
  }
  const marked = await deps.jobs.markQueued(jobId, {
    eventKey,
    format: rejection.format,
    now,
    charge: {
      units: counted.units,
      month: monthOf(now),
      limit: plan.monthlyUnits,
      confirmWindowMs: deps.config.confirmWindowMs,
    },
  });
  if (marked.outcome === 'stale') return ignore('job changed state meanwhile');
  if (marked.outcome === 'refused') {
    logs.jobRefused({ requestId, jobId, code: marked.job.error?.code ?? 'refused', units: counted.units });
    await notifyTerminal(deps, marked.job, requestId);
    await deps.uploads.delete(object.name);
    return 'rejected';
  }
  if (marked.outcome === 'awaiting_confirmation') return 'counted';
  await enqueueConversion(deps, marked.job, eventKey, marked.outcome === 'duplicate', requestId);
  return marked.outcome === 'queued' ? 'queued' : 'requeued';
}

type Inspection = { format: string; bytes: Uint8Array } | { code: string; message: string };

async function inspectUpload(deps: PipelineDeps, job: Job, actualSize: number): Promise<Inspection> {
  if (actualSize !== job.size)
    return { code: 'size_mismatch', message: `uploaded ${actualSize} bytes, declared ${job.size}` };
  const bytes = await deps.uploads.read(job.inputObject);
  if (!bytes) return { code: 'upload_missing', message: 'the uploaded object disappeared' };
  if (bytes.length !== job.size)
    return { code: 'size_mismatch', message: `uploaded ${bytes.length} bytes, declared ${job.size}` };
  let format: string;
  try {
    format = detectFormat(bytes, job.filename).format;
  } catch (error) {
    if (error instanceof ConversionError) return { code: error.code, message: error.message };
    throw error;
  }
  const declared = acceptedType(job.contentType);
  if (!declared || !declared.formats.includes(format)) {
    return { code: 'type_mismatch', message: `declared ${job.contentType} but the content is ${format}` };
  }
  const limit = deps.config.sizeLimits[sizeClassOfFormat(format)];
  if (bytes.length > limit) return { code: 'too_large', message: `${format} documents are limited to ${limit} bytes` };
  return { format, bytes };
}

/** A task named from the upload's key: the queue keeps one task per upload however often this runs. */
export async function enqueueConversion(
  deps: PipelineDeps,
  job: Job,
  eventKey: string,
  duplicate: boolean,
  requestId?: string,
): Promise<void> {
  const taskName = taskNameFor(eventKey);
  const { created } = await deps.tasks.enqueue({
    name: taskName,
    url: deps.config.workerUrl,
    body: { jobId: job.id },
    fairnessKey: job.owner,
  });
  logs.jobQueued({ requestId, jobId: job.id, eventKey, taskName, created, duplicate });
}
