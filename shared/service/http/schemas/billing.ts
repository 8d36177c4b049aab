/**
 * The billing routes (`functions/routes/billing.ts`): Stripe Checkout for a plan and the Customer Portal.
 * Without Stripe configured both answer 501 `billing_not_configured`.
 */
import { z } from 'zod';
import type { RouteSpec } from '../route-spec.ts';
import type { RedirectSession } from '../../ports.ts';
import { agree, type Same } from './common.ts';

export const CheckoutBody = z.object({ plan: z.string().trim().min(1).max(40) }).strict();

/** A hosted page the caller is sent to. */
export const RedirectSessionSchema = z.object({ id: z.string(), url: z.string() });
agree<Same<z.output<typeof RedirectSessionSchema>, RedirectSession>>();

const NOT_CONFIGURED = { 501: ['billing_not_configured'] } as const;

export const billingRoutes = {
  startCheckout: {
    operationId: 'startCheckout',
    method: 'POST',
    path: '/v1/billing/checkout',
    tag: 'billing',
    summary: "A Stripe Checkout Session (subscription) for the plan's price",
    auth: 'user',
    body: CheckoutBody,
    responses: { 200: { description: 'send the caller to `url`', schema: RedirectSessionSchema } },
    errors: { 400: ['unknown_plan', 'plan_not_for_sale'], ...NOT_CONFIGURED, 503: ['price_unavailable'] },
  },
  openPortal: {
    operationId: 'openPortal',
    method: 'POST',
    path: '/v1/billing/portal',
    tag: 'billing',
    summary: 'A Stripe Customer Portal session',
    auth: 'user',
    responses: { 200: { description: 'send the caller to `url`', schema: RedirectSessionSchema } },
    errors: { 409: ['no_billing_account'], ...NOT_CONFIGURED },
  },
} as const satisfies Record<string, RouteSpec>;
