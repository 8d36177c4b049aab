/** Errors of the checkout and administration use cases, mapped onto HTTP by the functions. */

/** The plan id is not in the plans table (400 `unknown_plan`). */
export class UnknownPlanError extends Error {
  readonly plan: string;
  constructor(plan: string) {
    super(`unknown plan ${JSON.stringify(plan.slice(0, 40))}`);
    this.plan = plan;
    this.name = 'UnknownPlanError';
  }
}

/** The plan has no Stripe price (the free plan): it is not bought (400 `plan_not_for_sale`). */
export class PlanNotForSaleError extends Error {
  readonly plan: string;
  constructor(plan: string) {
    super(`the plan ${JSON.stringify(plan)} is not sold through Checkout`);
    this.plan = plan;
    this.name = 'PlanNotForSaleError';
  }
}

/** The user has no Stripe customer yet (409 `no_billing_account`): subscribe through Checkout first. */
export class NoBillingAccountError extends Error {
  constructor() {
    super('you have no billing account yet; subscribe through POST /v1/billing/checkout first');
    this.name = 'NoBillingAccountError';
  }
}

/** No user with that id (404). */
export class UserNotFoundError extends Error {
  constructor() {
    super('user not found');
    this.name = 'UserNotFoundError';
  }
}
