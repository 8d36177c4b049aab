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
import type { JobStatus } from '../ports.ts';

export const JOB_STATUSES: readonly JobStatus[] = ['awaiting_upload', 'queued', 'processing', 'succeeded', 'failed', 'expired'];

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
