/**
 * `convertWorker`: one delivery of a conversion task. Cloud Tasks delivers at least once and retries any
 * non-2xx, so the answer tells the queue what to do:
 * - `succeeded` / `failed` (permanent error, or a transient one on the last attempt) / `noop` (job
 *   deleted or already finished) → 2xx: stop.
 * - `busy`: another delivery holds a live lease → 409: retry later (by then the holder has finished and
 *   the retry is a `noop`, or it died and the retry takes the expired lease over). On the last attempt
 *   `busy` answers 2xx instead and schedules one more delivery for just after the lease expires (a dead
 *   holder's job is then taken over: `scheduleTakeover`).
 * - `retry`: a transient error, the lease is given back → 5xx.
 * Results go to deterministic names and only the lease holder may mark `succeeded`, so a duplicate or a
 * slow, superseded worker can never produce a second result.
 *
 * Billing: the delivery that marked the job `succeeded` (the job store counted its usage in that same
 * transaction) reports the same pages to `deps.billing`. If that report fails the answer is `retry`; the
 * redelivery finds the job finished and reports again. Billing is idempotent by job id (Stripe's meter event
 * `identifier`), so however many deliveries report, the job is billed once.
 */
import { asConversionError } from '../../engine/errors.ts';
import type { ConvertResult } from '../../engine/types.ts';
import type { Job, JobError, Lease, Llm } from '../ports.ts';
import { tidyGuarded } from './llm-guard.ts';
import { scanBeforeConversion } from './scan-upload.ts';
import { startHeartbeat } from './lease-heartbeat.ts';
import { scheduleTakeover } from './takeover.ts';
import type { PipelineDeps } from './deps.ts';
import { resultObjectNames } from './names.ts';
import { logs } from '../logs.ts';
import { billableUnits } from '../accounts/billable-units.ts';
import { notifyTerminal } from '../webhooks/deliver.ts';

export type ConversionOutcome = 'succeeded' | 'failed' | 'noop' | 'busy' | 'retry';

export interface RunConversionInput {
  jobId: string;
  /** 1-based delivery number from the queue (`X-CloudTasks-TaskRetryCount` + 1). */
  deliveryAttempt: number;
  requestId?: string;
}

export async function runConversion(deps: PipelineDeps, input: RunConversionInput): Promise<ConversionOutcome> {
  const { jobId, requestId } = input;
  const { maxAttempts } = deps.config;
  const claim = await deps.jobs.claim(jobId, { leaseMs: deps.config.leaseMs, now: deps.now() });
  if (!claim.ok) {
    logs.claimRefused({ requestId, jobId, reason: claim.reason });
    if (claim.reason === 'leased') {
      if (input.deliveryAttempt < maxAttempts) return 'busy';
      // The queue's last delivery met the lease: if its holder is dead (a killed worker, a restarted server) no
      // delivery is left to take the job over, so one is scheduled for when the lease runs out.
      await scheduleTakeover(
        deps,
        { jobId, owner: claim.job.owner, leaseExpiresAt: claim.job.leaseExpiresAt, body: { jobId } },
        requestId,
      );
      return 'noop';
    }
    // A redelivery after the job ended (perhaps the enqueue of its webhook failed): notify again (same task name).
    if (claim.reason === 'finished') await notifyTerminal(deps, claim.job, requestId);
    if (claim.reason === 'finished' && claim.job.status === 'succeeded') {
      // Possibly the redelivery after a failed usage report: report again (idempotent by job id).
      const reported = await reportUsage(deps, claim.job, input.deliveryAttempt >= maxAttempts, requestId);
      return reported ? 'noop' : 'retry';
    }
    return 'noop';
  }
  const heartbeat = startHeartbeat(deps, jobId, claim.lease.leaseId, requestId);
  try {
    return await convertClaimed(deps, input, claim.job, claim.lease);
  } finally {
    heartbeat.stop();
  }
}

