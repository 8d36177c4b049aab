/**
 * `Checkout` on Stripe: Checkout Sessions in `subscription` mode and Customer Portal sessions.
 *
 * The price is found by its lookup key (`GET /v1/prices?lookup_keys[]=…&active=true`), so the plans table
 * names prices that an operator can replace in Stripe without a deploy. The session carries our user id as
 * `client_reference_id` (the `checkout.session.completed` webhook links the customer with it) and as
 * subscription metadata `mdraft_user` (every subscription event then names the user too). A known customer
 * is reused (`customer`), else Checkout creates one, prefilled with the user's email.
 * API: https://docs.stripe.com/api/checkout/sessions/create, https://docs.stripe.com/api/customer_portal/sessions/create.
 */
import type Stripe from 'stripe';
import { PriceNotFoundError, type Checkout, type RedirectSession } from '../../service/ports.ts';

export class StripeCheckout implements Checkout {
  private readonly stripe: Stripe;

  constructor(options: { stripe: Stripe }) {
    this.stripe = options.stripe;
  }

  async createCheckoutSession(input: {
    userId: string;
    email?: string;
    customerId?: string;
    priceLookupKey: string;
    plan: string;
    successUrl: string;
    cancelUrl: string;
  }): Promise<RedirectSession> {
    const prices = await this.stripe.prices.list({ lookup_keys: [input.priceLookupKey], active: true, limit: 1 });
    const price = prices.data[0];
    if (!price) throw new PriceNotFoundError(input.priceLookupKey);
    const session = await this.stripe.checkout.sessions.create({
      mode: 'subscription',
      line_items: [{ price: price.id, quantity: 1 }],
      client_reference_id: input.userId,
      ...(input.customerId ? { customer: input.customerId } : input.email ? { customer_email: input.email } : {}),
      subscription_data: { metadata: { mdraft_user: input.userId, mdraft_plan: input.plan } },
      metadata: { mdraft_user: input.userId, mdraft_plan: input.plan },
      success_url: input.successUrl,
      cancel_url: input.cancelUrl,
    });
    if (!session.url) throw new Error('Stripe returned a Checkout Session without a URL');
    return { id: session.id, url: session.url };
  }

  async createPortalSession(input: { customerId: string; returnUrl: string }): Promise<RedirectSession> {
    const session = await this.stripe.billingPortal.sessions.create({
      customer: input.customerId,
      return_url: input.returnUrl,
    });
    return { id: session.id, url: session.url };
  }
}
