/**
 * Webhook delivery: when a job reaches a terminal state (`succeeded`, `failed`, `expired`: `isTerminal` in
 * `jobs/states.ts`), a task of kind `webhook` goes on the same queue as the conversions, to the same worker
 * (`functions/convert-worker.ts` dispatches on the body's `kind`). Each attempt is its own task
 * (`webhook_<job id>_<attempt>`: the queue's names de-duplicate a repeated notification), so the attempt
 * budget and the backoff are MDraft's own (`config.webhooks`, `backoff.ts`) whatever the queue's retry
 * settings; the worker answers 2xx unless recording the attempt itself failed (then the queue retries that
 * task, and the attempt is sent again: delivery is at least once, receivers de-duplicate on the event id).
 *
 * One attempt: the job must be terminal with its webhook `pending` and exactly `attempt - 1` attempts
 * recorded; the signing key must exist and not be revoked; the host is resolved and EVERY address checked
 * (`url.ts`); the POST goes to the checked address only, signed (`signature.ts`), without following
 * redirects, with a time budget and a cap on the answer read. The outcome is recorded on the job (visible in
 * `GET /v1/jobs/{id}` as `webhook`); a failure with attempts left schedules the next attempt.
 *
 * The write that ends a job also puts its event in the outbox (`state.ts`, `withWebhookOutbox`); the first
 * attempt's enqueue takes it out. An event whose enqueue never happened (a crash just after the terminal write,
 * a queue outage) is enqueued by cleanup after a grace period (`outbox.ts`).
 */
import type { Job, JobError } from '../ports.ts';
import { WebhookTransportError } from '../ports.ts';
import type { PipelineDeps } from '../jobs/deps.ts';
import { backoffDelay } from '../backoff.ts';
import { logs } from '../logs.ts';
import { attemptIsDue } from './state.ts';
import { deliveryAddress } from './url.ts';
import { SIGNATURE_HEADER, signatureHeader, type WebhookEvent } from './signature.ts';

/** The body of a webhook task (`kind` tells it from a conversion task, `{jobId}`). */
export interface WebhookTask {
  kind: 'webhook';
  jobId: string;
  attempt: number;
}

/** At most this much of a receiver's answer is read (the status is all that matters). */
export const MAX_RESPONSE_BYTES = 4096;

export type WebhookOutcome = 'delivered' | 'retrying' | 'failed' | 'noop';

/** The task name of attempt `attempt` for `jobId` (Cloud Tasks ids allow [A-Za-z0-9_-]). */
export function webhookTaskName(jobId: string, attempt: number): string {
  return `webhook_${jobId}_${attempt}`;
}

/**
 * After `job` reached a terminal state: enqueues its webhook's first attempt, when it has a webhook still
 * pending. Harmless to call again (the task name de-duplicates; a later attempt finds it not due). Never
 * throws: a failure is logged (the job's own outcome must not depend on it).
 */
export async function notifyTerminal(deps: PipelineDeps, job: Job, requestId?: string): Promise<void> {
  if (!job.webhook || job.webhook.state !== 'pending' || job.webhook.attempts > 0) return;
  try {
    await enqueueFirstAttempt(deps, job, job.webhook.eventId);
  } catch (error) {
    // The event stays in the outbox (`webhook.outboxAt`): cleanup enqueues it (`outbox.ts`).
    logs.webhookEnqueueFailed({ requestId, jobId: job.id, error: (error as Error).message });
  }
}

/**
 * Enqueues attempt 1 of `job`'s event `eventId`, then takes the event out of the outbox. A crash between the two leaves
 * it in: cleanup enqueues it again under the same task name, which the queue (or, once run, `attemptIsDue`)
 * refuses. Throws what the queue or the store throws.
 */
export async function enqueueFirstAttempt(deps: PipelineDeps, job: Job, eventId: string): Promise<void> {
  await enqueueAttempt(deps, job, 1, 0);
  await deps.jobs.markWebhookEnqueued(job.id, eventId);
}

async function enqueueAttempt(deps: PipelineDeps, job: Job, attempt: number, delayMs: number): Promise<void> {
  const body: WebhookTask = { kind: 'webhook', jobId: job.id, attempt };
  await deps.tasks.enqueue({
    name: webhookTaskName(job.id, attempt),
    url: deps.config.workerUrl,
    body,
    fairnessKey: job.owner,
    ...(delayMs > 0 ? { scheduleTime: new Date(deps.now() + delayMs) } : {}),
  });
}

