/**
 * `POST /v1/jobs/{id}/analyses`: an analysis of a succeeded job, counted against the owner's AI allowance
 * and queued for the worker. The allowance (the plan's `aiCallsPerMonth`, `accounts/plans.ts`) is checked
 * and one call reserved in the same store transaction that creates the record (`JobStore.createAnalysis`),
 * so concurrent requests can never take more calls than the plan has.
 */
import type { AnalysisRequest } from '../../analysis/port.ts';
import type { Analysis } from '../ports.ts';
import type { PipelineDeps } from '../jobs/deps.ts';
import { getOwnedJob } from '../jobs/queries.ts';
import { JobNotFoundError } from '../jobs/errors.ts';
import { monthOf } from '../jobs/charges.ts';
import { userPlan } from '../accounts/profile.ts';
import { logs } from '../logs.ts';
import { analyzerOf } from './engine.ts';
import { AiQuotaExceededError, JobNotSucceededError } from './errors.ts';
import { analysisTaskName, newAnalysisId } from './names.ts';

export interface CreateAnalysisInput {
  owner: string;
  jobId: string;
  request: AnalysisRequest;
  requestId?: string;
}

/**
 * Creates and enqueues the analysis (status `queued`).
 * @throws JobNotFoundError (not the caller's job), JobNotSucceededError (no result to analyse),
 * AiQuotaExceededError (the month's AI calls are spent).
 */
export async function createAnalysis(deps: PipelineDeps, input: CreateAnalysisInput): Promise<Analysis> {
  const job = await getOwnedJob(deps, input.owner, input.jobId);
  if (job.status !== 'succeeded') throw new JobNotSucceededError(job.status);
  const { plan } = userPlan(deps, await deps.accounts.getUser(input.owner));
  const now = deps.now();
  const analysis: Analysis = {
    id: newAnalysisId(),
    jobId: job.id,
    owner: input.owner,
    kind: input.request.kind,
    ...(input.request.kind === 'ask' ? { question: input.request.question } : {}),
    status: 'queued',
    engine: analyzerOf(deps).engine,
    format: job.format ?? 'unknown',
    jobCreatedAt: job.createdAt,
    createdAt: now,
    updatedAt: now,
    attempts: 0,
    warnings: [],
    chargeMonth: monthOf(now),
    charge: 'reserved',
  };
  const created = await deps.jobs.createAnalysis(analysis, { limit: plan.aiCallsPerMonth });
  if (created.outcome === 'refused')
    throw new AiQuotaExceededError({ limit: plan.aiCallsPerMonth, used: created.used, month: analysis.chargeMonth });
  if (created.outcome === 'job_not_ready') {
    // Deleted or changed between the read above and the transaction.
    if (!created.job || created.job.owner !== input.owner) throw new JobNotFoundError();
    throw new JobNotSucceededError(created.job.status);
  }
  logs.analysisCreated({
    requestId: input.requestId,
    jobId: job.id,
    analysisId: analysis.id,
    kind: analysis.kind,
    engine: analysis.engine,
  });
  // A failed enqueue leaves the analysis `queued`: cleanup enqueues it again (`recoverAnalyses`).
  await enqueueAnalysis(deps, analysis, input.requestId);
  return analysis;
}

/** The analysis's task on the conversion queue (same worker URL; the body names the analysis). */
export async function enqueueAnalysis(deps: PipelineDeps, analysis: Analysis, requestId?: string): Promise<void> {
  const taskName = analysisTaskName(analysis.id);
  const { created } = await deps.tasks.enqueue({
    name: taskName,
    url: deps.config.workerUrl,
    body: { jobId: analysis.jobId, analysisId: analysis.id },
    fairnessKey: analysis.owner,
  });
  logs.analysisQueued({ requestId, analysisId: analysis.id, taskName, created });
}
