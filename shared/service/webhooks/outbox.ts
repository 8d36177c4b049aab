/**
 * The webhook outbox sweep, run by `cleanup`: enqueues the first attempt of every event still in the outbox
 * (`webhook.outboxAt`, written with the job's terminal state: `state.ts`, `withWebhookOutbox`) a grace period
 * after the job ended. Such an event lost its enqueue: the process died between the terminal write and the
 * enqueue (an upload rejected, a job expired or failed by cleanup, a conversion finished), or the queue refused
 * it. This is the relay half of the transactional outbox pattern.
 *
 * Idempotent: the task name (`webhook_<job id>_1`) de-duplicates on the queue, a task that runs twice finds
 * its attempt recorded (`attemptIsDue`), and receivers de-duplicate on the event id, which never changes.
 */
import type { PipelineDeps } from '../jobs/deps.ts';
import { logs } from '../logs.ts';
import { enqueueFirstAttempt } from './deliver.ts';

/**
 * How long after a job ended its event may still be on its way from the process that ended it (that process
 * enqueues it right after the terminal write): sweeping sooner would only enqueue it twice. Five minutes covers
 * a slow queue call with its retries; an event is never later than this plus the cleanup interval.
 */
export const OUTBOX_GRACE_MS = 5 * 60_000;

/** Events handled per run; the rest wait for the next run, oldest first. */
const BATCH = 200;

/**
 * Enqueues the events left in the outbox longer than `OUTBOX_GRACE_MS`. Returns how many were enqueued; one
 * that fails to enqueue is logged and stays in the outbox for the next run.
 */
export async function sweepWebhookOutbox(deps: PipelineDeps, requestId?: string): Promise<number> {
  let enqueued = 0;
  for (const job of await deps.jobs.findWebhookOutbox(deps.now() - OUTBOX_GRACE_MS, BATCH)) {
    if (!job.webhook) continue;
    try {
      await enqueueFirstAttempt(deps, job, job.webhook.eventId);
      enqueued++;
    } catch (error) {
      logs.webhookEnqueueFailed({ requestId, jobId: job.id, error: (error as Error).message });
    }
  }
  return enqueued;
}