async function convertClaimed(
  deps: PipelineDeps,
  input: RunConversionInput,
  job: Job,
  lease: Lease,
): Promise<ConversionOutcome> {
  const { jobId, requestId } = input;
  const isLast = Math.max(lease.attempt, input.deliveryAttempt) >= deps.config.maxAttempts;
  logs.conversionStarted({ requestId, jobId, attempt: lease.attempt });
  const started = performance.now();

  let result: ConvertResult;
  try {
    const bytes = await deps.uploads.read(job.inputObject);
    if (!bytes) {
      return await failPermanently(
        deps,
        job,
        lease.leaseId,
        { code: 'upload_missing', message: 'the uploaded document is gone' },
        requestId,
      );
    }
    const scanned = await scanBeforeConversion(deps, job, bytes, requestId);
    if (!scanned.ok) {
      return scanned.transient
        ? await transientFailure(deps, job, lease.leaseId, scanned.error, isLast, requestId)
        : await failPermanently(deps, job, lease.leaseId, scanned.error, requestId);
    }
    result = await deps.runner(bytes, {
      fileName: job.filename,
      timeoutMs: deps.config.convertTimeoutMs,
      ...(job.options ? { options: job.options } : {}),
    });
    if (deps.llm) result = await tidied(deps.llm, result);
  } catch (error) {
    const typed = asConversionError(error, 'internal');
    const jobError = { code: typed.code, message: typed.message };
    if (!typed.transient) return await failPermanently(deps, job, lease.leaseId, jobError, requestId);
    return await transientFailure(deps, job, lease.leaseId, jobError, isLast, requestId);
  }

  let finished: Pick<Job, 'id' | 'owner' | 'pages' | 'finishedAt'>;
  try {
    const names = resultObjectNames(jobId);
    // Deleted (or taken over) while converting: write nothing. The renewal is the check: it fails for a job
    // that is gone or no longer ours, and it gives the writes below a fresh lease.
    if (!(await deps.jobs.extendLease(jobId, lease.leaseId, { leaseMs: deps.config.leaseMs, now: deps.now() }))) {
      logs.resultsDiscarded({ requestId, jobId, reason: 'the job was deleted or its lease lost before writing' });
      return 'noop';
    }
    const structured = {
      jobId,
      format: result.format,
      mediaType: result.mediaType,
      ...(result.title ? { title: result.title } : {}),
      ...(result.pageCount !== undefined ? { pageCount: result.pageCount } : {}),
      pages: result.pages ?? [],
      ...(result.ocrPages ? { ocrPages: result.ocrPages } : {}),
      warnings: result.warnings,
      markdown: result.markdown,
    };
    await deps.results.write(names.markdown, Buffer.from(result.markdown, 'utf8'), {
      contentType: 'text/markdown; charset=utf-8',
    });
    await deps.results.write(names.json, Buffer.from(JSON.stringify(structured), 'utf8'), {
      contentType: 'application/json',
    });
    const pages = result.pageCount ?? result.pages?.length;
    const now = deps.now();
    const recorded = await deps.jobs.complete(jobId, lease.leaseId, {
      warnings: result.warnings,
      pages,
      // The real count settles the reservation (never above it: see billable-units.ts).
      units: billableUnits(result.format, { size: job.size, ...(pages !== undefined ? { pages } : {}) }),
      resultObjects: names,
      now,
    });
    finished = { id: jobId, owner: job.owner, ...(pages !== undefined ? { pages } : {}), finishedAt: now };
    logs.conversionSucceeded({
      requestId,
      jobId,
      ms: Math.round(performance.now() - started),
      warnings: result.warnings.length,
      recorded,
    });
    if (!recorded) {
      await discardIfUnreachable(deps, jobId, names, requestId);
      return 'noop';
    }
    await notifyTerminal(deps, job, requestId);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return await transientFailure(
      deps,
      job,
      lease.leaseId,
      { code: 'internal', message: `storing the result failed: ${message}` },
      isLast,
      requestId,
    );
  }
  return (await reportUsage(deps, finished, isLast, requestId)) ? 'succeeded' : 'retry';
}

