/**
 * Stripe webhook events, in Stripe's shape: verifying the `Stripe-Signature` header over the raw body, and
 * mapping a verified event onto the `BillingEvent` the account use case applies
 * (`shared/service/accounts/billing-events.ts`).
 *
 * Mapped: `checkout.session.completed` (links the customer to `client_reference_id`, our user id),
 * `customer.subscription.created|updated|deleted` (plan and active flag; `metadata.mdraft_user` links too) and
 * `invoice.payment_failed` (billing inactive, a grace period starts: `shared/service/accounts/billing-state.ts`).
 * Every other type, or a payload not in the documented shape, maps to `undefined` (acknowledged, ignored).
 * Shapes: https://docs.stripe.com/api/events/types, https://docs.stripe.com/webhooks#verify-events.
 */
import Stripe from 'stripe';
import { z } from 'zod';
import type { BillingEvent } from '../../service/ports.ts';

/** The fields of a verified Stripe event this module reads; `created` is epoch SECONDS (Stripe's unit). */
export interface StripeEvent {
  id: string;
  type: string;
  created: number;
  data: { object: unknown };
}

/** The `Stripe-Signature` header does not verify the body with the secret (or is too old). */
export class InvalidStripeSignatureError extends Error {
  constructor(message = 'the Stripe signature does not match the body') {
    super(message);
    this.name = 'InvalidStripeSignatureError';
  }
}

/** Signatures older than this are refused (Stripe's default tolerance), which bounds replays of a captured request. */
export const SIGNATURE_TOLERANCE_S = 300;

/**
 * The event, once `signature` is verified over `rawBody` exactly as it arrived (a re-serialised parsed body
 * would not match) with the endpoint's `whsec_…` secret. Throws `InvalidStripeSignatureError` otherwise.
 */
export function verifyStripeEvent(rawBody: Buffer | string, signature: string, webhookSecret: string): StripeEvent {
  try {
    return Stripe.webhooks.constructEvent(
      rawBody,
      signature,
      webhookSecret,
      SIGNATURE_TOLERANCE_S,
    ) as unknown as StripeEvent;
  } catch {
    throw new InvalidStripeSignatureError();
  }
}

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

const Invoice = z.object({ customer: z.string().min(1) });

/** Grace after a failed payment when the caller gives none: 7 days (MDRAFT_BILLING_GRACE_DAYS's default). */
export const DEFAULT_GRACE_MS = 7 * 86_400_000;

const SUBSCRIPTION_EVENTS = new Set([
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
]);
/** Subscription statuses in which the customer may use the paid plan. */
const ACTIVE = new Set(['active', 'trialing']);

/**
 * The billing meaning of a verified event, or undefined for types (or shapes) we do not act on. `now`
 * (epoch ms) is when it was received; `createdAt` is the event's own time in ms. The plan is the first
 * price's `lookup_key`, else its id; a deleted subscription is inactive and has no plan. Events that end
 * paid service (a failed payment, an inactive subscription) carry `graceUntil` = event time + `graceMs`.
 */
export function toBillingEvent(
  event: StripeEvent,
  now: number,
  options: { graceMs?: number } = {},
): BillingEvent | undefined {
  const base = { eventId: event.id, type: event.type, createdAt: event.created * 1000, now };
  const graceUntil = base.createdAt + (options.graceMs ?? DEFAULT_GRACE_MS);
  if (event.type === 'invoice.payment_failed') {
    const invoice = Invoice.safeParse(event.data.object);
    if (!invoice.success) return undefined;
    return { ...base, customerId: invoice.data.customer, paymentFailed: true, graceUntil };
  }
  if (SUBSCRIPTION_EVENTS.has(event.type)) {
    const sub = Subscription.safeParse(event.data.object);
    if (!sub.success) return undefined;
    const price = sub.data.items?.data[0]?.price;
    const plan = price ? (price.lookup_key ?? price.id) : undefined;
    const userId = sub.data.metadata?.mdraft_user;
    const active = event.type !== 'customer.subscription.deleted' && ACTIVE.has(sub.data.status);
    return {
      ...base,
      customerId: sub.data.customer,
      ...(userId ? { userId } : {}),
      subscription: { active, ...(plan && event.type !== 'customer.subscription.deleted' ? { plan } : {}) },
      ...(active ? {} : { graceUntil }),
    };
  }
  if (event.type === 'checkout.session.completed') {
    const session = CheckoutSession.safeParse(event.data.object);
    if (!session.success || !session.data.customer || !session.data.client_reference_id) return undefined;
    return { ...base, customerId: session.data.customer, userId: session.data.client_reference_id };
  }
  return undefined;
}
