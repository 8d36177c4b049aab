/**
 * `Billing` on Stripe Billing Meters (API 2026-10-28: usage records are gone). One meter event per
 * succeeded job: `event_name` = the meter, `payload.stripe_customer_id` = the owner's customer (linked by
 * the Stripe webhook, `functions/stripe-webhook.ts`), `payload.value` = the pages the job store counted.
 * The job id is both the event `identifier` (Stripe keeps it unique for at least 24 hours, so a redelivered
 * task that reports again is not billed again) and the request's idempotency key (a network retry of the
 * same request gets the first answer back).
 */
import Stripe from 'stripe';
import type { AccountStore, Billing, UsageReport } from '../../service/ports.ts';

export interface StripeBillingOptions {
  stripe: Stripe;
  /** Reads the owner's `stripeCustomerId`. */
  users: Pick<AccountStore, 'getUser'>;
  meterEventName: string;
}

export class StripeBilling implements Billing {
  readonly kind = 'stripe' as const;
  private readonly stripe: Stripe;
  private readonly users: Pick<AccountStore, 'getUser'>;
  private readonly eventName: string;

  constructor(options: StripeBillingOptions) {
    this.stripe = options.stripe;
    this.users = options.users;
    this.eventName = options.meterEventName;
  }

  async recordUsage(usage: UsageReport): Promise<{ recorded: boolean; reason?: 'no_customer' }> {
    const user = await this.users.getUser(usage.owner);
    // A user without a Stripe customer (no subscription yet, or an operator's own account) is not billed.
    if (!user?.stripeCustomerId) return { recorded: false, reason: 'no_customer' };
    await this.stripe.billing.meterEvents.create(
      {
        event_name: this.eventName,
        payload: { stripe_customer_id: user.stripeCustomerId, value: String(usage.pages) },
        identifier: usage.jobId,
        timestamp: Math.floor(usage.at / 1000),
      },
      { idempotencyKey: `mdraft-usage-${usage.jobId}` },
    );
    return { recorded: true };
  }
}

/** A Stripe client for the API version this code is written against, with bounded network retries. */
export function createStripeClient(
  secretKey: string,
  overrides: Partial<ConstructorParameters<typeof Stripe>[1]> = {},
): Stripe {
  return new Stripe(secretKey, { maxNetworkRetries: 2, timeout: 20_000, ...overrides });
}

/**
 * The deployment's Stripe client, or undefined without a secret key. `apiUrl` (MDRAFT_STRIPE_API_URL) points
 * the library elsewhere (its `host`, `port` and `protocol` options): stripe-mock, or a test's recording server.
 */
export function stripeClientFor(billing: { stripeSecretKey?: string; apiUrl?: string }): Stripe | undefined {
  if (!billing.stripeSecretKey) return undefined;
  if (!billing.apiUrl) return createStripeClient(billing.stripeSecretKey);
  const url = new URL(billing.apiUrl);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return createStripeClient(billing.stripeSecretKey, {
    host: url.hostname,
    port: url.port ? Number(url.port) : protocol === 'http' ? 80 : 443,
    protocol,
  });
}
