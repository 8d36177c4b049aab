/**
 * One delivery of an analysis task (the worker, `functions/convert-worker.ts`). The same at-least-once
 * semantics as a conversion (`jobs/run-conversion.ts`): the answer tells the queue what to do —
 * `succeeded` / `failed` / `noop` → 2xx (stop); `busy` (another delivery holds a live lease) → 409 (retry
 * later; on the last attempt 2xx, with one more delivery scheduled after the lease: `jobs/takeover.ts`); `retry` (a transient error, lease given back) → 5xx. Only the lease holder may mark `succeeded`,
 * and the result goes to a deterministic name, so duplicates never produce a second result.
 *
 * Errors: `AnalysisError` with `retryable` (the model's 429/503 after its own retries) is transient; any other
 * `AnalysisError` (refused by the model, unusable output, invalid request) is permanent, as are a result outside
 * the result schema (`model_output_invalid`) and a job whose result is gone. An unexpected error is transient. On the last attempt a transient error fails the
 * analysis `attempts_exhausted`. A failed analysis gives its AI call back (`counters.ts`).
 */
import { AnalysisError, type AnalysisRequest } from '../../analysis/port.ts';
import type { AnalysisDocument } from '../../analysis/document.ts';
import { analysisResultSchema, type AnalysisResult } from '../../analysis/schema.ts';
import type { Analysis, JobError, Lease } from '../ports.ts';
import type { PipelineDeps } from '../jobs/deps.ts';
import { keepLease, type Heartbeat } from '../jobs/lease-heartbeat.ts';
import { scheduleTakeover } from '../jobs/takeover.ts';
import { logs } from '../logs.ts';
import { analyzerOf } from './engine.ts';
import { analysisResultObject } from './names.ts';
import { readConvertedDocument } from './document.ts';

export type AnalysisOutcome = 'succeeded' | 'failed' | 'noop' | 'busy' | 'retry';

export interface RunAnalysisInput {
  analysisId: string;
  /** 1-based delivery number from the queue (`X-CloudTasks-TaskRetryCount` + 1). */
  deliveryAttempt: number;
  requestId?: string;
}

export async function runAnalysis(deps: PipelineDeps, input: RunAnalysisInput): Promise<AnalysisOutcome> {
  const { analysisId, requestId } = input;
  const claim = await deps.jobs.claimAnalysis(analysisId, { leaseMs: deps.config.leaseMs, now: deps.now() });
  if (!claim.ok) {
    logs.analysisClaimRefused({ requestId, analysisId, reason: claim.reason });
    if (claim.reason !== 'leased') return 'noop';
    if (input.deliveryAttempt < deps.config.maxAttempts) return 'busy';
    // The queue's last delivery met the lease: one more comes after it expires, in case its holder is dead.
    const { jobId, owner, leaseExpiresAt } = claim.analysis;
    await scheduleTakeover(deps, { jobId, analysisId, owner, leaseExpiresAt, body: { jobId, analysisId } }, requestId);
    return 'noop';
  }
  const beat = heartbeat(deps, analysisId, claim.lease.leaseId);
  try {
    return await analyzeClaimed(deps, input, claim.analysis, claim.lease);
  } finally {
    beat.stop();
  }
}

