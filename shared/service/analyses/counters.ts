/**
 * What an analysis transition does to its owner's AI counters, derived from the record before and after it
 * (pure), applied by every JobStore in the transaction that writes the analysis:
 *
 * - allowance (`AiQuotaState` of the analysis's `chargeMonth`): +1 call when it is created (reserved); −1
 *   when a reserved call is released (failure, or deletion with its job of an analysis still `queued`); a
 *   settled call (success) stays counted, deleted or not. An analysis deleted while `running` stays counted:
 *   its model call is already under way and paid for, and refunding it would let delete-while-running loops
 *   use the model without ever reaching the allowance.
 * - usage (`AiUsageDay` of the day it succeeded, UTC, under the analysed document's format): +1 call.
 *
 * Unit: one analysis is one AI call, whatever its kind, engine or document size (`accounts/plans.ts`).
 */
import type { Analysis } from '../ports.ts';
import { dayOf } from '../jobs/charges.ts';

export interface AiEffects {
  allowance?: { month: string; calls: number };
  usage?: { day: string; format: string; calls: number };
}

/** The counter changes of `before → after` (`before` undefined: created; `after` undefined: deleted). */
export function aiEffects(before: Analysis | undefined, after: Analysis | undefined): AiEffects {
  const effects: AiEffects = {};
  const month = after?.chargeMonth ?? before?.chargeMonth;
  const wasReserved = before?.charge === 'reserved';
  if (month && !before && after?.charge === 'reserved') effects.allowance = { month, calls: 1 };
  else if (month && wasReserved && (after ? after.charge === 'released' : before.status === 'queued'))
    effects.allowance = { month, calls: -1 };
  if (after?.status === 'succeeded' && before?.status !== 'succeeded') {
    effects.usage = { day: dayOf(after.finishedAt ?? after.updatedAt), format: after.format, calls: 1 };
  }
  return effects;
}
