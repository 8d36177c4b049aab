/**
 * The operator routes `/v1/admin/*` (`functions/routes/admin.ts`): request schemas (parsed by the handlers),
 * response schemas and specs. Every route needs an administrator (403 `forbidden` otherwise); a backend
 * without the admin stores answers 501. User times here are epoch milliseconds, as stored.
 */
import { z } from 'zod';
import type { RouteSpec } from '../route-spec.ts';
import type { AdminUserView, AuditEntry } from '../../ports.ts';
import type { AdminUsageView } from '../../accounts/admin.ts';
import type { HealthReport } from '../../health.ts';
import { agree, ApiKeySchema, type Same } from './common.ts';

const Page = {
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(500).optional().describe("the previous page's `nextCursor`"),
};
export const UsersQuery = z
  .object({
    id: z.string().min(1).max(200).optional().describe('user id prefix'),
    email: z.string().min(1).max(320).optional().describe('email prefix (case-insensitive)'),
    ...Page,
  })
  .refine((q) => !(q.id && q.email), 'search by id or by email, not both');
export const AdminUsageQuery = z.object({
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'month must be YYYY-MM')
    .optional()
    .describe('YYYY-MM (UTC); default: this month'),
});
export const AuditQuery = z.object({ target: z.string().min(1).max(200).optional(), ...Page });
export const PlanBody = z.object({ plan: z.string().trim().min(1).max(40) }).strict();
export const AdminBody = z.object({ admin: z.boolean() }).strict();

const epochMs = () => z.number().int().describe('epoch milliseconds');
export const AdminUserSchema = z.object({
  id: z.string(),
  email: z.string().optional(),
  displayName: z.string().optional(),
  createdAt: epochMs(),
  lastSeenAt: epochMs().optional(),
  status: z.enum(['active', 'suspended']),
  suspendedAt: epochMs().optional(),
  admin: z.boolean(),
  stripeCustomerId: z.string().optional(),
  plan: z.string().optional().describe('absent: free'),
  billingActive: z.boolean().optional(),
  graceUntil: epochMs().optional(),
});
export const UsageRecordSchema = z.object({
  owner: z.string(),
  month: z.string(),
  jobs: z.number().int(),
  pages: z.number().int(),
  aiCalls: z
    .number()
    .int()
    .describe("AI calls (analyses) counted against the plan's aiCallsPerMonth this month; a failed one is given back"),
});
export const AuditEntrySchema = z.object({
  id: z.string(),
  at: epochMs(),
  actor: z.string(),
  action: z.string().describe('e.g. `user.suspend`, `user.plan.set`'),
  target: z.string(),
  requestId: z.string(),
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});
agree<Same<z.output<typeof AdminUserSchema>, AdminUserView>>();
agree<Same<z.output<typeof UsageRecordSchema>, AdminUsageView>>();
agree<Same<z.output<typeof AuditEntrySchema>, AuditEntry>>();

const ComponentHealthSchema = z.object({
  status: z.enum(['ok', 'failed', 'off', 'unchecked']),
  latencyMs: z.number().optional().describe('how long the probe took, ms'),
  detail: z.string().optional().describe('what was checked, or why it failed'),
});
export const HealthDetailsResponse = z.object({
  status: z.enum(['ok', 'degraded']).describe('`degraded` when any component failed'),
  checkedAt: z.string().describe('ISO 8601'),
  components: z.object({
    store: ComponentHealthSchema,
    uploads: ComponentHealthSchema,
    results: ComponentHealthSchema,
    queue: ComponentHealthSchema,
    scanner: ComponentHealthSchema,
    ocr: ComponentHealthSchema,
  }),
});
agree<Same<z.output<typeof HealthDetailsResponse>, HealthReport>>();

