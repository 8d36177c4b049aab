/**
 * The job state machine, in one place: every decision about a job's state (queue, claim, release,
 * complete, fail, expire) — which transition is allowed from which state, lease and time, and what the
 * record becomes. Pure: no I/O, no clock (time comes in as `now`, epoch ms), and the only randomness (a new
 * lease id) can be injected. Every JobStore adapter does exactly this inside ONE transaction:
 *
 *   read the record → call the decision here → write the record it returns (if any) → return its answer
 *
 * so a repeated or out-of-order call (a redelivered event, a duplicate task, a lost worker coming back)
 * finds the transition refused instead of corrupting the record, and both backends behave the same.
 *
 *   awaiting_upload ─upload ok→ queued ─claim→ processing ─→ succeeded
 *         │      └─(confirm: true)→ awaiting_confirmation ─confirm→ queued
 *         │ bad upload / never / over quota   │ never confirmed   ↑ release (transient)
 *         ↓                                   ↓                   │
 *   failed / expired                        expired             failed (permanent error, last attempt, lost worker)
 *
 * `processing → processing` is a takeover of an expired lease by another delivery.
 *
 * Charges: the upload's units are reserved by `queueJob` (when the allowance has room), settled by
 * `completeJob` and released by `failJob`/`expireJob` (and by deletion); `charges.ts` turns each
 * before/after pair into the counter changes the store writes in the same transaction.
 */
import { randomBytes } from 'node:crypto';
import type {
  ChargeRequest,
  ClaimResult,
  ConfirmOutcome,
  Job,
  JobError,
  JobStatus,
  JobWarning,
  MarkQueuedOutcome,
  QuotaState,
} from '../ports.ts';

/** Every job state, in lifecycle order; the API's `status` enum is this list (`http/schemas/common.ts`). */
export const JOB_STATUSES = [
  'awaiting_upload',
  'awaiting_confirmation',
  'queued',
  'processing',
  'succeeded',
  'failed',
  'expired',
] as const satisfies readonly JobStatus[];

const TRANSITIONS: Record<JobStatus, readonly JobStatus[]> = {
  awaiting_upload: ['queued', 'awaiting_confirmation', 'failed', 'expired'],
  awaiting_confirmation: ['queued', 'failed', 'expired'],
  queued: ['processing', 'failed'],
  processing: ['processing', 'queued', 'succeeded', 'failed'],
  succeeded: [],
  failed: [],
  expired: [],
};