/** The event a terminal job's webhook carries: ids, type, status, error code; never results or links. */
export function webhookEvent(job: Job & { webhook: { eventId: string } }): WebhookEvent {
  const status = job.status as WebhookEvent['job']['status'];
  return {
    id: job.webhook.eventId,
    type: `job.${status}`,
    createdAt: new Date(job.finishedAt ?? job.updatedAt).toISOString(),
    job: { id: job.id, status, ...(job.error ? { errorCode: job.error.code } : {}) },
  };
}

/** One delivery attempt (the worker's `webhook` task). */
export async function deliverWebhook(
  deps: PipelineDeps,
  task: { jobId: string; attempt: number },
  requestId?: string,
): Promise<WebhookOutcome> {
  const job = await deps.jobs.getJob(task.jobId);
  if (!attemptIsDue(job, task.attempt)) return 'noop';
  const { webhook } = job;
  const policy = deps.config.webhooks;
  const record = async (outcome: {
    delivered: boolean;
    status?: number;
    error?: JobError;
    permanent?: boolean;
  }): Promise<WebhookOutcome> => {
    const written = await deps.jobs.recordWebhookAttempt(job.id, {
      attempt: task.attempt,
      now: deps.now(),
      maxAttempts: policy.maxAttempts,
      ...outcome,
    });
    if (!written?.webhook) return 'noop';
    const state = written.webhook.state;
    logs.webhookAttempted({
      requestId,
      jobId: job.id,
      attempt: task.attempt,
      state,
      ...(outcome.status !== undefined ? { status: outcome.status } : {}),
      ...(outcome.error ? { code: outcome.error.code, detail: outcome.error.message } : {}),
    });
    if (state === 'pending') {
      const delay = backoffDelay(task.attempt, {
        initialMs: policy.minBackoffMs,
        maxMs: policy.maxBackoffMs,
        jitter: 'half',
      });
      await enqueueAttempt(deps, written, task.attempt + 1, delay);
      return 'retrying';
    }
    return state === 'delivered' ? 'delivered' : 'failed';
  };

  if (!deps.webhooks)
    return record({
      delivered: false,
      permanent: true,
      error: { code: 'webhooks_unavailable', message: 'this server has no webhook transport' },
    });
  const key = await deps.accounts.findApiKeyByHash(webhook.keyId);
  if (!key?.webhookSecret || key.revokedAt !== undefined)
    return record({
      delivered: false,
      permanent: true,
      error: { code: 'key_revoked', message: 'the API key whose secret signs this webhook is revoked or gone' },
    });
  let url: URL;
  try {
    url = new URL(webhook.url);
  } catch {
    return record({
      delivered: false,
      permanent: true,
      error: { code: 'invalid_webhook_url', message: 'not a URL' },
    });
  }
  const target = await deliveryAddress(url, policy, deps.webhooks);
  if (!target.ok)
    return record({
      delivered: false,
      permanent: target.code === 'address_refused',
      error: { code: target.code, message: target.message },
    });

  const body = JSON.stringify(webhookEvent(job));
  const timestamp = Math.floor(deps.now() / 1000);
  try {
    const { status } = await deps.webhooks.post({
      url: url.href,
      address: target.address,
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'MDraft-Webhooks/1',
        [SIGNATURE_HEADER]: signatureHeader(key.webhookSecret, timestamp, body),
        'MDraft-Event-Id': webhookEvent(job).id,
      },
      body,
      timeoutMs: policy.timeoutMs,
      maxResponseBytes: MAX_RESPONSE_BYTES,
    });
    if (status >= 200 && status < 300) return record({ delivered: true, status });
    // A redirect is a failure too: following it would reach a URL nobody checked.
    return record({
      delivered: false,
      status,
      error: { code: 'http_status', message: `the receiver answered ${status}` },
    });
  } catch (error) {
    const code = error instanceof WebhookTransportError ? error.code : 'connection_failed';
    return record({ delivered: false, error: { code, message: (error as Error).message } });
  }
}
