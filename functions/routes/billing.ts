/**
 * `POST /v1/billing/checkout` {plan} → 200 {id, url}: a Stripe Checkout Session (mode subscription) for the
 * plan's price; the caller is sent to `url`. `POST /v1/billing/portal` → 200 {id, url}: a Customer Portal
 * session (409 `no_billing_account` before the first subscription). Without Stripe: 501
 * `billing_not_configured`. Unknown plan: 400 `unknown_plan`; the free plan: 400 `plan_not_for_sale`.
 */
import { BillingNotConfiguredError, PriceNotFoundError } from '../../shared/service/ports.ts';
import { ApiError, badRequest, conflict } from '../../shared/service/http/errors.ts';
import { parseJsonBody } from '../../shared/service/http/body.ts';
import { json } from '../../shared/service/http/types.ts';
import type { PipelineDeps } from '../../shared/service/jobs/deps.ts';
import { openPortal, startCheckout } from '../../shared/service/accounts/checkout.ts';
import {
  NoBillingAccountError,
  PlanNotForSaleError,
  UnknownPlanError,
} from '../../shared/service/accounts/billing-errors.ts';
import type { RouteDef } from './types.ts';
import { billingRoutes as specs } from '../../shared/service/http/schemas/billing.ts';

export function billingRoutes(deps: PipelineDeps): RouteDef[] {
  return [
    {
      spec: specs.startCheckout,
      run: async (req, who) => {
        const body = parseJsonBody(req, specs.startCheckout.body);
        try {
          const session = await startCheckout(deps, {
            userId: who.uid,
            ...(who.email ? { email: who.email } : {}),
            plan: body.plan,
          });
          return json(200, session);
        } catch (error) {
          throw billingError(error);
        }
      },
    },
    {
      spec: specs.openPortal,
      run: async (_req, who) => {
        try {
          return json(200, await openPortal(deps, { userId: who.uid }));
        } catch (error) {
          throw billingError(error);
        }
      },
    },
  ];
}

function billingError(error: unknown): unknown {
  if (error instanceof UnknownPlanError) return badRequest('unknown_plan', error.message);
  if (error instanceof PlanNotForSaleError) return badRequest('plan_not_for_sale', error.message);
  if (error instanceof NoBillingAccountError) return conflict('no_billing_account', error.message);
  if (error instanceof BillingNotConfiguredError) return new ApiError(501, 'billing_not_configured', error.message);
  // The plans table names a price Stripe does not have: the operator's mistake, not the caller's.
  if (error instanceof PriceNotFoundError) return new ApiError(503, 'price_unavailable', error.message);
  return error;
}
