/**
 * `cleanup` (Cloud Scheduler): retention, never-uploaded jobs, lost workers, lost tasks, webhook events whose
 * enqueue was lost (`webhooks/outbox.ts`), and a bounded batch of the name-search backfill for jobs written
 * before the store kept the name's terms (`JobStore.backfillNameTerms`). Every step is a
 * guarded transition or an idempotent delete, so two runs at once (or a run racing a worker) are safe.
 */
import type { PipelineDeps } from './deps.ts';
import { purgeJob } from './queries.ts';
import { enqueueConversion } from './upload-finalized.ts';
import { sweepObjects } from './orphan-sweep.ts';
import { lostWorkerError } from './lost-worker.ts';
import { logs } from '../logs.ts';
import { notifyTerminal } from '../webhooks/deliver.ts';
import { recoverAnalyses } from '../analyses/recover.ts';
import { sweepWebhookOutbox } from '../webhooks/outbox.ts';

export interface CleanupReport {
  deleted: number;
  /** Uploads whose finalize event never arrived, handled now. */
  recovered: number;
  expired: number;
  failedLostWorker: number;
  requeued: number;
  /** Objects without a live job, deleted (`orphan-sweep.ts`). */
  uploadsSwept: number;
  resultsSwept: number;
  /** Analyses failed after a lost worker, and analyses whose task was enqueued again (`analyses/recover.ts`). */
  analysesFailed: number;
  analysesRequeued: number;
  /** Webhook events left in the outbox past the grace period, enqueued now. */
  webhooksEnqueued: number;
  /** Jobs written before the name search's terms existed, given them now (0 once the backfill is done). */
  nameTermsFilled: number;
}

const BATCH = 200;

export async function cleanup(deps: PipelineDeps, requestId?: string): Promise<CleanupReport> {
  const now = deps.now();
  const { config } = deps;
  const report: CleanupReport = {
    deleted: 0,
    recovered: 0,
    expired: 0,
    failedLostWorker: 0,
    requeued: 0,
    uploadsSwept: 0,
    resultsSwept: 0,
    analysesFailed: 0,
    analysesRequeued: 0,
    webhooksEnqueued: 0,
    nameTermsFilled: 0,
  };

  for (const job of await deps.jobs.findCreatedBefore(now - config.retentionMs, BATCH)) {
    await purgeJob(deps, job);
    report.deleted++;
  }

  // Orphaned objects, and lost finalize events (a trigger without retries, a delivery that gave up: the
  // object is there but the job still waits), found from the objects so never-uploaded jobs cannot starve it.
  const swept = await sweepObjects(deps, requestId);
  report.recovered = swept.recovered;
  report.uploadsSwept = swept.uploadsSwept;
  report.resultsSwept = swept.resultsSwept;

  for (const job of await deps.jobs.findUploadExpired(now, BATCH)) {
    if (await deps.jobs.expire(job.id, { now })) {
      report.expired++;
      await notifyTerminal(deps, job, requestId);
    }
    // A late upload may have landed after the URL's last use; nobody will ever read it.
    await deps.uploads.delete(job.inputObject);
  }

  // Jobs counted but never confirmed: expired, their reservation released in the same transaction.
  for (const job of await deps.jobs.findConfirmationExpired(now, BATCH)) {
    if (await deps.jobs.expire(job.id, { now })) {
      report.expired++;
      await notifyTerminal(deps, job, requestId);
    }
    await deps.uploads.delete(job.inputObject);
  }

  // Leases that expired with no delivery left to take them over: the last attempt died, or (after the
  // grace period) the queue gave up without telling us.
  for (const job of await deps.jobs.findLeaseExpired(now, BATCH)) {
    const error = lostWorkerError(job, now, config, 'job');
    if (!error) continue;
    if (await deps.jobs.fail(job.id, { error, now })) {
      report.failedLostWorker++;
      await notifyTerminal(deps, job, requestId);
    }
  }

  // A crash between `queued` and the enqueue loses the task; the same name makes a re-enqueue harmless.
  for (const job of await deps.jobs.findQueuedBefore(now - config.requeueAfterMs, BATCH)) {
    if (!job.eventKey) continue;
    await enqueueConversion(deps, job, job.eventKey, true, requestId);
    report.requeued++;
  }

  const analyses = await recoverAnalyses(deps, now, requestId);
  report.analysesFailed = analyses.failed;
  report.analysesRequeued = analyses.requeued;
  // Last: the events of jobs this run ended were just enqueued, and are too recent for the grace period anyway.
  report.webhooksEnqueued = await sweepWebhookOutbox(deps, requestId);

  // Old jobs invisible to `GET /v1/jobs?q=` until they have terms: one bounded batch a run, resumed next run.
  const backfill = await deps.jobs.backfillNameTerms?.(BATCH);
  if (backfill && backfill.scanned > 0) {
    report.nameTermsFilled = backfill.filled;
    logs.nameTermsBackfilled({ requestId, ...backfill });
  }

  logs.cleanupDone({ requestId }, report);
  return report;
}