async function analyzeClaimed(
  deps: PipelineDeps,
  input: RunAnalysisInput,
  analysis: Analysis,
  lease: Lease,
): Promise<AnalysisOutcome> {
  const { analysisId, requestId } = input;
  const isLast = Math.max(lease.attempt, input.deliveryAttempt) >= deps.config.maxAttempts;
  const started = performance.now();
  const permanent = async (error: JobError): Promise<AnalysisOutcome> => {
    // Refused: the lease was lost (taken over, or the analysis deleted with its job): nothing of ours to fail.
    if (!(await deps.jobs.failAnalysis(analysisId, { error, now: deps.now(), leaseId: lease.leaseId }))) return 'noop';
    logs.analysisFailed({ requestId, analysisId, code: error.code, detail: error.message, final: true });
    return 'failed';
  };
  const transient = async (error: JobError): Promise<AnalysisOutcome> => {
    if (isLast)
      return permanent({
        code: 'attempts_exhausted',
        message: `gave up after ${deps.config.maxAttempts} attempts: ${error.message}`,
      });
    if (!(await deps.jobs.releaseAnalysis(analysisId, lease.leaseId, { error, now: deps.now() }))) return 'noop';
    logs.analysisFailed({ requestId, analysisId, code: error.code, detail: error.message, final: false });
    return 'retry';
  };

  let result: AnalysisResult;
  try {
    const doc = await documentOf(deps, analysis.jobId);
    if (!doc) return await permanent({ code: 'result_missing', message: 'the converted document is gone' });
    const checked = analysisResultSchema.safeParse(await analyzerOf(deps).analyze(doc, requestOf(analysis)));
    // An engine answering outside the one result contract: the same answer would come again, so permanent.
    if (!checked.success)
      return await permanent({
        code: 'model_output_invalid',
        message: `the engine's result does not match the result schema: ${checked.error.issues[0]?.message ?? ''}`,
      });
    result = checked.data;
  } catch (error) {
    if (error instanceof AnalysisError) {
      const e = { code: error.code, message: error.message };
      return error.retryable ? await transient(e) : await permanent(e);
    }
    return await transient({ code: 'internal', message: error instanceof Error ? error.message : String(error) });
  }

  try {
    // Deleted (with its job) or taken over meanwhile: write nothing. The renewal is the check.
    const held = await deps.jobs.extendAnalysisLease(analysisId, lease.leaseId, {
      leaseMs: deps.config.leaseMs,
      now: deps.now(),
    });
    if (!held) return 'noop';
    const name = analysisResultObject(analysis.jobId, analysisId);
    await deps.results.write(name, Buffer.from(JSON.stringify(result), 'utf8'), { contentType: 'application/json' });
    const recorded = await deps.jobs.completeAnalysis(analysisId, lease.leaseId, {
      warnings: result.warnings.map((w) => ({ code: w.code, message: w.message })),
      droppedClaims: result.droppedClaims,
      ...(result.usage ? { usage: result.usage } : {}),
      resultObject: name,
      now: deps.now(),
    });
    logs.analysisSucceeded({
      requestId,
      analysisId,
      ms: Math.round(performance.now() - started),
      warnings: result.warnings.length,
      recorded,
    });
    if (!recorded) {
      // Gone (its job deleted) or failed meanwhile: nothing will read the result.
      const now = await deps.jobs.getAnalysis(analysisId);
      if (!now || now.status === 'failed') await deps.results.delete(name);
      return 'noop';
    }
    return 'succeeded';
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return transient({ code: 'internal', message: `storing the result failed: ${message}` });
  }
}

function requestOf(a: Analysis): AnalysisRequest {
  return a.kind === 'ask' ? { kind: 'ask', question: a.question ?? '' } : { kind: a.kind };
}

/** The job's converted document; undefined when the job or its result is gone. */
async function documentOf(deps: PipelineDeps, jobId: string): Promise<AnalysisDocument | undefined> {
  const job = await deps.jobs.getJob(jobId);
  return job ? readConvertedDocument(deps, job) : undefined;
}

/** Renews the analysis's lease while it runs (`jobs/lease-heartbeat.ts`); failed renewals logged under its id. */
function heartbeat(deps: PipelineDeps, analysisId: string, leaseId: string): Heartbeat {
  return keepLease(
    deps.config.leaseRenewMs,
    () => deps.jobs.extendAnalysisLease(analysisId, leaseId, { leaseMs: deps.config.leaseMs, now: deps.now() }),
    { onError: (error) => logs.leaseRenewalFailed({ jobId: analysisId, error }) },
  );
}
