/**
 * The AccountStore contract: users, API keys, usage and billing events. Every adapter (node:sqlite,
 * Firestore) must pass the same suite; `describeAccountStoreContract('name', factory)` registers it. The
 * factory returns fresh, empty stores on one database: usage is written by the job store's completion and
 * read here, so the two must agree.
 */
import type { AccountStore, ChargeRequest, Job, JobStore } from '../../shared/service/ports.ts';
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
      // A key's default webhook URL and signing secret round-trip.
      const hooked = {
        ...key,
        id: 'd'.repeat(64),
        webhookUrl: 'https://hooks.example/in',
        webhookSecret: 'mdwhsec_' + 's'.repeat(43),
      };
      await accounts.createApiKey(hooked);
      expect(await accounts.findApiKeyByHash(hooked.id)).toEqual(hooked);
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

    const MONTH = '2027-05';
    const AT = Date.UTC(2027, 4, 10, 12);
    const charge = (units: number, limit = 10): ChargeRequest => ({
      units,
      month: MONTH,
      limit,
      confirmWindowMs: 60_000,
    });

    /** Creates a job for `owner` and marks its upload counted at `units`. */
    async function counted(owner: string, units: number, limit = 10, patch: Partial<Job> = {}, via = jobs) {
      const job = makeJob(owner, AT, patch);
      await via.createJob(job);
      return via.markQueued(job.id, {
        eventKey: `b/${job.inputObject}#1`,
        format: 'pdf',
        now: AT + 1,
        charge: charge(units, limit),
      });
    }

    test('profile fields persist: display name, status, plan, last seen; a missing user is not updated', async () => {
      const created = await accounts.ensureUser({ id: 'carol', email: 'c@example.com', displayName: 'Carol', now: T });
      expect(created).toEqual({ id: 'carol', email: 'c@example.com', displayName: 'Carol', createdAt: T });
      // The display name from the identity provider is used only at creation.
      await accounts.ensureUser({ id: 'carol', displayName: 'Other', now: T + 1 });
      expect((await accounts.getUser('carol'))?.displayName).toBe('Carol');
      const updated = await accounts.updateUser('carol', {
        displayName: 'Carol R.',
        status: 'suspended',
        plan: 'pro',
        lastSeenAt: T + 60_000,
      });
      expect(updated).toMatchObject({
        displayName: 'Carol R.',
        status: 'suspended',
        plan: 'pro',
        lastSeenAt: T + 60_000,
      });
      expect(await accounts.getUser('carol')).toEqual({
        id: 'carol',
        email: 'c@example.com',
        displayName: 'Carol R.',
        createdAt: T,
        lastSeenAt: T + 60_000,
        status: 'suspended',
        plan: 'pro',
      });
      await accounts.updateUser('carol', { status: 'active' });
      expect(await accounts.getUser('carol')).toMatchObject({ status: 'active', plan: 'pro', displayName: 'Carol R.' });
      expect(await accounts.updateUser('nobody', { displayName: 'x' })).toBeUndefined();
      expect(await accounts.getUser('nobody')).toBeUndefined();
    });

    test('deleteUser removes the record and its keys, keeps the usage counters', async () => {
      await accounts.ensureUser({ id: 'dave', now: T });
      const key = { id: 'f'.repeat(64), owner: 'dave', name: 'k', prefix: 'mdk_ffff', createdAt: T };
      await accounts.createApiKey(key);
      await accounts.createApiKey({ ...key, id: '1'.repeat(64), owner: 'erin' });
      expect((await counted('dave', 2)).outcome).toBe('queued');
      expect(await accounts.deleteUser('dave')).toBe(true);
      expect(await accounts.deleteUser('dave')).toBe(false);
      expect(await accounts.getUser('dave')).toBeUndefined();
      expect(await accounts.findApiKeyByHash(key.id)).toBeUndefined();
      expect(await accounts.listApiKeys('dave')).toEqual([]);
      expect(await accounts.findApiKeyByHash('1'.repeat(64))).toBeDefined();
      expect(await accounts.getQuota('dave', MONTH)).toMatchObject({ used: 0, reserved: 2 });
    });

    test('quota: reserved when counted, settled on success (never above the reservation), released on failure', async () => {
      expect(await accounts.getQuota('alice', MONTH)).toEqual({ owner: 'alice', month: MONTH, used: 0, reserved: 0 });
      const a = await counted('alice', 4);
      expect(a).toMatchObject({ outcome: 'queued', job: { units: 4, charge: 'reserved', chargeMonth: MONTH } });
      const b = await counted('alice', 5);
      expect(b.outcome).toBe('queued');
      expect(await accounts.getQuota('alice', MONTH)).toMatchObject({ used: 0, reserved: 9 });
      // 9 of 10 are spoken for: a 2-unit job is refused and failed in the same transaction; 1 still fits.
      const refused = await counted('alice', 2);
      expect(refused).toMatchObject({
        outcome: 'refused',
        job: { status: 'failed', error: { code: 'quota_exceeded' } },
      });
      expect((await jobs.getJob(refused.job!.id))?.status).toBe('failed');
      expect(await accounts.getQuota('alice', MONTH)).toMatchObject({ used: 0, reserved: 9 });
      // Success: settled at the real count (3 of the 4 reserved); a claimed count above the reservation charges the reservation.
      const ca = await jobs.claim(a.job!.id, { leaseMs: 1000, now: AT + 2 });
      if (!ca.ok) throw new Error('claim failed');
      const objs = { markdown: 'm', json: 'j' };
      expect(
        await jobs.complete(a.job!.id, ca.lease.leaseId, {
          warnings: [],
          pages: 3,
          units: 3,
          resultObjects: objs,
          now: AT + 3,
        }),
      ).toBe(true);
      expect(await jobs.getJob(a.job!.id)).toMatchObject({ status: 'succeeded', units: 3, charge: 'settled' });
      expect(await accounts.getQuota('alice', MONTH)).toMatchObject({ used: 3, reserved: 5 });
      // Failure: the reservation comes back.
      const cb = await jobs.claim(b.job!.id, { leaseMs: 1000, now: AT + 2 });
      if (!cb.ok) throw new Error('claim failed');
      await jobs.fail(b.job!.id, { error: { code: 'corrupt', message: 'x' }, leaseId: cb.lease.leaseId, now: AT + 4 });
      expect(await jobs.getJob(b.job!.id)).toMatchObject({ status: 'failed', charge: 'released' });
      expect(await accounts.getQuota('alice', MONTH)).toMatchObject({ used: 3, reserved: 0 });
      // Deleting a job that still holds a reservation releases it.
      const c = await counted('alice', 6);
      expect(await accounts.getQuota('alice', MONTH)).toMatchObject({ used: 3, reserved: 6 });
      expect(await jobs.deleteJob(c.job!.id)).toBe(true);
      expect(await accounts.getQuota('alice', MONTH)).toMatchObject({ used: 3, reserved: 0 });
      // Over-settlement never happens: claimed 50 units, reserved 7 → charged 7.
      const d = await counted('alice', 7);
      const cd = await jobs.claim(d.job!.id, { leaseMs: 1000, now: AT + 5 });
      if (!cd.ok) throw new Error('claim failed');
      await jobs.complete(d.job!.id, cd.lease.leaseId, { warnings: [], units: 50, resultObjects: objs, now: AT + 6 });
      expect(await accounts.getQuota('alice', MONTH)).toMatchObject({ used: 10, reserved: 0 });
      expect((await counted('alice', 1)).outcome).toBe('refused');
      // Another month, another allowance; another owner, another counter.
      expect(await accounts.getQuota('alice', '2027-06')).toMatchObject({ used: 0, reserved: 0 });
      expect(await accounts.getQuota('bob', MONTH)).toMatchObject({ used: 0, reserved: 0 });
      // Usage by day and format: 2 successes (10 units, 3 pages), 3 failures (refused twice, one conversion).
      expect(await accounts.listUsageDays('alice', { from: '2027-05-01', to: '2027-05-31' })).toEqual([
        { owner: 'alice', day: '2027-05-10', format: 'pdf', jobs: 5, failures: 3, units: 10, pages: 3 },
      ]);
      expect(await accounts.listUsageDays('alice', { from: '2027-05-11', to: '2027-05-31' })).toEqual([]);
    });

    test('quota across heartbeats and deletion: a renewal keeps the reservation, a deleted worker job releases it', async () => {
      const a = await counted('alice', 4);
      const ca = await jobs.claim(a.job!.id, { leaseMs: 1000, now: AT + 2 });
      if (!ca.ok) throw new Error('claim failed');
      // The heartbeat only moves the lease: nothing reserved is settled or released twice.
      expect(await jobs.extendLease(a.job!.id, ca.lease.leaseId, { leaseMs: 5000, now: AT + 900 })).toBe(true);
      expect(await jobs.getJob(a.job!.id)).toMatchObject({ status: 'processing', charge: 'reserved', units: 4 });
      expect(await accounts.getQuota('alice', MONTH)).toMatchObject({ used: 0, reserved: 4 });
      const objs = { markdown: 'm', json: 'j' };
      expect(
        await jobs.complete(a.job!.id, ca.lease.leaseId, {
          warnings: [],
          units: 2,
          resultObjects: objs,
          now: AT + 1500,
        }),
      ).toBe(true);
      expect(await accounts.getQuota('alice', MONTH)).toMatchObject({ used: 2, reserved: 0 });
      // Deleted while a worker holds it: the reservation comes back, and the worker's renewal is refused.
      const b = await counted('alice', 3);
      const cb = await jobs.claim(b.job!.id, { leaseMs: 1000, now: AT + 2 });
      if (!cb.ok) throw new Error('claim failed');
      expect(await jobs.deleteJob(b.job!.id)).toBe(true);
      expect(await accounts.getQuota('alice', MONTH)).toMatchObject({ used: 2, reserved: 0 });
      expect(await jobs.extendLease(b.job!.id, cb.lease.leaseId, { leaseMs: 1000, now: AT + 3 })).toBe(false);
      expect(
        await jobs.complete(b.job!.id, cb.lease.leaseId, { warnings: [], units: 3, resultObjects: objs, now: AT + 4 }),
      ).toBe(false);
      expect(await accounts.getQuota('alice', MONTH)).toMatchObject({ used: 2, reserved: 0 });
    });

    test('confirmation: a confirm job waits counted and reserved, is confirmed once, or expires and releases', async () => {
      const held = await counted('alice', 3, 10, { confirm: true });
      expect(held).toMatchObject({
        outcome: 'awaiting_confirmation',
        job: { status: 'awaiting_confirmation', units: 3 },
      });
      expect(held.job!.confirmDeadline).toBe(AT + 1 + 60_000);
      expect(await accounts.getQuota('alice', MONTH)).toMatchObject({ reserved: 3 });
      expect(await jobs.countActiveJobs('alice')).toBe(1);
      // A claim before the confirmation is refused.
      expect(await jobs.claim(held.job!.id, { leaseMs: 1000, now: AT + 2 })).toMatchObject({
        ok: false,
        reason: 'not_ready',
      });
      const ok = await jobs.confirm(held.job!.id, { now: AT + 3 });
      expect(ok).toMatchObject({ ok: true, job: { status: 'queued', charge: 'reserved' } });
      expect(await jobs.confirm(held.job!.id, { now: AT + 4 })).toMatchObject({ ok: false, reason: 'not_awaiting' });
      expect(await jobs.confirm('job_doesnotexist0000000000', { now: AT + 4 })).toEqual({
        ok: false,
        reason: 'not_found',
      });
      // Never confirmed: found by cleanup's query after the deadline, expired, reservation released.
      const other = await counted('alice', 2, 10, { confirm: true });
      expect(await jobs.findConfirmationExpired(AT + 30_000, 10)).toEqual([]);
      expect((await jobs.findConfirmationExpired(AT + 70_000, 10)).map((j) => j.id)).toEqual([other.job!.id]);
      expect(await jobs.confirm(other.job!.id, { now: AT + 70_000 })).toMatchObject({
        ok: false,
        reason: 'not_awaiting',
      });
      expect(await jobs.expire(other.job!.id, { now: AT + 70_000 })).toBe(true);
      expect(await jobs.getJob(other.job!.id)).toMatchObject({
        status: 'expired',
        charge: 'released',
        error: { code: 'confirmation_expired' },
      });
      expect(await accounts.getQuota('alice', MONTH)).toMatchObject({ reserved: 3 });
      // A spending cap below the count fails the job without reserving anything.
      const capped = await counted('alice', 5, 10, { maxUnits: 4 });
      expect(capped).toMatchObject({ outcome: 'refused', job: { error: { code: 'spending_cap_exceeded' } } });
      expect(await accounts.getQuota('alice', MONTH)).toMatchObject({ reserved: 3 });
      expect(await jobs.countActiveJobs('alice')).toBe(1);
    });

    test('RACE: 50 concurrent creations and counted uploads against 10 units accept exactly 10; failures give units back', async () => {
      // Half through a second client/connection when the store has one: two instances racing for one allowance.
      const via = (i: number) => (h.peerJobs && i % 2 === 1 ? h.peerJobs : jobs);
      const started = performance.now();
      const outcomes = await Promise.all(Array.from({ length: 50 }, (_, i) => counted('racer', 1, 10, {}, via(i))));
      const ms = Math.round(performance.now() - started);
      const accepted = outcomes.filter((o) => o.outcome === 'queued');
      const refused = outcomes.filter((o) => o.outcome === 'refused');
      console.log(
        `race (${name}${h.peerJobs ? ', two clients' : ''}): ${accepted.length} accepted, ${refused.length} refused of 50 against 10 units in ${ms} ms`,
      );
      expect(accepted).toHaveLength(10);
      expect(refused).toHaveLength(40);
      expect(await accounts.getQuota('racer', MONTH)).toMatchObject({ used: 0, reserved: 10 });
      // Three accepted jobs fail: their units come back, and exactly three of 20 new ones fit.
      for (const o of accepted.slice(0, 3)) {
        expect(await jobs.fail(o.job!.id, { error: { code: 'corrupt', message: 'x' }, now: AT + 5 })).toBe(true);
      }
      expect(await accounts.getQuota('racer', MONTH)).toMatchObject({ used: 0, reserved: 7 });
      const again = await Promise.all(Array.from({ length: 20 }, (_, i) => counted('racer', 1, 10, {}, via(i))));
      expect(again.filter((o) => o.outcome === 'queued')).toHaveLength(3);
      expect(await accounts.getQuota('racer', MONTH)).toMatchObject({ used: 0, reserved: 10 });
    }, 240_000);
  });
}
