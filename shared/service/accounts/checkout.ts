/**
 * Starting and managing a paid plan: a Checkout Session for a plan of the plans table (its price found by
 * `stripePriceLookupKey`) and a Customer Portal session for the caller's own Stripe customer. The plan change
 * itself arrives later through the webhook (`billing-events.ts`), never from these calls.
 */
import { BillingNotConfiguredError, type AccountStore, type Checkout, type RedirectSession } from '../ports.ts';
import type { Config } from '../config.ts';
import { NoBillingAccountError, PlanNotForSaleError, UnknownPlanError } from './billing-errors.ts';

export interface CheckoutDeps {
  accounts: Pick<AccountStore, 'getUser'>;
  checkout?: Checkout;
  config: Pick<Config, 'plans' | 'checkout'>;
}

/**
 * A subscription Checkout Session for `plan`. Throws `UnknownPlanError` (not in the table),
 * `PlanNotForSaleError` (no price lookup key: the free plan), `BillingNotConfiguredError` (no Stripe, or no
 * success/cancel URL configured), `PriceNotFoundError` (no active price has the key).
 */
export async function startCheckout(
  deps: CheckoutDeps,
  input: { userId: string; email?: string; plan: string },
): Promise<RedirectSession> {
  const plan = Object.hasOwn(deps.config.plans, input.plan) ? deps.config.plans[input.plan] : undefined;
  if (!plan) throw new UnknownPlanError(input.plan);
  if (!plan.stripePriceLookupKey) throw new PlanNotForSaleError(input.plan);
  const { successUrl, cancelUrl } = deps.config.checkout;
  if (!deps.checkout) throw new BillingNotConfiguredError();
  if (!successUrl || !cancelUrl)
    throw new BillingNotConfiguredError('MDRAFT_BILLING_SUCCESS_URL and MDRAFT_BILLING_CANCEL_URL are not configured');
  const user = await deps.accounts.getUser(input.userId);
  const email = user?.email ?? input.email;
  return deps.checkout.createCheckoutSession({
    userId: input.userId,
    ...(email ? { email } : {}),
    ...(user?.stripeCustomerId ? { customerId: user.stripeCustomerId } : {}),
    priceLookupKey: plan.stripePriceLookupKey,
    plan: input.plan,
    successUrl,
    cancelUrl,
  });
}

/** A Customer Portal session. Throws `NoBillingAccountError` (no Stripe customer yet), `BillingNotConfiguredError`. */
export async function openPortal(deps: CheckoutDeps, input: { userId: string }): Promise<RedirectSession> {
  if (!deps.checkout) throw new BillingNotConfiguredError();
  const returnUrl = deps.config.checkout.portalReturnUrl;
  if (!returnUrl)
    throw new BillingNotConfiguredError(
      'MDRAFT_BILLING_PORTAL_RETURN_URL (or MDRAFT_BILLING_SUCCESS_URL) is not configured',
    );
  const user = await deps.accounts.getUser(input.userId);
  if (!user?.stripeCustomerId) throw new NoBillingAccountError();
  return deps.checkout.createPortalSession({ customerId: user.stripeCustomerId, returnUrl });
}
