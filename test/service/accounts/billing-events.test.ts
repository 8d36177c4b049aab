/** Applying billing events through the use case, on the real sqlite account store. */
import { SqliteAccountStore } from '../../../shared/adapters/local/sqlite-account-store.ts';
import { applyBillingEvent } from '../../../shared/service/accounts/billing-events.ts';
import { setLogLevel } from '../../../shared/service/logs.ts';
import type { BillingEvent } from '../../../shared/service/ports.ts';

setLogLevel('silent');

const T = 1_800_000_000_000;
let accounts: SqliteAccountStore;
beforeEach(async () => {
  accounts = new SqliteAccountStore(':memory:');
  await accounts.ensureUser({ id: 'alice', now: T });
});
afterEach(() => accounts.close());

const link: BillingEvent = {
  eventId: 'evt_1',
  type: 'checkout.session.completed',
  createdAt: T,
  customerId: 'cus_A',
  userId: 'alice',
  now: T,
};

test('an event the adapter did not map is ignored and changes nothing', async () => {
  expect(await applyBillingEvent({ accounts }, { eventId: 'evt_0', type: 'invoice.paid', event: undefined })).toBe(
    'ignored',
  );
  expect(await accounts.getUser('alice')).toEqual({ id: 'alice', createdAt: T });
});

test("a mapped event is applied once: the store's outcome is the answer", async () => {
  const input = { eventId: link.eventId, type: link.type, event: link, requestId: 'r1' };
  expect(await applyBillingEvent({ accounts }, input)).toBe('applied');
  expect(await accounts.getUser('alice')).toMatchObject({ stripeCustomerId: 'cus_A' });
  expect(await applyBillingEvent({ accounts }, input)).toBe('duplicate');
  const stranger = { ...link, eventId: 'evt_2', customerId: 'cus_B', userId: 'nobody' };
  expect(await applyBillingEvent({ accounts }, { eventId: 'evt_2', type: link.type, event: stranger })).toBe(
    'unmatched',
  );
});

test('a store error propagates (the provider retries; the event id makes the retry harmless)', async () => {
  const failing = { applyBillingEvent: () => Promise.reject(new Error('database unavailable')) };
  await expect(
    applyBillingEvent({ accounts: failing }, { eventId: link.eventId, type: link.type, event: link }),
  ).rejects.toThrow('database unavailable');
});
