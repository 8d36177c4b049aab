/**
 * Quotas use the plan in force, grace period included (`effectivePlanId` through `userPlan`): a user whose
 * payment failed keeps the paid plan's allowance while the grace runs, and falls back to free once it ends,
 * at creation (`POST /v1/jobs` limits) and at reservation (upload finalized), without any job having to run.
 */
import { DEFAULT_PLANS } from '../../../shared/service/accounts/plans.ts';
import { handleUploadFinalized } from '../../../shared/service/jobs/upload-finalized.ts';
import { createJob } from '../../../shared/service/jobs/create-job.ts';
import { getMe } from '../../../shared/service/accounts/profile.ts';
import { authenticate } from '../../../shared/service/auth/authenticate.ts';
import { issueApiKey } from '../../../shared/service/auth/api-keys.ts';
import { makeHarness, T0, type Harness } from '../jobs/harness.ts';

const DAY = 86_400_000;
const PLANS = JSON.stringify({
  free: { ...DEFAULT_PLANS.free, monthlyUnits: 2, maxFileBytes: 400 * 1024, concurrentJobs: 100 },
  pro: { ...DEFAULT_PLANS.pro, monthlyUnits: 1000, maxFileBytes: 4 * 1024 ** 2, concurrentJobs: 100 },
});

let h: Harness;
beforeEach(async () => {
  h = makeHarness({ MDRAFT_PLANS: PLANS });
  await h.accounts.ensureUser({ id: 'alice', now: T0 });
  // On pro, then a failed payment: a grace period of one day starts.
  await h.accounts.applyBillingEvent({
    eventId: 'evt_sub',
    type: 'customer.subscription.created',
    createdAt: T0,
    customerId: 'cus_a',
    userId: 'alice',
    subscription: { plan: 'pro', active: true },
    now: T0,
  });
  await h.accounts.applyBillingEvent({
    eventId: 'evt_fail',
    type: 'invoice.payment_failed',
    createdAt: T0 + 1,
    customerId: 'cus_a',
    userId: 'alice',
    paymentFailed: true,
    graceUntil: T0 + DAY,
    now: T0 + 1,
  });
});
afterEach(() => h.dispose());

/** A plain-text upload of `kb` KB: one billable unit per started 100 KB. */
async function finalize(kb: number): Promise<{ outcome: string; jobId: string }> {
  const bytes = Buffer.alloc(kb * 1024, 'a');
  const { jobId, name, generation } = await h.uploaded(bytes);
  const outcome = await handleUploadFinalized(h.deps, {
    bucket: h.deps.uploads.bucket,
    name,
    generation,
    size: bytes.length,
    eventTime: h.clock.now,
    eventId: `e-${jobId}`,
  });
  return { outcome, jobId };
}

test('inside the grace period the paid allowance holds; once it ends, creation refuses the spent free quota', async () => {
  h.clock.now = T0 + DAY / 2;
  const inGrace = await finalize(250); // 3 units: over free's 2, inside pro's 1000
  expect(inGrace.outcome).toBe('queued');
  expect(await h.store.getJob(inGrace.jobId)).toMatchObject({ status: 'queued', units: 3, charge: 'reserved' });
  expect((await getMe(h.deps, 'alice')).plan.id).toBe('pro');

  h.clock.now = T0 + DAY; // the grace ends: free from now on, though the stored plan is still pro
  expect((await h.accounts.getUser('alice'))?.plan).toBe('pro');
  const me = await getMe(h.deps, 'alice');
  expect(me.plan.id).toBe('free');
  expect(me.quota).toMatchObject({ limit: 2, reserved: 3, remaining: 0 });
  await expect(
    createJob(h.deps, { owner: 'alice', filename: 'n.txt', contentType: 'text/plain', size: 10 }),
  ).rejects.toMatchObject({ code: 'quota_exceeded' });
});

test('after the grace period the reservation is made against the free allowance', async () => {
  h.clock.now = T0 + DAY;
  // Free allows 400 KB files: a 250 KB one is created, then refused at reservation (3 units > 2).
  const lapsed = await finalize(250);
  expect(lapsed.outcome).toBe('rejected');
  expect(await h.store.getJob(lapsed.jobId)).toMatchObject({ status: 'failed', error: { code: 'quota_exceeded' } });
});

test("creation limits follow the plan in force too: pro's file size in grace, free's after", async () => {
  const input = { owner: 'alice', filename: 'big.txt', contentType: 'text/plain', size: 1024 ** 2 };
  h.clock.now = T0 + DAY - 1;
  await expect(createJob(h.deps, input)).resolves.toMatchObject({ job: { status: 'awaiting_upload' } });
  h.clock.now = T0 + DAY;
  await expect(createJob(h.deps, input)).rejects.toMatchObject({ code: 'too_large' });
});

test('authentication gives the plan in force and reads suspension from the same user record', async () => {
  const { key } = await issueApiKey(h.accounts, { owner: 'alice', now: T0 });
  const deps = { accounts: h.accounts, identity: h.deps.identity, now: () => h.clock.now };
  h.clock.now = T0 + DAY - 1;
  expect(await authenticate({ 'x-api-key': key }, deps)).toMatchObject({ uid: 'alice', plan: 'pro', admin: false });
  h.clock.now = T0 + DAY;
  expect(await authenticate({ 'x-api-key': key }, deps)).toMatchObject({ plan: 'free' });
  await h.accounts.updateUser('alice', { status: 'suspended', suspendedAt: h.clock.now });
  await expect(authenticate({ 'x-api-key': key }, deps)).rejects.toMatchObject({ code: 'account_suspended' });
  expect((await getMe(h.deps, 'alice')).status).toBe('suspended');
});
