/**
 * HTTP function `stripeWebhook`: Stripe's events about customers and subscriptions. Public (Stripe calls it),
 * so the signature is the authentication: `Stripe-Signature` is verified over the raw body exactly as it
 * arrived (functions-framework's `req.rawBody`; a re-serialised parsed body would not match). Events arrive
 * at least once and out of order: the job store applies each event id once, in the transaction that
 * changes the user, and never lets an older subscription event overwrite a newer one.
 *
 * Handled: `checkout.session.completed` (links the customer to `client_reference_id`, our user id) and
 * `customer.subscription.created|updated|deleted` (plan and active flag; `metadata.mdraft_user` links too).
 * Any other type is acknowledged with 200 and ignored, so Stripe does not retry it.
 */
import Stripe from 'stripe';
import { z } from 'zod';
import type { BillingEvent, JobStore } from '../shared/service/ports.ts';
import { ApiError, badRequest } from '../shared/service/http/errors.ts';
import type { HttpHandler } from '../shared/service/http/types.ts';
import { log } from '../shared/service/logs.ts';

export interface StripeWebhookDeps {
  jobs: Pick<JobStore, 'applyBillingEvent'>;
  /** `whsec_…`; without it the route answers 503 `billing_not_configured`. */
  webhookSecret?: string;
  now: () => number;
}

/** Signatures older than this are refused (Stripe's default tolerance), which bounds replays of a captured request. */
const TOLERANCE_S = 300;

const Subscription = z.object({
  customer: z.string().min(1),
  status: z.string(),
  metadata: z.record(z.string(), z.string()).optional(),
  items: z
    .object({
      data: z.array(z.object({ price: z.object({ id: z.string(), lookup_key: z.string().nullish() }).optional() })),
    })
    .optional(),
});

const CheckoutSession = z.object({
  customer: z.string().min(1).nullish(),
  client_reference_id: z.string().min(1).max(128).nullish(),
});

const SUBSCRIPTION_EVENTS = new Set([
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
]);
/** Statuses in which the customer may use the paid plan. */
const ACTIVE = new Set(['active', 'trialing']);

export function createStripeWebhookHandler(deps: StripeWebhookDeps): HttpHandler {
  return async (req) => {
    if (req.method !== 'POST')
      throw new ApiError(405, 'method_not_allowed', `${req.method} is not allowed here`, { Allow: 'POST' });
    if (!deps.webhookSecret)
      throw new ApiError(503, 'billing_not_configured', 'the Stripe webhook secret is not configured');
    const signature = req.headers['stripe-signature'];
    if (!signature) throw badRequest('invalid_signature', 'missing Stripe-Signature header');
    let event: { id: string; type: string; created: number; data: { object: unknown } };
    try {
      event = Stripe.webhooks.constructEvent(
        req.body,
        signature,
        deps.webhookSecret,
        TOLERANCE_S,
      ) as unknown as typeof event;
    } catch {
      throw badRequest('invalid_signature', 'the Stripe signature does not match the body');
    }
    const billing = toBillingEvent(event, deps.now());
    if (!billing) {
      log('INFO', 'stripe event ignored', { requestId: req.requestId, eventId: event.id, type: event.type });
      return { status: 200, body: { received: true, outcome: 'ignored' } };
    }
    // A store error propagates as a 500: Stripe retries, and the event id makes the retry harmless.
    const outcome = await deps.jobs.applyBillingEvent(billing);
    log(outcome === 'unmatched' ? 'WARNING' : 'INFO', 'stripe event', {
      requestId: req.requestId,
      eventId: event.id,
      type: event.type,
      outcome,
    });
    return { status: 200, body: { received: true, outcome } };
  };
}

/** The billing meaning of a verified event, or undefined for types (or shapes) we do not act on. */
export function toBillingEvent(
  event: { id: string; type: string; created: number; data: { object: unknown } },
  now: number,
): BillingEvent | undefined {
  const base = { eventId: event.id, type: event.type, createdAt: event.created * 1000, now };
  if (SUBSCRIPTION_EVENTS.has(event.type)) {
    const sub = Subscription.safeParse(event.data.object);
    if (!sub.success) return undefined;
    const price = sub.data.items?.data[0]?.price;
    const plan = price ? (price.lookup_key ?? price.id) : undefined;
    const userId = sub.data.metadata?.mdraft_user;
    return {
      ...base,
      customerId: sub.data.customer,
      ...(userId ? { userId } : {}),
      subscription: {
        active: event.type !== 'customer.subscription.deleted' && ACTIVE.has(sub.data.status),
        ...(plan && event.type !== 'customer.subscription.deleted' ? { plan } : {}),
      },
    };
  }
  if (event.type === 'checkout.session.completed') {
    const session = CheckoutSession.safeParse(event.data.object);
    if (!session.success || !session.data.customer || !session.data.client_reference_id) return undefined;
    return { ...base, customerId: session.data.customer, userId: session.data.client_reference_id };
  }
  return undefined;
}
