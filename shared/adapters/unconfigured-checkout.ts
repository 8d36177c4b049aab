/**
 * `Checkout` for a deployment without Stripe (no STRIPE_SECRET_KEY): every call throws the typed
 * `BillingNotConfiguredError`, which the API answers with 501 `billing_not_configured`.
 */
import { BillingNotConfiguredError, type Checkout, type RedirectSession } from '../service/ports.ts';

export class UnconfiguredCheckout implements Checkout {
  async createCheckoutSession(): Promise<RedirectSession> {
    throw new BillingNotConfiguredError('billing is not configured on this server (no STRIPE_SECRET_KEY)');
  }

  async createPortalSession(): Promise<RedirectSession> {
    throw new BillingNotConfiguredError('billing is not configured on this server (no STRIPE_SECRET_KEY)');
  }
}
