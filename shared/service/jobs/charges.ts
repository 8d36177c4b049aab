/**
 * What a job transition does to its owner's counters, derived from the record before and after it (pure).
 * Every JobStore applies these in the transaction that writes the job, so the counters can never disagree
 * with the jobs:
 *
 * - quota (`QuotaState` of the job's `chargeMonth`): `reserved` grows when units are reserved, shrinks when
 *   they are settled (then `used` grows by the settled units) or released (failure, expiry, deletion).
 * - usage (`UsageDay` of the day the job ended, UTC, and its format): one job when it ends `succeeded` or
 *   `failed`; a failure when `failed`; the settled units and the pages when `succeeded`.
 */
import type { Job } from '../ports.ts';

export interface ChargeEffects {
  quota?: { month: string; used: number; reserved: number };
  usage?: { day: string; format: string; jobs: number; failures: number; units: number; pages: number };
}

/** `YYYY-MM-DD` (UTC) of an instant (epoch ms). */
export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** `YYYY-MM` (UTC) of an instant (epoch ms): the month allowances are counted in. */
export function monthOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 7);
}

/** The counter changes of `before → after` (`after` undefined: the job was deleted). */
export function chargeEffects(before: Job | undefined, after: Job | undefined): ChargeEffects {
  const effects: ChargeEffects = {};
  const wasReserved = before?.charge === 'reserved';
  const month = after?.chargeMonth ?? before?.chargeMonth;
  if (!wasReserved && after?.charge === 'reserved' && month) {
    effects.quota = { month, used: 0, reserved: after.units ?? 0 };
  } else if (wasReserved && after?.charge !== 'reserved' && month) {
    const settled = after?.charge === 'settled' ? (after.units ?? 0) : 0;
    effects.quota = { month, used: settled, reserved: -(before.units ?? 0) };
  }
  const ended = (j: Job | undefined) => j?.status === 'succeeded' || j?.status === 'failed';
  if (after && ended(after) && !ended(before)) {
    const succeeded = after.status === 'succeeded';
    effects.usage = {
      day: dayOf(after.finishedAt ?? after.updatedAt),
      format: after.format ?? 'unknown',
      jobs: 1,
      failures: succeeded ? 0 : 1,
      units: succeeded && after.charge === 'settled' ? (after.units ?? 0) : 0,
      pages: succeeded ? (after.pages ?? 0) : 0,
    };
  }
  return effects;
}
