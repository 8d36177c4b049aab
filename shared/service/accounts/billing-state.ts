/**
 * Every decision about a user's billing state, in one place (both `AccountStore`s read the state, decide here
 * and write the result in the webhook's transaction, as the job stores do with `jobs/states.ts`).
 *
 * Failed payments and the grace period: `invoice.payment_failed` (or a subscription that turns `past_due`/
 * `unpaid`) marks billing inactive and starts a grace period (MDRAFT_BILLING_GRACE_DAYS, default 7) unless
 * one is running; the user keeps the paid plan meanwhile while Stripe retries the card. A subscription that
 * becomes active again ends the grace. `customer.subscription.deleted` returns the user to the free plan at
 * once, except during a grace period: then the plan is kept until the grace ends. The end is enforced at
 * REQUEST TIME (`effectivePlanId`, called by authentication on every request), so no job has to run for a
 * lapsed user to drop to free, and an instance clock is the only clock involved.
 */
import type { BillingEvent } from '../ports.ts';
import { FREE_PLAN } from './plans.ts';

/** What the stores keep per user. Times are epoch ms. */
export interface BillingState {
  plan?: string;
  active?: boolean;
  /** Creation time of the last subscription (or payment) event applied: older ones are stale. */
  eventAt?: number;
  /** While set and in the future, a lapsed user keeps `plan`; after it, the effective plan is free. */
  graceUntil?: number;
}

/** The state after `event`, or `stale` when a newer event already decided it (out-of-order delivery). */
export function nextBillingState(current: BillingState, event: BillingEvent): BillingState | 'stale' {
  const decides = event.subscription !== undefined || event.paymentFailed === true;
  if (decides && current.eventAt !== undefined && current.eventAt > event.createdAt) return 'stale';
  const sub = event.subscription;
  if (sub) {
    if (sub.active) return { ...(sub.plan ? { plan: sub.plan } : {}), active: true, eventAt: event.createdAt };
    const graceRunning = current.graceUntil !== undefined && current.graceUntil > event.createdAt;
    if (!sub.plan) {
      // Deleted: free now, or when a running grace ends.
      return graceRunning
        ? {
            ...(current.plan ? { plan: current.plan } : {}),
            active: false,
            eventAt: event.createdAt,
            graceUntil: current.graceUntil,
          }
        : { active: false, eventAt: event.createdAt };
    }
    const graceUntil = graceRunning ? current.graceUntil : event.graceUntil;
    return {
      plan: sub.plan,
      active: false,
      eventAt: event.createdAt,
      ...(graceUntil !== undefined ? { graceUntil } : {}),
    };
  }
  if (event.paymentFailed) {
    const graceRunning = current.graceUntil !== undefined && current.graceUntil > event.createdAt;
    const graceUntil = graceRunning ? current.graceUntil : event.graceUntil;
    return { ...current, active: false, eventAt: event.createdAt, ...(graceUntil !== undefined ? { graceUntil } : {}) };
  }
  return current;
}

/** The plan a user has NOW: free once a grace period has ended, else the stored plan (absent = free). */
export function effectivePlanId(user: { plan?: string; graceUntil?: number }, now: number): string {
  if (user.graceUntil !== undefined && now >= user.graceUntil) return FREE_PLAN;
  return user.plan ?? FREE_PLAN;
}