/** Whether the state machine has an edge `from → to` (it says nothing about leases or times). */
export function canTransition(from: JobStatus, to: JobStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** `succeeded`, `failed` and `expired`: nothing leaves them. */
export function isTerminal(status: JobStatus): boolean {
  return TRANSITIONS[status].length === 0;
}

/** The error an expired job carries (`expireJob`). */
export const UPLOAD_EXPIRED: JobError = { code: 'upload_expired', message: 'no upload arrived in time' };
/** The error a job never confirmed carries (`expireJob`). */
export const CONFIRMATION_EXPIRED: JobError = {
  code: 'confirmation_expired',
  message: 'the job was not confirmed in time',
};

/** The job's reservation, released (`charge: released`) when it still held one. */
function releasing(job: Job): Job {
  return job.charge === 'reserved' ? { ...job, charge: 'released' } : job;
}

/** Whether `job` is `processing` under a lease that has not expired at `now` (a live worker holds it). */
export function hasLiveLease(job: Job, now: number): boolean {
  return job.status === 'processing' && (job.leaseExpiresAt ?? 0) > now;
}

/** Whether `leaseId` is the lease that currently holds `job`. */
function holds(job: Job, leaseId: string): boolean {
  return job.status === 'processing' && job.leaseId === leaseId;
}

/** The record without its lease (a job that is not `processing` has none). */
function withoutLease(job: Job): Job {
  const { leaseId: _l, leaseExpiresAt: _e, ...rest } = job;
  return rest;
}

/**
 * The upload of `job` arrived: `awaiting_upload` → `queued`, keyed on the upload's `bucket/name#generation`.
 * A store writes `job` only when the outcome is `queued`.
 *
 * - `queued`: the transition happens now; `job` is the record to write.
 * - `duplicate`: the same upload already queued the job (a redelivered event; enqueueing again is harmless).
 * - `stale`: no such job, or it left `awaiting_upload` for another upload (or by expiring/failing).
 */
export function queueJob(
  job: Job | undefined,
  input: { eventKey: string; format: string; now: number; charge?: ChargeRequest },
  quota?: Pick<QuotaState, 'used' | 'reserved'>,
): MarkQueuedOutcome {
  if (!job) return { outcome: 'stale' };
  if (job.status !== 'awaiting_upload') {
    return job.eventKey === input.eventKey ? { outcome: 'duplicate', job } : { outcome: 'stale', job };
  }
  const uploaded: Job = {
    ...job,
    eventKey: input.eventKey,
    format: input.format,
    uploadedAt: input.now,
    updatedAt: input.now,
  };
  const charge = input.charge;
  if (!charge) return { outcome: 'queued', job: { ...uploaded, status: 'queued' } };
  const counted: Job = { ...uploaded, units: charge.units };
  const refuse = (error: JobError): MarkQueuedOutcome => ({
    outcome: 'refused',
    job: { ...counted, status: 'failed', error, finishedAt: input.now },
  });
  if (job.maxUnits !== undefined && charge.units > job.maxUnits) {
    return refuse({
      code: 'spending_cap_exceeded',
      message: `the document counts ${charge.units} units, over the job's cap of ${job.maxUnits}`,
    });
  }
  const left = charge.limit - (quota?.used ?? 0) - (quota?.reserved ?? 0);
  if (charge.units > left) {
    return refuse({
      code: 'quota_exceeded',
      message: `the document counts ${charge.units} units; ${Math.max(0, left)} of the plan's ${charge.limit} are left this month`,
    });
  }
  const reserved: Job = { ...counted, charge: 'reserved', chargeMonth: charge.month };
  if (job.confirm) {
    return {
      outcome: 'awaiting_confirmation',
      job: { ...reserved, status: 'awaiting_confirmation', confirmDeadline: input.now + charge.confirmWindowMs },
    };
  }
  return { outcome: 'queued', job: { ...reserved, status: 'queued' } };
}

/**
 * The caller confirms a counted job: `awaiting_confirmation` → `queued` (the reservation stays). Refused
 * (`not_awaiting`) in any other state and once the confirmation deadline has passed.
 */
export function confirmJob(job: Job | undefined, input: { now: number }): ConfirmOutcome {
  if (!job) return { ok: false, reason: 'not_found' };
  if (job.status !== 'awaiting_confirmation' || (job.confirmDeadline ?? Infinity) < input.now)
    return { ok: false, reason: 'not_awaiting', job };
  const { confirmDeadline: _d, ...rest } = job;
  return { ok: true, job: { ...rest, status: 'queued', updatedAt: input.now } };
}

/** 96 random bits, hex: the id of a new lease. */
export function newLeaseId(): string {
  return randomBytes(12).toString('hex');
}

/**
 * Who may take the job now, and the job as it is once taken: `queued` → `processing`, or `processing` →
 * `processing` when the previous lease expired at or before `now` (a takeover). The new lease lasts
 * `leaseMs` from `now`; `attempt` counts every claim. A store writes `job` only when `ok`.
 *
 * Refusals: `not_found` (no record), `finished` (terminal), `not_ready` (still `awaiting_upload`),
 * `leased` (a live lease holds it).
 */
export function claimJob(
  job: Job | undefined,
  input: { leaseMs: number; now: number },
  makeLeaseId: () => string = newLeaseId,
): ClaimResult {
  if (!job) return { ok: false, reason: 'not_found' };
  if (isTerminal(job.status)) return { ok: false, reason: 'finished', job };
  if (!canTransition(job.status, 'processing')) return { ok: false, reason: 'not_ready', job };
  if (hasLiveLease(job, input.now)) return { ok: false, reason: 'leased', job };
  const lease = { leaseId: makeLeaseId(), expiresAt: input.now + input.leaseMs, attempt: job.attempts + 1 };
  const next: Job = {
    ...job,
    status: 'processing',
    attempts: lease.attempt,
    leaseId: lease.leaseId,
    leaseExpiresAt: lease.expiresAt,
    startedAt: job.startedAt ?? input.now,
    updatedAt: input.now,
  };
  return { ok: true, job: next, lease };
}

/**
 * The lease holder's heartbeat: the lease is extended to `now + leaseMs` (never shortened) while `leaseId`
 * still holds the job (`processing` under that lease), even if it ran out meanwhile but nobody took it over.
 * Undefined (write nothing) when the lease was lost, the job finished, or there is no job: the worker's
 * conversion is then superseded and its results will be refused by `completeJob`.
 */
export function renewLease(
  job: Job | undefined,
  leaseId: string,
  input: { leaseMs: number; now: number },
): Job | undefined {
  if (!job || !holds(job, leaseId)) return undefined;
  const expiresAt = Math.max(job.leaseExpiresAt ?? 0, input.now + input.leaseMs);
  return { ...job, leaseExpiresAt: expiresAt, updatedAt: input.now };
}

/**
 * The lease holder gives the job back after a transient error: `processing` → `queued`, without a lease,
 * with `error` kept as `lastError` for diagnosis. Undefined (write nothing) when `leaseId` no longer holds
 * the job (a lost lease, a duplicate delivery) or there is no job.
 */
export function releaseJob(
  job: Job | undefined,
  leaseId: string,
  input: { error: JobError; now: number },
): Job | undefined {
  if (!job || !holds(job, leaseId) || !canTransition(job.status, 'queued')) return undefined;
  return { ...withoutLease(job), status: 'queued', lastError: input.error, updatedAt: input.now };
}

/**
 * The job as it is once its lease holder finishes it: `processing` → `succeeded` with its warnings, page
 * count and result objects, without a lease or `lastError`. Undefined (write nothing, count no usage) when
 * `leaseId` no longer holds it.
 */
export function completeJob(
  job: Job | undefined,
  leaseId: string,
  input: {
    warnings: JobWarning[];
    pages?: number;
    units?: number;
    resultObjects: { markdown: string; json: string };
    now: number;
  },
): Job | undefined {
  if (!job || !holds(job, leaseId) || !canTransition(job.status, 'succeeded')) return undefined;
  const { lastError: _le, ...rest } = withoutLease(job);
  // Settlement: the real count, never above the reservation (what was reserved, and confirmed, is the most charged).
  const settled =
    job.charge === 'reserved' && job.units !== undefined
      ? { charge: 'settled' as const, units: Math.min(job.units, input.units ?? job.units) }
      : {};
  return {
    ...rest,
    ...settled,
    status: 'succeeded',
    warnings: input.warnings,
    ...(input.pages !== undefined ? { pages: input.pages } : {}),
    resultObjects: input.resultObjects,
    finishedAt: input.now,
    updatedAt: input.now,
  };
}

/**
 * → `failed` with `error`, without a lease. With `leaseId`: only while that lease holds the job (the
 * worker's own permanent error or last attempt). Without: from `awaiting_upload` or `queued`, or from
 * `processing` once the lease expired at or before `now` (cleanup of a lost worker) — never from under a
 * live worker. Undefined (write nothing) when refused, including from a terminal state.
 */
export function failJob(
  job: Job | undefined,
  input: { error: JobError; now: number; leaseId?: string },
): Job | undefined {
  if (!job || !canTransition(job.status, 'failed')) return undefined;
  if (input.leaseId !== undefined ? !holds(job, input.leaseId) : hasLiveLease(job, input.now)) return undefined;
  return {
    ...releasing(withoutLease(job)),
    status: 'failed',
    error: input.error,
    finishedAt: input.now,
    updatedAt: input.now,
  };
}

/**
 * No upload arrived in time (`awaiting_upload`), or no confirmation (`awaiting_confirmation`, whose
 * reservation is released): → `expired` with `UPLOAD_EXPIRED` / `CONFIRMATION_EXPIRED`. Undefined (write
 * nothing) from any other state. Whether the deadline passed is the caller's query
 * (`findUploadExpired`, `findConfirmationExpired`), not a condition here.
 */
export function expireJob(job: Job | undefined, input: { now: number }): Job | undefined {
  if (!job || (job.status !== 'awaiting_upload' && job.status !== 'awaiting_confirmation')) return undefined;
  const error = job.status === 'awaiting_upload' ? UPLOAD_EXPIRED : CONFIRMATION_EXPIRED;
  return { ...releasing(job), status: 'expired', error, finishedAt: input.now, updatedAt: input.now };
}
