/**
 * The delivery after a lease runs out, for conversions (`run-conversion.ts`) and analyses
 * (`analyses/run-analysis.ts`). When the queue's last delivery of a task meets a live lease, the queue gives up
 * on that task; if the holder is dead (a killed worker, a restarted server) no delivery would ever take the work
 * over, and it would stay running until cleanup's lost-worker grace (`MDRAFT_LOST_WORKER_GRACE_S`, an hour)
 * failed it `worker_lost`. The embedded default reaches that on every restart within a lease: its queue retries
 * for 15 s (1, 2, 4, 8 s), the lease lasts 60 s. So that delivery enqueues one more, a second after the lease's
 * expiry: a dead holder's work is then claimed and done (one more attempt counted), while a live holder has
 * renewed its lease by then, so that delivery is `busy` in turn and, on its own last attempt, schedules the next.
 */
import type { PipelineDeps } from './deps.ts';
import { logs } from '../logs.ts';

export interface Takeover {
  jobId: string;
  /** The analysis, for an analysis task (absent: the job's conversion). */
  analysisId?: string;
  /** The job's owner (the queue's fairness key). */
  owner: string;
  /** Epoch ms the lease that refused the delivery expires (`Job.leaseExpiresAt`, `Analysis.leaseExpiresAt`). */
  leaseExpiresAt: number | undefined;
  /** The task body the worker parses (`functions/convert-worker.ts`): `{jobId}` or `{jobId, analysisId}`. */
  body: Record<string, string>;
}

/** Slack after the lease's expiry, so the takeover delivery does not meet a lease a few ms from its end. */
const AFTER_EXPIRY_MS = 1000;

/**
 * Enqueues the takeover delivery, named after the work and its lease's expiry (`takeover_<id>_<epoch ms>`,
 * within Cloud Tasks' `[A-Za-z0-9_-]` names): every delivery that meets one lease schedules one task; a renewed
 * lease has a new expiry and so a new name. Throws what `TaskQueue.enqueue` throws.
 */
export async function scheduleTakeover(deps: PipelineDeps, work: Takeover, requestId?: string): Promise<void> {
  const expiry = work.leaseExpiresAt ?? deps.now();
  const at = new Date(expiry + AFTER_EXPIRY_MS);
  const taskName = `takeover_${work.analysisId ?? work.jobId}_${expiry}`;
  const { created } = await deps.tasks.enqueue({
    name: taskName,
    url: deps.config.workerUrl,
    body: work.body,
    scheduleTime: at,
    fairnessKey: work.owner,
  });
  logs.takeoverScheduled({
    requestId,
    jobId: work.jobId,
    ...(work.analysisId ? { analysisId: work.analysisId } : {}),
    taskName,
    at: at.toISOString(),
    created,
  });
}
