/**
 * Stripe's event shapes → BillingEvent, and signature verification, with headers made by the stripe
 * library's own test helper. (The webhook over HTTP is test/functions/stripe-webhook.test.ts.)
 */
import Stripe from 'stripe';
import {
  InvalidStripeSignatureError,
  toBillingEvent,
  verifyStripeEvent,
} from '../../../shared/adapters/stripe/stripe-events.ts';

const SECRET = ['whsec', 'eventsTestSecret0123456789'].join('_');
const NOW = 1_800_000_000_000;

const sub = (type: string, object: object) => ({ id: 'evt_s', type, created: 1_700_000_000, data: { object } });
const subscription = (status: string, extra: object = {}) => ({
  customer: 'cus_1',
  status,
  items: { data: [{ price: { id: 'price_9', lookup_key: 'pro' } }] },
  ...extra,
});

test('subscription events: plan from the lookup key (else the price id), active for active/trialing, user from metadata', () => {
  expect(toBillingEvent(sub('customer.subscription.updated', subscription('trialing')), NOW)).toEqual({
    eventId: 'evt_s',
    type: 'customer.subscription.updated',
    createdAt: 1_700_000_000_000,
    customerId: 'cus_1',
    subscription: { plan: 'pro', active: true },
    now: NOW,
  });
  const noKey = subscription('past_due', {
    items: { data: [{ price: { id: 'price_9', lookup_key: null } }] },
    metadata: { mdraft_user: 'alice' },
  });
  expect(toBillingEvent(sub('customer.subscription.created', noKey), NOW)).toMatchObject({
    userId: 'alice',
    subscription: { plan: 'price_9', active: false },
  });
  // Deleted: inactive whatever the status, and no plan.
  expect(toBillingEvent(sub('customer.subscription.deleted', subscription('active')), NOW)?.subscription).toEqual({
    active: false,
  });
});

test('checkout links customer and client_reference_id; incomplete sessions, odd shapes and other types map to nothing', () => {
  const checkout = (object: object) => sub('checkout.session.completed', object);
  expect(toBillingEvent(checkout({ customer: 'cus_2', client_reference_id: 'bob' }), NOW)).toEqual({
    eventId: 'evt_s',
    type: 'checkout.session.completed',
    createdAt: 1_700_000_000_000,
    customerId: 'cus_2',
    userId: 'bob',
    now: NOW,
  });
  expect(toBillingEvent(checkout({ customer: null, client_reference_id: 'bob' }), NOW)).toBeUndefined();
  expect(toBillingEvent(checkout({ customer: 'cus_2' }), NOW)).toBeUndefined();
  expect(toBillingEvent(sub('customer.subscription.updated', { status: 'active' }), NOW)).toBeUndefined();
  expect(toBillingEvent(sub('invoice.paid', { customer: 'cus_2' }), NOW)).toBeUndefined();
});

test('verification: the signed body verifies; another body, secret or a garbage header is InvalidStripeSignatureError', () => {
  const body = JSON.stringify({ id: 'evt_v', object: 'event', type: 'invoice.paid', created: 1, data: { object: {} } });
  const header = Stripe.webhooks.generateTestHeaderString({ payload: body, secret: SECRET });
  expect(verifyStripeEvent(body, header, SECRET)).toMatchObject({ id: 'evt_v', type: 'invoice.paid' });
  expect(() => verifyStripeEvent(body.replace('evt_v', 'evt_w'), header, SECRET)).toThrow(InvalidStripeSignatureError);
  expect(() => verifyStripeEvent(body, header, ['whsec', 'other'].join('_'))).toThrow(InvalidStripeSignatureError);
  expect(() => verifyStripeEvent(body, 't=1,v1=00', SECRET)).toThrow(InvalidStripeSignatureError);
});
