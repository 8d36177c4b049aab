/**
 * Applying a billing provider's webhook event to a user's account. The provider's payload is already
 * verified and mapped to a `BillingEvent` by its adapter (Stripe: `shared/adapters/stripe/stripe-events.ts`);
 * events it does not act on arrive as `undefined` and are acknowledged as `ignored`, so the provider does
 * not retry them. Delivery is at least once and out of order: the `AccountStore` applies each event id
 * once and never lets an older subscription event overwrite a newer one.
 */
import type { AccountStore, BillingEvent, BillingEventOutcome } from '../ports.ts';
import { logs } from '../logs.ts';
import type { Plans } from './plans.ts';

export interface BillingEventDeps {
  accounts: Pick<AccountStore, 'applyBillingEvent'>;
  /** Translates a subscription's price lookup key into the plan id that sells it (`stripePriceLookupKey`). */
  plans?: Plans;
}

/**
 * The plan id whose `stripePriceLookupKey` is `priceKey`; the key itself when no plan sells it (logged: the
 * user is then on an unknown plan, which the limits treat as free, until the plans table names the price).
 */
export function planForPrice(plans: Plans, priceKey: string): string {
  for (const [id, plan] of Object.entries(plans)) if (plan.stripePriceLookupKey === priceKey) return id;
  logs.billingPriceUnmatched({ priceKey });
  return priceKey;
}

export type BillingEventResult = BillingEventOutcome | 'ignored';

/**
 * Applies `event` (or ignores an event the adapter did not map) and logs the outcome; `unmatched` (no user
 * for the customer yet) is a WARNING. A store error propagates: the provider retries, and the event id
 * makes the retry harmless.
 */
export async function applyBillingEvent(
  deps: BillingEventDeps,
  input: { eventId: string; type: string; event: BillingEvent | undefined; requestId?: string },
): Promise<BillingEventResult> {
  const ctx = { requestId: input.requestId, eventId: input.eventId, type: input.type };
  if (!input.event) {
    logs.billingEventIgnored(ctx);
    return 'ignored';
  }
  const sub = input.event.subscription;
  const event =
    sub?.plan && deps.plans
      ? { ...input.event, subscription: { ...sub, plan: planForPrice(deps.plans, sub.plan) } }
      : input.event;
  const outcome = await deps.accounts.applyBillingEvent(event);
  logs.billingEventApplied({ ...ctx, outcome });
  return outcome;
}
