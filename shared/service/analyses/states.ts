/**
 * The analysis state machine, in one place (like `jobs/states.ts` for jobs): which transition is allowed from
 * which state, lease and time, and what the record becomes. Pure: no I/O, no clock. Every JobStore adapter
 * reads the record in ONE transaction, calls the decision here, writes what it returns (if anything) and the
 * counter changes of `counters.ts`, so a redelivered task or a lost worker coming back finds the transition
 * refused.
 *
 *   queued ─claim→ running ─→ succeeded
 *     │  ↑ release (transient)  │
 *     ↓  └──────────────────────┤
 *   failed ←────────────────────┘ (permanent error, last attempt, lost worker)
 *
 * `running → running` is a takeover of an expired lease by another delivery.
 */
import type { Analysis, AnalysisClaimResult, AnalysisStatus, AnalysisUsage, JobError, JobWarning } from '../ports.ts';
import { newLeaseId } from '../jobs/states.ts';

const TRANSITIONS: Record<AnalysisStatus, readonly AnalysisStatus[]> = {
  queued: ['running', 'failed'],
  running: ['running', 'queued', 'succeeded', 'failed'],
  succeeded: [],
  failed: [],
};

export function isAnalysisTerminal(status: AnalysisStatus): boolean {
  return TRANSITIONS[status].length === 0;
}

function hasLiveLease(a: Analysis, now: number): boolean {
  return a.status === 'running' && (a.leaseExpiresAt ?? 0) > now;
}

function holds(a: Analysis, leaseId: string): boolean {
  return a.status === 'running' && a.leaseId === leaseId;
}

function withoutLease(a: Analysis): Analysis {
  const { leaseId: _l, leaseExpiresAt: _e, ...rest } = a;
  return rest;
}

/**
 * `queued` → `running`, or `running` → `running` once the previous lease expired at or before `now`. Refusals:
 * `not_found`, `finished` (terminal), `leased` (a live lease holds it).
 */
export function claimAnalysis(
  a: Analysis | undefined,
  input: { leaseMs: number; now: number },
  makeLeaseId: () => string = newLeaseId,
): AnalysisClaimResult {
  if (!a) return { ok: false, reason: 'not_found' };
  if (isAnalysisTerminal(a.status)) return { ok: false, reason: 'finished', analysis: a };
  if (hasLiveLease(a, input.now)) return { ok: false, reason: 'leased', analysis: a };
  const lease = { leaseId: makeLeaseId(), expiresAt: input.now + input.leaseMs, attempt: a.attempts + 1 };
  return {
    ok: true,
    lease,
    analysis: {
      ...a,
      status: 'running',
      attempts: lease.attempt,
      leaseId: lease.leaseId,
      leaseExpiresAt: lease.expiresAt,
      startedAt: a.startedAt ?? input.now,
      updatedAt: input.now,
    },
  };
}

/** The lease extended to `now + leaseMs` (never shortened) while `leaseId` holds it; else undefined. */
export function renewAnalysisLease(
  a: Analysis | undefined,
  leaseId: string,
  input: { leaseMs: number; now: number },
): Analysis | undefined {
  if (!a || !holds(a, leaseId)) return undefined;
  return { ...a, leaseExpiresAt: Math.max(a.leaseExpiresAt ?? 0, input.now + input.leaseMs), updatedAt: input.now };
}

/** `running` → `queued` after a transient error (kept as `lastError`), for the lease holder only. */
export function releaseAnalysis(
  a: Analysis | undefined,
  leaseId: string,
  input: { error: JobError; now: number },
): Analysis | undefined {
  if (!a || !holds(a, leaseId)) return undefined;
  return { ...withoutLease(a), status: 'queued', lastError: input.error, updatedAt: input.now };
}

/** `running` → `succeeded` for the lease holder: the AI call is settled. */
export function completeAnalysis(
  a: Analysis | undefined,
  leaseId: string,
  input: { warnings: JobWarning[]; droppedClaims: number; usage?: AnalysisUsage; resultObject: string; now: number },
): Analysis | undefined {
  if (!a || !holds(a, leaseId)) return undefined;
  const { lastError: _le, ...rest } = withoutLease(a);
  return {
    ...rest,
    status: 'succeeded',
    charge: a.charge === 'reserved' ? 'settled' : a.charge,
    warnings: input.warnings,
    droppedClaims: input.droppedClaims,
    ...(input.usage ? { usage: input.usage } : {}),
    resultObject: input.resultObject,
    finishedAt: input.now,
    updatedAt: input.now,
  };
}

/**
 * → `failed` with `error`, releasing the AI call. With `leaseId`: only while that lease holds it. Without:
 * from `queued`, or from `running` once the lease expired (cleanup of a lost worker), never under a live one.
 */
export function failAnalysis(
  a: Analysis | undefined,
  input: { error: JobError; now: number; leaseId?: string },
): Analysis | undefined {
  if (!a || isAnalysisTerminal(a.status)) return undefined;
  if (input.leaseId !== undefined ? !holds(a, input.leaseId) : hasLiveLease(a, input.now)) return undefined;
  return {
    ...withoutLease(a),
    status: 'failed',
    charge: a.charge === 'reserved' ? 'released' : a.charge,
    error: input.error,
    finishedAt: input.now,
    updatedAt: input.now,
  };
}
