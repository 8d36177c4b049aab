/**
 * The contracts of the administration stores: `RateLimiter`, `UserAdminStore` and `AuditLog`. Every backend
 * (node:sqlite, Firestore) must pass the same suite; the factory returns fresh, empty stores on one database
 * together with the `AccountStore` they sit beside (users are created through it).
 */
import type { AccountStore, AuditEntry, AuditLog, RateLimiter, UserAdminStore } from '../../shared/service/ports.ts';
import { InvalidCursorError } from '../../shared/service/jobs/errors.ts';

export interface AdminStoresHandle {
  accounts: AccountStore;
  rateLimiter: RateLimiter;
  /** The limiter counts exactly under concurrency (allows exactly the limit). */
  exactRateLimit?: boolean;
  userAdmin: UserAdminStore;
  audit: AuditLog;
  dispose(): Promise<void>;
}

const T = Date.UTC(2027, 4, 3, 10, 0, 0);
const MIN = 60_000;

export function describeAdminStoresContract(name: string, factory: () => Promise<AdminStoresHandle>): void {
  describe(`administration stores contract: ${name}`, () => {
    let h: AdminStoresHandle;
    beforeEach(async () => {
      h = await factory();
    });
    afterEach(async () => h.dispose());

    describe('RateLimiter', () => {
      test('counts hits per key and window; refuses past the limit; a new window starts again', async () => {
        const p = { limit: 3, windowMs: MIN };
        const at = T + 15_000;
        const seen = [];
        for (let i = 0; i < 5; i++) seen.push(await h.rateLimiter.hit('user:a', { ...p, now: at + i }));
        expect(seen.map((d) => d.allowed)).toEqual([true, true, true, false, false]);
        expect(seen.map((d) => d.remaining)).toEqual([2, 1, 0, 0, 0]);
        expect(seen[0]).toMatchObject({ limit: 3, resetSeconds: 45 });
        // Another key has its own counter.
        expect(await h.rateLimiter.hit('user:b', { ...p, now: at })).toMatchObject({ allowed: true, remaining: 2 });
        // The next window starts from zero.
        expect(await h.rateLimiter.hit('user:a', { ...p, now: T + MIN })).toMatchObject({
          allowed: true,
          remaining: 2,
          resetSeconds: 60,
        });
      });

      test('concurrent hits never allow more than the limit', async () => {
        const p = { limit: 7, windowMs: MIN, now: T + 1000 };
        // A hit alone under the limit is always allowed. A concurrent burst past the limit may be refused
        // whole by a backend that counts without ordering the hits (Firestore's sharded counters: every
        // increment can land before any sum is read), which the port allows ("may refuse a request it could
        // have allowed"); what no backend may do is allow more than the limit.
        expect((await h.rateLimiter.hit('key:k', p)).allowed).toBe(true);
        const all = await Promise.all(Array.from({ length: 20 }, () => h.rateLimiter.hit('key:k', p)));
        const allowed = all.filter((d) => d.allowed).length;
        expect(allowed).toBeLessThanOrEqual(6);
        // A backend that counts exactly (SQLite) allows the six left after the first hit.
        if (h.exactRateLimit) expect(allowed).toBe(6);
        const next = await h.rateLimiter.hit('key:k', p);
        expect(next).toMatchObject({ allowed: false, remaining: 0 });
      });

      test('keys that are not plain document ids are counted apart', async () => {
        const p = { limit: 1, windowMs: MIN, now: T };
        expect((await h.rateLimiter.hit('user:tenant/a', p)).allowed).toBe(true);
        expect((await h.rateLimiter.hit('user:tenant/b', p)).allowed).toBe(true);
        expect((await h.rateLimiter.hit('user:tenant/a', p)).allowed).toBe(false);
      });
    });

    describe('UserAdminStore', () => {
      async function users(...specs: Array<[string, string?]>): Promise<void> {
        for (const [id, email] of specs) await h.accounts.ensureUser({ id, ...(email ? { email } : {}), now: T });
      }

      test('a new user is active, not an admin, on the free plan; unknown users are undefined/false', async () => {
        await users(['alice', 'alice@example.com']);
        expect(await h.accounts.getUser('alice')).toEqual({ id: 'alice', email: 'alice@example.com', createdAt: T });
        expect(await h.userAdmin.getUserView('alice')).toEqual({
          id: 'alice',
          email: 'alice@example.com',
          createdAt: T,
          status: 'active',
          admin: false,
        });
        expect(await h.userAdmin.getUserView('nobody')).toBeUndefined();
        expect(await h.userAdmin.setStatus('nobody', 'suspended', T)).toBe(false);
        expect(await h.userAdmin.setAdmin('nobody', true)).toBe(false);
        expect(await h.userAdmin.setPlan('nobody', 'pro')).toBe(false);
        expect(await h.accounts.getUser('nobody')).toBeUndefined();
      });

      test('suspend, reactivate, admin flag and plan land in the user record that authentication reads', async () => {
        await users(['alice']);
        expect(await h.userAdmin.setStatus('alice', 'suspended', T + 5)).toBe(true);
        expect(await h.accounts.getUser('alice')).toEqual({
          id: 'alice',
          createdAt: T,
          status: 'suspended',
          suspendedAt: T + 5,
        });
        expect(await h.userAdmin.getUserView('alice')).toMatchObject({ status: 'suspended', suspendedAt: T + 5 });
        expect(await h.userAdmin.setStatus('alice', 'active', T + 6)).toBe(true);
        const back = await h.userAdmin.getUserView('alice');
        expect(back).toMatchObject({ status: 'active' });
        expect(back?.suspendedAt).toBeUndefined();
        expect(await h.userAdmin.setAdmin('alice', true)).toBe(true);
        expect(await h.userAdmin.setPlan('alice', 'pro')).toBe(true);
        // The account store sees what an admin set (the plan: the same field billing webhooks write).
        expect(await h.accounts.getUser('alice')).toEqual({
          id: 'alice',
          createdAt: T,
          status: 'active',
          admin: true,
          plan: 'pro',
        });
        expect(await h.userAdmin.setAdmin('alice', false)).toBe(true);
        expect((await h.accounts.getUser('alice'))?.admin).toBeUndefined();
      });

      test('one record: a status written through the AccountStore is what the admin view shows, and back', async () => {
        await users(['bob']);
        await h.accounts.updateUser('bob', { status: 'suspended', suspendedAt: T + 7, displayName: 'Bob' });
        expect(await h.userAdmin.getUserView('bob')).toMatchObject({
          status: 'suspended',
          suspendedAt: T + 7,
          admin: false,
          displayName: 'Bob',
        });
        await h.accounts.updateUser('bob', { status: 'active' });
        const back = await h.userAdmin.getUserView('bob');
        expect(back).toMatchObject({ status: 'active' });
        expect(back?.suspendedAt).toBeUndefined();
        await h.userAdmin.setStatus('bob', 'suspended', T + 8);
        expect((await h.accounts.getUser('bob'))?.status).toBe('suspended');
        // Deleting the account deletes its status and admin flag with it (nothing left beside it).
        await h.userAdmin.setAdmin('bob', true);
        expect(await h.accounts.deleteUser('bob')).toBe(true);
        expect(await h.userAdmin.getUserView('bob')).toBeUndefined();
        await users(['bob']);
        expect(await h.userAdmin.getUserView('bob')).toMatchObject({ status: 'active', admin: false });
      });

      test('a billing webhook keeps the admin flag and status; the admin-set plan is replaced by the subscription', async () => {
        await users(['alice']);
        await h.userAdmin.setAdmin('alice', true);
        await h.userAdmin.setStatus('alice', 'suspended', T);
        await h.accounts.applyBillingEvent({
          eventId: 'evt_1',
          type: 'customer.subscription.updated',
          createdAt: T,
          customerId: 'cus_1',
          userId: 'alice',
          subscription: { plan: 'business', active: true },
          now: T,
        });
        expect(await h.accounts.getUser('alice')).toMatchObject({ status: 'suspended', admin: true, plan: 'business' });
        expect(await h.userAdmin.getUserView('alice')).toMatchObject({
          status: 'suspended',
          suspendedAt: T,
          admin: true,
          plan: 'business',
        });
      });

      test('a failed payment starts one grace period (kept by a later deletion); an active subscription ends it', async () => {
        await users(['alice']);
        const ev = (id: string, at: number, extra: object) =>
          h.accounts.applyBillingEvent({
            eventId: id,
            type: 't',
            createdAt: at,
            customerId: 'cus_g',
            userId: 'alice',
            now: at,
            ...extra,
          });
        await ev('e1', T, { subscription: { plan: 'pro', active: true } });
        expect(await ev('e2', T + 10, { paymentFailed: true, graceUntil: T + 1000 })).toBe('applied');
        expect(await h.accounts.getUser('alice')).toMatchObject({
          plan: 'pro',
          billingActive: false,
          graceUntil: T + 1000,
        });
        // A second failure does not extend the grace.
        await ev('e3', T + 20, { paymentFailed: true, graceUntil: T + 2000 });
        expect(await h.userAdmin.getUserView('alice')).toMatchObject({ plan: 'pro', graceUntil: T + 1000 });
        // Deleted inside the grace: the plan stays until the grace ends.
        await ev('e4', T + 30, { subscription: { active: false }, graceUntil: T + 3000 });
        expect(await h.accounts.getUser('alice')).toMatchObject({
          plan: 'pro',
          billingActive: false,
          graceUntil: T + 1000,
        });
        // A new active subscription ends the grace.
        await ev('e5', T + 40, { subscription: { plan: 'business', active: true } });
        const back = await h.accounts.getUser('alice');
        expect(back).toMatchObject({ plan: 'business', billingActive: true });
        expect(back?.graceUntil).toBeUndefined();
        // Deleted with no grace running: free at once.
        await ev('e6', T + 50, { subscription: { active: false }, graceUntil: T + 5000 });
        const gone = await h.accounts.getUser('alice');
        expect(gone?.plan).toBeUndefined();
        expect(gone?.graceUntil).toBeUndefined();
      });

      test('search by id prefix, by email prefix, everyone; paged with cursors', async () => {
        await users(
          ['u-carol', 'carol@example.com'],
          ['u-alice', 'alice@example.com'],
          ['u-bob', 'bob@example.org'],
          ['v-dave', 'alex@example.net'],
          ['u-erin'],
        );
        const all = await h.userAdmin.searchUsers({ limit: 10 });
        expect(all.users.map((u) => u.id)).toEqual(['u-alice', 'u-bob', 'u-carol', 'u-erin', 'v-dave']);
        expect(all.nextCursor).toBeUndefined();
        const p1 = await h.userAdmin.searchUsers({ idPrefix: 'u-', limit: 2 });
        expect(p1.users.map((u) => u.id)).toEqual(['u-alice', 'u-bob']);
        const p2 = await h.userAdmin.searchUsers({ idPrefix: 'u-', limit: 2, cursor: p1.nextCursor! });
        expect(p2.users.map((u) => u.id)).toEqual(['u-carol', 'u-erin']);
        expect(p2.nextCursor).toBeUndefined();
        const al = await h.userAdmin.searchUsers({ emailPrefix: 'al', limit: 1 });
        expect(al.users.map((u) => u.email)).toEqual(['alex@example.net']);
        const al2 = await h.userAdmin.searchUsers({ emailPrefix: 'al', limit: 1, cursor: al.nextCursor! });
        expect(al2.users.map((u) => u.email)).toEqual(['alice@example.com']);
        expect(al2.nextCursor).toBeUndefined();
        expect((await h.userAdmin.searchUsers({ emailPrefix: 'zz', limit: 5 })).users).toEqual([]);
        await expect(h.userAdmin.searchUsers({ limit: 5, cursor: 'not a cursor' })).rejects.toBeInstanceOf(
          InvalidCursorError,
        );
      });
    });

    describe('AuditLog', () => {
      const entry = (i: number, target: string): AuditEntry => ({
        id: `${String(T + i).padStart(13, '0')}_${String(i).padStart(4, '0')}`,
        at: T + i,
        actor: 'root',
        action: 'user.suspend',
        target,
        requestId: `req${i}`,
        ...(i % 2 ? { details: { plan: 'pro', keys: i, on: true } } : {}),
      });

      test('newest first, paged, filtered by target; details round-trip', async () => {
        for (let i = 1; i <= 5; i++) await h.audit.append(entry(i, i <= 3 ? 'alice' : 'bob'));
        const p1 = await h.audit.list({ limit: 2 });
        expect(p1.entries).toEqual([entry(5, 'bob'), entry(4, 'bob')]);
        const p2 = await h.audit.list({ limit: 2, cursor: p1.nextCursor! });
        expect(p2.entries.map((e) => e.requestId)).toEqual(['req3', 'req2']);
        const p3 = await h.audit.list({ limit: 2, cursor: p2.nextCursor! });
        expect(p3.entries.map((e) => e.requestId)).toEqual(['req1']);
        expect(p3.nextCursor).toBeUndefined();
        const alice = await h.audit.list({ limit: 10, target: 'alice' });
        expect(alice.entries.map((e) => e.requestId)).toEqual(['req3', 'req2', 'req1']);
        expect(alice.entries[0].details).toEqual({ plan: 'pro', keys: 3, on: true });
      });

      test('an entry id is never written twice', async () => {
        await h.audit.append(entry(1, 'alice'));
        await expect(h.audit.append({ ...entry(1, 'alice'), action: 'other' })).rejects.toThrow();
        expect((await h.audit.list({ limit: 10 })).entries).toEqual([entry(1, 'alice')]);
      });
    });
  });
}
