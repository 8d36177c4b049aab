/**
 * The webhook delivery state of a job, decided in one place (like `jobs/states.ts` for the job itself): pure,
 * no I/O, time comes in as `now`. Every `JobStore.recordWebhookAttempt` reads the job, calls
 * `recordWebhookAttempt` here and writes what it returns, in one transaction, so a duplicate delivery of the
 * same attempt (the queue delivers at least once) is refused instead of counting twice.
 *
 *   pending ─2xx→ delivered
 *      │ └─failure, attempts left→ pending (the next attempt is scheduled with backoff)
 *      └─failure: last attempt, or permanent (refused address, revoked key)→ failed
 *
 * The event itself is durable through a transactional outbox (`withWebhookOutbox`): the write that ends the
 * job also records that its event still has to be enqueued (`webhook.outboxAt`), and the mark is removed only
 * once the first attempt is on the queue (`markWebhookEnqueued`) or an attempt is recorded. Cleanup enqueues
 * what a crash left in the outbox (`outbox.ts`).
 */
import { randomBytes } from 'node:crypto';
import type { Job, JobWebhook, WebhookAttempt } from '../ports.ts';
import { isTerminal } from '../jobs/states.ts';

/** A fresh event id: `evt_` and 128 random bits. */
export function newEventId(): string {
  return `evt_${randomBytes(16).toString('base64url')}`;
}

/** The webhook state of a new job. */
export function newWebhook(url: string, keyId: string): JobWebhook {
  return { url, keyId, eventId: newEventId(), state: 'pending', attempts: 0 };
}

/**
 * Whether attempt number `attempt` may run now: the job is terminal, its webhook still `pending`, and exactly
 * `attempt - 1` attempts were recorded (a redelivered task for an attempt already recorded is not sent again).
 */
export function attemptIsDue(job: Job | undefined, attempt: number): job is Job & { webhook: JobWebhook } {
  return (
    job?.webhook !== undefined &&
    isTerminal(job.status) &&
    job.webhook.state === 'pending' &&
    job.webhook.attempts === attempt - 1
  );
}

/**
 * The job once attempt `input.attempt` is recorded, or undefined (write nothing) when that attempt is not due
 * (`attemptIsDue`). A 2xx makes the webhook `delivered`; a failure keeps it `pending` while attempts are left
 * and the failure is not permanent, `failed` otherwise.
 */
export function recordWebhookAttempt(job: Job | undefined, input: WebhookAttempt): Job | undefined {
  if (!attemptIsDue(job, input.attempt)) return undefined;
  // An attempt ran, so it was enqueued: the event leaves the outbox.
  const { lastError: _e, lastStatus: _s, outboxAt: _o, ...rest } = job.webhook;
  const base: JobWebhook = {
    ...rest,
    attempts: input.attempt,
    lastAttemptAt: input.now,
    ...(input.status !== undefined ? { lastStatus: input.status } : {}),
  };
  const webhook: JobWebhook = input.delivered
    ? { ...base, state: 'delivered', deliveredAt: input.now }
    : {
        ...base,
        state: input.permanent || input.attempt >= input.maxAttempts ? 'failed' : 'pending',
        ...(input.error ? { lastError: input.error } : {}),
      };
  return { ...job, webhook };
}

/**
 * The record a store writes for the transition `before → next`, with the webhook outbox entry added: when the
 * write makes the job terminal (it was not) while its webhook is pending with no attempt made, `outboxAt` is set
 * to the write's instant (`next.updatedAt`). Every JobStore applies this to every transition it writes, in the
 * same transaction, so "terminal" and "event owed" can never be written apart. Other writes come back as given.
 */
export function withWebhookOutbox(before: Job | undefined, next: Job): Job {
  const webhook = next.webhook;
  if (!webhook || webhook.state !== 'pending' || webhook.attempts > 0 || webhook.outboxAt !== undefined) return next;
  if (!isTerminal(next.status) || (before && isTerminal(before.status))) return next;
  return { ...next, webhook: { ...webhook, outboxAt: next.updatedAt } };
}

/**
 * The job once the first attempt of event `eventId` is enqueued: `outboxAt` removed. Undefined (write nothing)
 * when there is no such job or event, or it is not in the outbox.
 */
export function markWebhookEnqueued(job: Job | undefined, eventId: string): Job | undefined {
  if (!job?.webhook || job.webhook.eventId !== eventId || job.webhook.outboxAt === undefined) return undefined;
  const { outboxAt: _o, ...webhook } = job.webhook;
  return { ...job, webhook };
}
