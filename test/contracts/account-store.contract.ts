/**
 * The AccountStore contract: users, API keys, usage and billing events. Every adapter (node:sqlite,
 * Firestore) must pass the same suite; `describeAccountStoreContract('name', factory)` registers it. The
 * factory returns fresh, empty stores on one database: usage is written by the job store's completion and
 * read here, so the two must agree.
 */
import type { AccountStore, Job, JobStore } from '../../shared/service/ports.ts';
import { makeJob, type StoreHandle } from './job-store.contract.ts';

export function describeAccountStoreContract(name: string, factory: () => Promise<StoreHandle>): void {
  describe(`AccountStore contract: ${name}`, () => {
    let h: StoreHandle;
    let jobs: JobStore;
    let accounts: AccountStore;
    const T = 1_800_000_000_000;
    beforeEach(async () => {
      h = await factory();
      jobs = h.jobs;
      accounts = h.accounts;
    });
    afterEach(async () => h.dispose());

    async function queued(at: number): Promise<Job> {
      const job = makeJob('alice', at);
      await jobs.createJob(job);
      const r = await jobs.markQueued(job.id, { eventKey: `b/${job.inputObject}#1`, format: 'pdf', now: at + 1 });
      expect(r.outcome).toBe('queued');
      return (await jobs.getJob(job.id))!;
    }

    test('usage is recorded once per successful job, in the same transaction', async () => {
      const job = await queued(Date.UTC(2027, 2, 15));
      const c = await jobs.claim(job.id, { leaseMs: 1000, now: job.updatedAt + 1 });
      if (!c.ok) throw new Error('claim failed');
      await jobs.complete(job.id, c.lease.leaseId, {
        warnings: [],
        pages: 4,
        resultObjects: { markdown: 'm', json: 'j' },
        now: job.updatedAt + 2,
      });
      await jobs.complete(job.id, c.lease.leaseId, {
        warnings: [],
        pages: 4,
        resultObjects: { markdown: 'm', json: 'j' },
        now: job.updatedAt + 3,
      });
      expect(await accounts.getUsage('alice', '2027-03')).toEqual({
        owner: 'alice',
        month: '2027-03',
        jobs: 1,
        pages: 4,
      });
      expect(await accounts.getUsage('bob', '2027-03')).toMatchObject({ jobs: 0, pages: 0 });
      // A failed job counts nothing; another success adds to its own month (without pages: 0 pages).
      const failing = await queued(Date.UTC(2027, 2, 20));
      const f = await jobs.claim(failing.id, { leaseMs: 1000, now: failing.updatedAt + 1 });
      if (!f.ok) throw new Error('claim failed');
      const err = { code: 'x', message: 'y' };
      expect(await jobs.fail(failing.id, { error: err, leaseId: f.lease.leaseId, now: failing.updatedAt + 2 })).toBe(
        true,
      );
      const next = await queued(Date.UTC(2027, 3, 1));
      const n = await jobs.claim(next.id, { leaseMs: 1000, now: next.updatedAt + 1 });
      if (!n.ok) throw new Error('claim failed');
      const objs = { markdown: 'm', json: 'j' };
      await jobs.complete(next.id, n.lease.leaseId, { warnings: [], resultObjects: objs, now: next.updatedAt + 2 });
      expect(await accounts.getUsage('alice', '2027-03')).toMatchObject({ jobs: 1, pages: 4 });
      expect(await accounts.getUsage('alice', '2027-04')).toEqual({
        owner: 'alice',
        month: '2027-04',
        jobs: 1,
        pages: 0,
      });
    });

    test('users and API keys: ensureUser is idempotent; keys are found by hash, listed by owner, revoked once', async () => {
      const u1 = await accounts.ensureUser({ id: 'alice', now: T });
      const u2 = await accounts.ensureUser({ id: 'alice', email: 'a@example.com', now: T + 5 });
      expect(u1.createdAt).toBe(T);
      expect(u2).toEqual({ id: 'alice', email: 'a@example.com', createdAt: T });
      const key = { id: 'a'.repeat(64), owner: 'alice', name: 'ci', prefix: 'mdk_abcdef', createdAt: T };
      await accounts.createApiKey(key);
      await accounts.createApiKey({ ...key, id: 'b'.repeat(64), owner: 'bob' });
      await expect(accounts.createApiKey({ ...key, name: 'again' })).rejects.toThrow();
      expect(await accounts.findApiKeyByHash(key.id)).toEqual(key);
      expect(await accounts.findApiKeyByHash('c'.repeat(64))).toBeUndefined();
      expect((await accounts.listApiKeys('alice')).map((k) => k.id)).toEqual([key.id]);
      expect(await accounts.revokeApiKey('bob', key.id, T + 1)).toBe(false);
      expect(await accounts.revokeApiKey('alice', key.id, T + 1)).toBe(true);
      expect(await accounts.revokeApiKey('alice', key.id, T + 2)).toBe(false);
      expect(await accounts.findApiKeyByHash(key.id)).toEqual({ ...key, revokedAt: T + 1 });
      // Listing: oldest first, revoked keys included.
      const later = { ...key, id: 'e'.repeat(64), name: 'later', createdAt: T + 10 };
      await accounts.createApiKey(later);
      expect(await accounts.listApiKeys('alice')).toEqual([{ ...key, revokedAt: T + 1 }, later]);
    });

    test('billing events: linked by user id, applied once per event id, older events never overwrite newer state', async () => {
      await accounts.ensureUser({ id: 'alice', email: 'a@example.com', now: T });
      expect(await accounts.getUser('alice')).toEqual({ id: 'alice', email: 'a@example.com', createdAt: T });
      expect(await accounts.getUser('nobody')).toBeUndefined();
      const base = { type: 'customer.subscription.updated', customerId: 'cus_A1', now: T + 100 };
      // A customer nobody claimed yet is acknowledged but changes nothing.
      expect(
        await accounts.applyBillingEvent({
          ...base,
          eventId: 'evt_0',
          createdAt: T,
          subscription: { plan: 'pro', active: true },
        }),
      ).toBe('unmatched');
      expect(
        await accounts.applyBillingEvent({
          ...base,
          eventId: 'evt_1',
          type: 'checkout.session.completed',
          createdAt: T + 1,
          userId: 'alice',
        }),
      ).toBe('applied');
      expect(await accounts.getUser('alice')).toEqual({
        id: 'alice',
        email: 'a@example.com',
        createdAt: T,
        stripeCustomerId: 'cus_A1',
      });
      expect(
        await accounts.applyBillingEvent({
          ...base,
          eventId: 'evt_2',
          createdAt: T + 10,
          subscription: { plan: 'pro', active: true },
        }),
      ).toBe('applied');
      expect(await accounts.getUser('alice')).toMatchObject({
        stripeCustomerId: 'cus_A1',
        plan: 'pro',
        billingActive: true,
      });
      // The same event again (at-least-once delivery) is a duplicate even with other content.
      expect(
        await accounts.applyBillingEvent({
          ...base,
          eventId: 'evt_2',
          createdAt: T + 30,
          subscription: { plan: 'free', active: false },
        }),
      ).toBe('duplicate');
      // An older event delivered late does not undo a newer one.
      expect(
        await accounts.applyBillingEvent({
          ...base,
          eventId: 'evt_3',
          createdAt: T + 5,
          subscription: { plan: 'basic', active: false },
        }),
      ).toBe('stale');
      expect(await accounts.getUser('alice')).toMatchObject({ plan: 'pro', billingActive: true });
      expect(
        await accounts.applyBillingEvent({
          ...base,
          eventId: 'evt_4',
          type: 'customer.subscription.deleted',
          createdAt: T + 20,
          subscription: { active: false },
        }),
      ).toBe('applied');
      const after = await accounts.getUser('alice');
      expect(after).toMatchObject({ stripeCustomerId: 'cus_A1', billingActive: false });
      expect(after?.plan).toBeUndefined();
      // ensureUser keeps the billing fields.
      await accounts.ensureUser({ id: 'alice', email: 'new@example.com', now: T + 200 });
      expect(await accounts.getUser('alice')).toMatchObject({
        email: 'new@example.com',
        stripeCustomerId: 'cus_A1',
        billingActive: false,
      });
    });
  });
}
