/**
 * HTTP function `stripeWebhook`: Stripe's events about customers and subscriptions. Public (Stripe calls it),
 * so the signature is the authentication: `Stripe-Signature` is verified over the raw body exactly as it
 * arrived (functions-framework's `req.rawBody`). Thin: check the request, verify and map the event with the
 * Stripe adapter (`shared/adapters/stripe/stripe-events.ts`), apply it with the account use case
 * (`shared/service/accounts/billing-events.ts`), map typed errors. Any event type we do not act on is
 * acknowledged with 200 `ignored`, so Stripe does not retry it; a store error is a 500 and Stripe retries
 * (the event id makes the retry harmless).
 */
import { z } from 'zod';
import type { AccountStore } from '../shared/service/ports.ts';
import type { Plans } from '../shared/service/accounts/plans.ts';
import { ApiError, badRequest } from '../shared/service/http/errors.ts';
import { parseWith } from '../shared/service/http/body.ts';
import type { HttpHandler } from '../shared/service/http/types.ts';
import { applyBillingEvent } from '../shared/service/accounts/billing-events.ts';
import {
  InvalidStripeSignatureError,
  toBillingEvent,
  verifyStripeEvent,
  type StripeEvent,
} from '../shared/adapters/stripe/stripe-events.ts';

export interface StripeWebhookDeps {
  accounts: Pick<AccountStore, 'applyBillingEvent'>;
  /** `whsec_…`; without it the route answers 503 `billing_not_configured`. */
  webhookSecret?: string;
  now: () => number;
  /** Grace after a failed payment (MDRAFT_BILLING_GRACE_DAYS); default 7 days. */
  graceMs?: number;
  /** The plans table: a subscription's price lookup key becomes the plan id that sells it. */
  plans?: Plans;
}

const SignatureHeader = z.string({ error: 'missing Stripe-Signature header' }).min(1, 'empty Stripe-Signature header');

export function createStripeWebhookHandler(deps: StripeWebhookDeps): HttpHandler {
  return async (req) => {
    if (req.method !== 'POST')
      throw new ApiError(405, 'method_not_allowed', `${req.method} is not allowed here`, { Allow: 'POST' });
    if (!deps.webhookSecret)
      throw new ApiError(503, 'billing_not_configured', 'the Stripe webhook secret is not configured');
    const signature = parseWith(SignatureHeader, req.headers['stripe-signature'], 'invalid_signature');
    let event: StripeEvent;
    try {
      event = verifyStripeEvent(req.body, signature, deps.webhookSecret);
    } catch (error) {
      if (error instanceof InvalidStripeSignatureError) throw badRequest('invalid_signature', error.message);
      throw error;
    }
    const outcome = await applyBillingEvent(deps, {
      eventId: event.id,
      type: event.type,
      event: toBillingEvent(event, deps.now(), deps.graceMs !== undefined ? { graceMs: deps.graceMs } : {}),
      requestId: req.requestId,
    });
    return { status: 200, body: { received: true, outcome } };
  };
}
