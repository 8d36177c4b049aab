/**
 * The caller's own account: `GET /v1/me` (profile, plan and its limits, this month's quota state and AI calls),
 * `PATCH /v1/me` (display name), `DELETE /v1/me` (the user's jobs with their files, keys and record).
 */
import type { PipelineDeps } from '../jobs/deps.ts';
import { purgeJob } from '../jobs/queries.ts';
import { monthOf } from '../jobs/charges.ts';
import type { QuotaState, UserRecord } from '../ports.ts';
import { planOf, type Plan } from './plans.ts';
import { effectivePlanId } from './billing-state.ts';
import { logs } from '../logs.ts';

export interface QuotaView {
  month: string;
  /** The plan's monthly units. */
  limit: number;
  used: number;
  reserved: number;
  /** `limit - used - reserved`, never below 0. */
  remaining: number;
}

export interface AiQuotaView {
  month: string;
  /** The plan's `aiCallsPerMonth`. */
  limit: number;
  /** Calls counted: analyses succeeded or still running this month (failed ones are given back). */
  used: number;
  /** `limit - used`, never below 0. */
  remaining: number;
}

export interface MeView {
  id: string;
  email?: string;
  displayName?: string;
  status: 'active' | 'suspended';
  createdAt: string;
  lastSeenAt?: string;
  plan: { id: string } & Plan;
  quota: QuotaView;
  /** This month's AI calls (analyses) against the plan's `aiCallsPerMonth`. */
  ai: AiQuotaView;
  /** `graceUntil`: a failed payment's grace period ends then (the paid plan is kept until it). */
  billing: { customer: boolean; active?: boolean; graceUntil?: string };
}

/**
 * The plan in force for a user now: `effectivePlanId` (a lapsed payment keeps its plan until the grace period
 * ends, then `free`), and `free` for a user without a record or a plan id the table no longer has. Every
 * per-user limit (quota reservation, file size, concurrent jobs, prices) goes through here.
 */
export function userPlan(
  deps: Pick<PipelineDeps, 'config' | 'now'>,
  user: UserRecord | undefined,
): { id: string; plan: Plan } {
  return planOf(deps.config.plans, user ? effectivePlanId(user, deps.now()) : undefined);
}

export function quotaView(q: QuotaState, limit: number): QuotaView {
  return {
    month: q.month,
    limit,
    used: q.used,
    reserved: q.reserved,
    remaining: Math.max(0, limit - q.used - q.reserved),
  };
}

/** The caller's profile; the record is created when missing (an API key minted for an owner never seen). */
export async function getMe(deps: PipelineDeps, uid: string): Promise<MeView> {
  const user = (await deps.accounts.getUser(uid)) ?? (await deps.accounts.ensureUser({ id: uid, now: deps.now() }));
  const { id: planId, plan } = userPlan(deps, user);
  const month = monthOf(deps.now());
  const [quota, ai] = await Promise.all([deps.accounts.getQuota(uid, month), deps.jobs.getAiQuota(uid, month)]);
  const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
  return {
    id: user.id,
    ...(user.email ? { email: user.email } : {}),
    ...(user.displayName ? { displayName: user.displayName } : {}),
    status: user.status ?? 'active',
    createdAt: iso(user.createdAt)!,
    ...(user.lastSeenAt !== undefined ? { lastSeenAt: iso(user.lastSeenAt)! } : {}),
    plan: { id: planId, ...plan },
    quota: quotaView(quota, plan.monthlyUnits),
    ai: { month, limit: plan.aiCallsPerMonth, used: ai.calls, remaining: Math.max(0, plan.aiCallsPerMonth - ai.calls) },
    billing: {
      customer: user.stripeCustomerId !== undefined,
      ...(user.billingActive !== undefined ? { active: user.billingActive } : {}),
      ...(user.graceUntil !== undefined ? { graceUntil: iso(user.graceUntil)! } : {}),
    },
  };
}

export async function updateMe(deps: PipelineDeps, uid: string, patch: { displayName?: string }): Promise<MeView> {
  await deps.accounts.ensureUser({ id: uid, now: deps.now() });
  if (patch.displayName !== undefined) await deps.accounts.updateUser(uid, { displayName: patch.displayName });
  return getMe(deps, uid);
}

/**
 * Deletes everything of the user's that the service holds for them: every job (input, results, record;
 * a reservation still held is released), every API key, and the user record. Billing keeps its records
 * (Stripe's customer and invoices, the local usage ledger, the quota and usage counters): see
 * `functions/README.md` for what and why. Idempotent: a second call finds nothing left.
 */
export async function deleteMe(deps: PipelineDeps, uid: string, requestId?: string): Promise<{ jobs: number }> {
  let deleted = 0;
  for (;;) {
    const page = await deps.jobs.listJobs(uid, { limit: 100 });
    if (page.jobs.length === 0) break;
    for (const job of page.jobs) {
      await purgeJob(deps, job);
      deleted++;
    }
  }
  await deps.accounts.deleteUser(uid);
  logs.accountDeleted({ requestId, owner: uid, jobs: deleted });
  return { jobs: deleted };
}