/**
 * Reports a succeeded job's usage (the pages its usage record got). True when reported or billing is
 * off; false when the report failed and a redelivery should try again. On the last delivery a failure is
 * logged as final (the usage record in the job store still has it, for reconciliation) and true returned.
 */
async function reportUsage(
  deps: PipelineDeps,
  job: Pick<Job, 'id' | 'owner' | 'pages' | 'finishedAt'>,
  isLast: boolean,
  requestId?: string,
): Promise<boolean> {
  if (!deps.billing) return true;
  try {
    const outcome = await deps.billing.recordUsage({
      jobId: job.id,
      owner: job.owner,
      pages: job.pages ?? 0,
      at: job.finishedAt ?? deps.now(),
    });
    logs.usageReported({ requestId, jobId: job.id, billing: deps.billing.kind, ...outcome });
    return true;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    logs.usageReportFailed({
      requestId,
      jobId: job.id,
      billing: deps.billing.kind,
      error: message,
      final: isLast,
    });
    return isLast;
  }
}

async function failPermanently(
  deps: PipelineDeps,
  job: Job,
  leaseId: string,
  error: JobError,
  requestId?: string,
): Promise<ConversionOutcome> {
  const jobId = job.id;
  if (await deps.jobs.fail(jobId, { error, now: deps.now(), leaseId })) await notifyTerminal(deps, job, requestId);
  logs.conversionFailed({ requestId, jobId, code: error.code, detail: error.message, final: true });
  return 'failed';
}

async function transientFailure(
  deps: PipelineDeps,
  job: Job,
  leaseId: string,
  error: JobError,
  isLast: boolean,
  requestId?: string,
): Promise<ConversionOutcome> {
  const jobId = job.id;
  if (isLast) {
    const final = {
      code: 'attempts_exhausted',
      message: `gave up after ${deps.config.maxAttempts} attempts: ${error.message}`,
    };
    if (await deps.jobs.fail(jobId, { error: final, now: deps.now(), leaseId }))
      await notifyTerminal(deps, job, requestId);
    logs.conversionFailed({ requestId, jobId, code: final.code, detail: final.message, final: true });
    return 'failed';
  }
  await deps.jobs.release(jobId, leaseId, { error, now: deps.now() });
  logs.conversionFailed({ requestId, jobId, code: error.code, detail: error.message, final: false });
  return 'retry';
}

/**
 * After a refused completion: when the job is gone (deleted while the results were being written) or failed,
 * nothing will ever read the results just written, so they are removed. A job another delivery now holds is
 * left alone: that delivery writes the same names.
 */
async function discardIfUnreachable(
  deps: PipelineDeps,
  jobId: string,
  names: { markdown: string; json: string },
  requestId?: string,
): Promise<void> {
  const now = await deps.jobs.getJob(jobId);
  if (now && now.status !== 'failed' && now.status !== 'expired') return;
  await deps.results.delete(names.markdown);
  await deps.results.delete(names.json);
  logs.resultsDiscarded({ requestId, jobId, reason: now ? `the job is ${now.status}` : 'the job was deleted' });
}

/** The LLM only reformats the whole Markdown; a rejected or failed tidy-up keeps the original, with a warning. */
async function tidied(llm: Llm, result: ConvertResult): Promise<ConvertResult> {
  const outcome = await tidyGuarded(llm, result.markdown, result.title ? { title: result.title } : {});
  return {
    ...result,
    markdown: outcome.markdown,
    warnings: outcome.warning
      ? [
          ...result.warnings,
          { code: outcome.warning.code as 'llm_rejected' | 'llm_failed', message: outcome.warning.message },
        ]
      : result.warnings,
  };
}
