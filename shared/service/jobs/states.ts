/**
 * The job state machine, in one place. Stores check `canTransition` inside their transactions, so a
 * repeated or out-of-order call (a redelivered event, a duplicate task) finds the transition refused
 * instead of corrupting the record.
 *
 *   awaiting_upload ─upload ok→ queued ─claim→ processing ─→ succeeded
 *         │                      │  ↑ release (transient)  │
 *         │ bad upload / never   │  └──────────────────────┤
 *         ↓                      ↓                         ↓
 *   failed / expired           failed                    failed (permanent error, last attempt, lost worker)
 *
 * `processing → processing` is a takeover of an expired lease by another delivery.
 */
import { randomBytes } from 'node:crypto';
import type { ClaimResult, Job, JobStatus, JobWarning } from '../ports.ts';

export const JOB_STATUSES: readonly JobStatus[] = [
  'awaiting_upload',
  'queued',
  'processing',
  'succeeded',
  'failed',
  'expired',
];

const TRANSITIONS: Record<JobStatus, readonly JobStatus[]> = {
  awaiting_upload: ['queued', 'failed', 'expired'],
  queued: ['processing', 'failed'],
  processing: ['processing', 'queued', 'succeeded', 'failed'],
  succeeded: [],
  failed: [],
  expired: [],
};

export function canTransition(from: JobStatus, to: JobStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function isTerminal(status: JobStatus): boolean {
  return TRANSITIONS[status].length === 0;
}

/**
 * The claim decision every JobStore makes inside its transaction: who may take the job now, and the job as
 * it is once taken. A store only reads the current record, calls this, and writes `job` back when `ok`.
 */
export function claimJob(job: Job | undefined, input: { leaseMs: number; now: number }): ClaimResult {
  if (!job) return { ok: false, reason: 'not_found' };
  if (isTerminal(job.status)) return { ok: false, reason: 'finished', job };
  if (job.status === 'awaiting_upload') return { ok: false, reason: 'not_ready', job };
  if (job.status === 'processing' && (job.leaseExpiresAt ?? 0) > input.now) return { ok: false, reason: 'leased', job };
  const lease = {
    leaseId: randomBytes(12).toString('hex'),
    expiresAt: input.now + input.leaseMs,
    attempt: job.attempts + 1,
  };
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
 * The job as it is once its holder finishes it, or undefined when `leaseId` no longer holds it (a lost
 * lease, a duplicate delivery): stores write the result only in that case, in the transition's transaction.
 */
export function completeJob(
  job: Job | undefined,
  leaseId: string,
  input: { warnings: JobWarning[]; pages?: number; resultObjects: { markdown: string; json: string }; now: number },
): Job | undefined {
  if (!job || job.status !== 'processing' || job.leaseId !== leaseId) return undefined;
  const { leaseId: _l, leaseExpiresAt: _e, lastError: _le, ...rest } = job;
  return {
    ...rest,
    status: 'succeeded',
    warnings: input.warnings,
    ...(input.pages !== undefined ? { pages: input.pages } : {}),
    resultObjects: input.resultObjects,
    finishedAt: input.now,
    updatedAt: input.now,
  };
}
