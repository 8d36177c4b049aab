/**
 * Operator use cases: find users, read one user's state and usage, change plans, suspend and reactivate,
 * revoke keys and sessions, grant and remove administration. Every change is written to the `AuditLog`
 * (actor, action, target, time, request id, details) after it took effect; the reads are not audited.
 * Callers (the `/v1/admin/*` routes) have already checked that the actor is an administrator.
 *
 * An admin cannot suspend themself or remove their own administration (`SelfTargetError`): a deployment
 * must not lose its last operator by a slip. Unknown users are `UserNotFoundError` (404).
 */
import { randomBytes } from 'node:crypto';
import type {
  AccountStore,
  AdminUserPage,
  AdminUserView,
  ApiKeyRecord,
  AuditEntry,
  AuditLog,
  AuditPage,
  IdentityAdmin,
  JobStore,
  UsageRecord,
  UserAdminStore,
} from '../ports.ts';
import type { Plans } from './plans.ts';
import { UnknownPlanError, UserNotFoundError } from './billing-errors.ts';
import { logs } from '../logs.ts';

export interface AdminDeps {
  accounts: Pick<AccountStore, 'getUsage' | 'listApiKeys' | 'revokeApiKey'>;
  /** The AI allowance counters (analyses) live with the job store. */
  jobs: Pick<JobStore, 'getAiQuota'>;
  userAdmin: UserAdminStore;
  audit: AuditLog;
  identityAdmin?: IdentityAdmin;
  config: { plans: Plans };
  now: () => number;
}

/** Who acts, and the request it came in on (both recorded). */
export interface Actor {
  uid: string;
  requestId: string;
}

/** The action would make the admin suspend or demote themself (409 `cannot_target_self`). */
export class SelfTargetError extends Error {
  constructor(action: string) {
    super(`an administrator cannot ${action} themself; ask another administrator`);
    this.name = 'SelfTargetError';
  }
}

/** `<time, 13 digits>_<12 hex>`: unique, and ordering by id orders by time. */
export function auditId(at: number): string {
  return `${String(at).padStart(13, '0')}_${randomBytes(6).toString('hex')}`;
}

async function record(
  deps: AdminDeps,
  actor: Actor,
  action: string,
  target: string,
  details?: AuditEntry['details'],
): Promise<void> {
  const at = deps.now();
  await deps.audit.append({
    id: auditId(at),
    at,
    actor: actor.uid,
    action,
    target,
    requestId: actor.requestId,
    ...(details ? { details } : {}),
  });
  logs.adminAction({ requestId: actor.requestId, actor: actor.uid, action, target, ...(details ? { details } : {}) });
}

async function existing(deps: AdminDeps, uid: string): Promise<AdminUserView> {
  const user = await deps.userAdmin.getUserView(uid);
  if (!user) throw new UserNotFoundError();
  return user;
}

export function searchUsers(
  deps: AdminDeps,
  input: { idPrefix?: string; emailPrefix?: string; limit: number; cursor?: string },
): Promise<AdminUserPage> {
  return deps.userAdmin.searchUsers(input);
}

/** The user and their API keys (records only: the store never had the secrets). */
export async function getUserDetail(
  deps: AdminDeps,
  uid: string,
): Promise<{ user: AdminUserView; keys: ApiKeyRecord[] }> {
  const user = await existing(deps, uid);
  return { user, keys: await deps.accounts.listApiKeys(uid) };
}

/**
 * One user's month as an operator sees it: the conversions' counters and the AI calls counted against the
 * plan's `aiCallsPerMonth` (the same count `GET /v1/me` reports as `ai.used`: an analysis counts when it is
 * accepted and is given back if it fails).
 */
export interface AdminUsageView extends UsageRecord {
  aiCalls: number;
}

/** The user's counters for `month` (`YYYY-MM`, UTC). @throws UserNotFoundError for an unknown user. */
export async function getUserUsage(deps: AdminDeps, uid: string, month: string): Promise<AdminUsageView> {
  await existing(deps, uid);
  const [usage, ai] = await Promise.all([deps.accounts.getUsage(uid, month), deps.jobs.getAiQuota(uid, month)]);
  return { ...usage, aiCalls: ai.calls };
}

/** Sets the plan (must be in the plans table: `UnknownPlanError`). A later subscription webhook replaces it. */
export async function changePlan(deps: AdminDeps, actor: Actor, uid: string, plan: string): Promise<AdminUserView> {
  if (!Object.hasOwn(deps.config.plans, plan)) throw new UnknownPlanError(plan);
  const before = await existing(deps, uid);
  if (!(await deps.userAdmin.setPlan(uid, plan))) throw new UserNotFoundError();
  await record(deps, actor, 'user.plan.set', uid, { plan, previous: before.plan ?? 'free' });
  return existing(deps, uid);
}

/** Suspends (every key and token refused from the next request on) or reactivates the user. */
export async function setUserStatus(
  deps: AdminDeps,
  actor: Actor,
  uid: string,
  status: 'active' | 'suspended',
): Promise<AdminUserView> {
  if (status === 'suspended' && uid === actor.uid) throw new SelfTargetError('suspend');
  await existing(deps, uid);
  if (!(await deps.userAdmin.setStatus(uid, status, deps.now()))) throw new UserNotFoundError();
  await record(deps, actor, status === 'suspended' ? 'user.suspend' : 'user.reactivate', uid);
  return existing(deps, uid);
}

/** Revokes every key of the user that is not revoked yet; returns how many. */
export async function revokeUserKeys(deps: AdminDeps, actor: Actor, uid: string): Promise<number> {
  await existing(deps, uid);
  const now = deps.now();
  let revoked = 0;
  for (const key of await deps.accounts.listApiKeys(uid)) {
    if (!key.revokedAt && (await deps.accounts.revokeApiKey(uid, key.id, now))) revoked++;
  }
  await record(deps, actor, 'user.keys.revoke', uid, { revoked });
  return revoked;
}

/** Ends the user's identity-provider sessions (Firebase refresh tokens). */
export async function revokeUserSessions(deps: AdminDeps, actor: Actor, uid: string): Promise<void> {
  await existing(deps, uid);
  await deps.identityAdmin?.revokeRefreshTokens(uid);
  await record(deps, actor, 'user.sessions.revoke', uid);
}

/** Grants or removes administration: the store's flag (API keys) and the `admin` custom claim (ID tokens). */
export async function setUserAdmin(deps: AdminDeps, actor: Actor, uid: string, admin: boolean): Promise<AdminUserView> {
  if (!admin && uid === actor.uid) throw new SelfTargetError('remove administration from');
  await existing(deps, uid);
  if (!(await deps.userAdmin.setAdmin(uid, admin))) throw new UserNotFoundError();
  await deps.identityAdmin?.setAdminClaim(uid, admin);
  await record(deps, actor, admin ? 'user.admin.grant' : 'user.admin.revoke', uid);
  return existing(deps, uid);
}

export function readAudit(
  deps: AdminDeps,
  input: { limit: number; cursor?: string; target?: string },
): Promise<AuditPage> {
  return deps.audit.list(input);
}