export const UserPageResponse = z.object({ users: z.array(AdminUserSchema), nextCursor: z.string().optional() });
export const UserDetailResponse = z.object({ user: AdminUserSchema, keys: z.array(ApiKeySchema) });
export const UserUsageResponse = z.object({ usage: UsageRecordSchema });
export const AdminUserResponse = z.object({ user: AdminUserSchema });
export const RevokedKeysResponse = z.object({ revoked: z.number().int().describe('keys revoked') });
export const RevokedSessionsResponse = z.object({ revoked: z.literal(true) });
export const AuditPageResponse = z.object({ entries: z.array(AuditEntrySchema), nextCursor: z.string().optional() });

const USER = { 404: ['not_found'] } as const;
const SELF = { 409: ['cannot_target_self'] } as const;
const user = (operationId: string, method: 'GET' | 'POST' | 'PUT', path: string, summary: string) =>
  ({ operationId, method, path: `/v1/admin/users/{id}${path}`, tag: 'admin', summary, auth: 'admin' }) as const;
const changed = { 200: { description: 'the user now', schema: AdminUserResponse } } as const;

export const adminRoutes = {
  getHealthDetails: {
    operationId: 'getHealthDetails',
    method: 'GET',
    path: '/v1/admin/health',
    tag: 'admin',
    summary: 'Each dependency (store, buckets, queue, scanner, OCR) probed, with its status and latency',
    auth: 'admin',
    responses: {
      200: { description: 'the report (`degraded` when a component failed)', schema: HealthDetailsResponse },
    },
  },
  searchUsers: {
    operationId: 'searchUsers',
    method: 'GET',
    path: '/v1/admin/users',
    tag: 'admin',
    summary: 'Users by id prefix or email prefix, paged by id',
    auth: 'admin',
    query: UsersQuery,
    responses: { 200: { description: 'one page', schema: UserPageResponse } },
    errors: { 400: ['invalid_cursor'] },
  },
  getUser: {
    ...user('getUser', 'GET', '', 'The user (status, plan, admin, billing) and their keys'),
    responses: { 200: { description: 'the user', schema: UserDetailResponse } },
    errors: USER,
  },
  getUserUsage: {
    ...user('getUserUsage', 'GET', '/usage', "The user's counters for a month"),
    query: AdminUsageQuery,
    responses: { 200: { description: 'the counters', schema: UserUsageResponse } },
    errors: USER,
  },
  setUserPlan: {
    ...user('setUserPlan', 'PUT', '/plan', 'Change the plan (validated against the plans table)'),
    body: PlanBody,
    responses: changed,
    errors: { ...USER, 400: ['unknown_plan'] },
  },
  suspendUser: {
    ...user('suspendUser', 'POST', '/suspend', 'Refuse every key and token of the user from the next request'),
    responses: changed,
    errors: { ...USER, ...SELF },
  },
  reactivateUser: {
    ...user('reactivateUser', 'POST', '/reactivate', 'Undo a suspension'),
    responses: changed,
    errors: USER,
  },
  revokeUserKeys: {
    ...user('revokeUserKeys', 'POST', '/revoke-keys', "Revoke all the user's API keys"),
    responses: { 200: { description: 'how many were revoked', schema: RevokedKeysResponse } },
    errors: USER,
  },
  revokeUserSessions: {
    ...user('revokeUserSessions', 'POST', '/revoke-sessions', "Revoke the user's Firebase refresh tokens"),
    responses: { 200: { description: 'revoked', schema: RevokedSessionsResponse } },
    errors: USER,
  },
  setUserAdmin: {
    ...user('setUserAdmin', 'PUT', '/admin', 'Grant or remove administration'),
    body: AdminBody,
    responses: changed,
    errors: { ...USER, ...SELF },
  },
  readAudit: {
    operationId: 'readAudit',
    method: 'GET',
    path: '/v1/admin/audit',
    tag: 'admin',
    summary: 'The audit log, newest first',
    auth: 'admin',
    query: AuditQuery,
    responses: { 200: { description: 'one page', schema: AuditPageResponse } },
    errors: { 400: ['invalid_cursor'] },
  },
} as const satisfies Record<string, RouteSpec>;
