/**
 * Cleanup's pass over analyses (called by `jobs/cleanup.ts`), the same rules as for conversions: a lease
 * that expired on the last attempt, or long enough ago that no retry is coming (`lostWorkerGraceMs`), fails
 * the analysis (its AI call is released); a `queued` analysis untouched for `requeueAfterMs` (a crash between
 * creation and enqueue) gets its task again, under the same name (harmless when it exists). Expiry needs no
 * pass of its own: analyses are deleted with their job (retention included).
 */
import type { PipelineDeps } from '../jobs/deps.ts';
import { lostWorkerError } from '../jobs/lost-worker.ts';
import { enqueueAnalysis } from './create-analysis.ts';

const BATCH = 200;

export async function recoverAnalyses(
  deps: PipelineDeps,
  now: number,
  requestId?: string,
): Promise<{ failed: number; requeued: number }> {
  const { config } = deps;
  let failed = 0;
  let requeued = 0;
  for (const a of await deps.jobs.findAnalysesLeaseExpired(now, BATCH)) {
    const error = lostWorkerError(a, now, config, 'analysis');
    if (!error) continue;
    if (await deps.jobs.failAnalysis(a.id, { error, now })) failed++;
  }
  for (const a of await deps.jobs.findAnalysesQueuedBefore(now - config.requeueAfterMs, BATCH)) {
    await enqueueAnalysis(deps, a, requestId);
    requeued++;
  }
  return { failed, requeued };
}
