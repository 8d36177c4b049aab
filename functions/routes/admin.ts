/**
 * `/v1/admin/*`: operator routes. Only administrators (an ID token with the Firebase custom claim
 * `admin: true`, or an API key whose user has the admin flag) get past `forbidden` (403); an unknown user is
 * 404 `not_found`. Every change is audited (`shared/service/accounts/admin.ts`).
 *
 *   GET  /v1/admin/health                             store, buckets, queue, scanner, OCR: status and latency each
 *   GET  /v1/admin/users?id=&email=&limit=&cursor=   users by id prefix or email prefix, paged by id
 *   GET  /v1/admin/users/{id}                         the user (status, plan, admin, billing) and their keys
 *   GET  /v1/admin/users/{id}/usage?month=YYYY-MM     the user's jobs, pages and AI calls (default: this month, UTC)
 *   PUT  /v1/admin/users/{id}/plan        {plan}      change plan (validated against the plans table)
 *   POST /v1/admin/users/{id}/suspend                 refuse every key and token from the next request
 *   POST /v1/admin/users/{id}/reactivate
 *   POST /v1/admin/users/{id}/revoke-keys             → {revoked}
 *   POST /v1/admin/users/{id}/revoke-sessions         Firebase refresh tokens
 *   PUT  /v1/admin/users/{id}/admin       {admin}     grant or remove administration
 *   GET  /v1/admin/audit?target=&limit=&cursor=       the audit log, newest first
 */
import type { Principal } from '../../shared/service/auth/authenticate.ts';
import { ApiError, badRequest, conflict, notFound } from '../../shared/service/http/errors.ts';
import { parseJsonBody, parseWith } from '../../shared/service/http/body.ts';
import { json, type HttpRequest } from '../../shared/service/http/types.ts';
import type { PipelineDeps } from '../../shared/service/jobs/deps.ts';
import { InvalidCursorError } from '../../shared/service/jobs/errors.ts';
import { toApiKeyView } from '../../shared/service/auth/api-keys.ts';
import {
  changePlan,
  getUserDetail,
  getUserUsage,
  readAudit,
  revokeUserKeys,
  revokeUserSessions,
  searchUsers,
  SelfTargetError,
  setUserAdmin,
  setUserStatus,
  type Actor,
  type AdminDeps,
} from '../../shared/service/accounts/admin.ts';
import { UnknownPlanError, UserNotFoundError } from '../../shared/service/accounts/billing-errors.ts';
import type { RouteDef, RouteHandler } from './types.ts';
import { adminRoutes as specs } from '../../shared/service/http/schemas/admin.ts';
import { checkHealth } from '../../shared/service/health.ts';

export function adminRoutes(deps: PipelineDeps): RouteDef[] {
  const admin = (run: (d: AdminDeps, req: HttpRequest, actor: Actor, params: string[]) => Promise<unknown>) =>
    guarded(deps, run);
  return [
    {
      spec: specs.getHealthDetails,
      run: async (_req, who: Principal) => {
        // Only the admin check: the probes need no admin stores (and must answer when those are broken).
        if (!who.admin) throw new ApiError(403, 'forbidden', 'this route is for administrators');
        return json(200, await checkHealth(deps));
      },
    },
    {
      spec: specs.searchUsers,
      run: admin(async (d, req) => {
        const q = parseWith(specs.searchUsers.query, Object.fromEntries(req.query), 'invalid_query');
        const page = await searchUsers(d, {
          ...(q.id ? { idPrefix: q.id } : {}),
          ...(q.email ? { emailPrefix: q.email.toLowerCase() } : {}),
          limit: q.limit,
          ...(q.cursor ? { cursor: q.cursor } : {}),
        });
        return page;
      }),
    },
    {
      spec: specs.getUser,
      run: admin(async (d, _req, _a, [uid]) => {
        const { user, keys } = await getUserDetail(d, uid);
        return { user, keys: keys.map(toApiKeyView) };
      }),
    },
    {
      spec: specs.getUserUsage,
      run: admin(async (d, req, _a, [uid]) => {
        const q = parseWith(specs.getUserUsage.query, Object.fromEntries(req.query), 'invalid_query');
        const month = q.month ?? new Date(d.now()).toISOString().slice(0, 7);
        return { usage: await getUserUsage(d, uid, month) };
      }),
    },
    {
      spec: specs.setUserPlan,
      run: admin(async (d, req, actor, [uid]) => ({
        user: await changePlan(d, actor, uid, parseJsonBody(req, specs.setUserPlan.body).plan),
      })),
    },
    {
      spec: specs.suspendUser,
      run: admin(async (d, _req, actor, [uid]) => ({ user: await setUserStatus(d, actor, uid, 'suspended') })),
    },
    {
      spec: specs.reactivateUser,
      run: admin(async (d, _req, actor, [uid]) => ({ user: await setUserStatus(d, actor, uid, 'active') })),
    },
    {
      spec: specs.revokeUserKeys,
      run: admin(async (d, _req, actor, [uid]) => ({ revoked: await revokeUserKeys(d, actor, uid) })),
    },
    {
      spec: specs.revokeUserSessions,
      run: admin(async (d, _req, actor, [uid]) => {
        await revokeUserSessions(d, actor, uid);
        return { revoked: true };
      }),
    },
    {
      spec: specs.setUserAdmin,
      run: admin(async (d, req, actor, [uid]) => ({
        user: await setUserAdmin(d, actor, uid, parseJsonBody(req, specs.setUserAdmin.body).admin),
      })),
    },
    {
      spec: specs.readAudit,
      run: admin(async (d, req) => {
        const q = parseWith(specs.readAudit.query, Object.fromEntries(req.query), 'invalid_query');
        return readAudit(d, {
          limit: q.limit,
          ...(q.cursor ? { cursor: q.cursor } : {}),
          ...(q.target ? { target: q.target } : {}),
        });
      }),
    },
  ];
}

/** The admin check first, then the use case; its typed errors become the envelope. */
function guarded(
  deps: PipelineDeps,
  run: (d: AdminDeps, req: HttpRequest, actor: Actor, params: string[]) => Promise<unknown>,
): RouteHandler {
  return async (req, who: Principal, params) => {
    if (!who.admin) throw new ApiError(403, 'forbidden', 'this route is for administrators');
    const { userAdmin, audit } = deps;
    if (!userAdmin || !audit)
      throw new ApiError(501, 'admin_not_configured', 'administration is not available on this backend');
    const d: AdminDeps = {
      accounts: deps.accounts,
      jobs: deps.jobs,
      userAdmin,
      audit,
      ...(deps.identityAdmin ? { identityAdmin: deps.identityAdmin } : {}),
      config: deps.config,
      now: deps.now,
    };
    try {
      return json(200, await run(d, req, { uid: who.uid, requestId: req.requestId }, params));
    } catch (error) {
      if (error instanceof UserNotFoundError) throw notFound('user');
      if (error instanceof UnknownPlanError) throw badRequest('unknown_plan', error.message);
      if (error instanceof SelfTargetError) throw conflict('cannot_target_self', error.message);
      if (error instanceof InvalidCursorError) throw badRequest('invalid_cursor', error.message);
      throw error;
    }
  };
}
