/**
 * The account routes (`functions/routes/account.ts`): the caller's profile, estimates, confirmation of a
 * counted job, usage and its CSV export — request schemas (parsed by the handlers), response schemas, specs.
 */
import { z } from 'zod';
import type { RouteSpec } from '../route-spec.ts';
import type { MeView } from '../../accounts/profile.ts';
import type { Estimate } from '../../accounts/estimate.ts';
import type { UsageRow } from '../../accounts/usage.ts';
import { PlanSchema } from '../../accounts/plans.ts';
import { agree, JobSchema, QuotaSchema, type Same } from './common.ts';
import { JobResponse } from './jobs.ts';
import { CONTROL_CHARS_MESSAGE, noControlChars } from './text-rules.ts';

export const PatchMeBody = z
  .object({
    displayName: z.string().trim().min(1).max(100).refine(noControlChars, CONTROL_CHARS_MESSAGE),
  })
  .strict();

export const EstimateBody = z
  .object({
    contentType: z.string().trim().min(3).max(200),
    size: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
    pages: z.number().int().min(1).max(1_000_000).optional(),
  })
  .strict();

const Day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD')
  // A real calendar day: `Date.parse` rolls 2026-02-30 over to March 2 instead of refusing it.
  .refine(
    (d) => !Number.isNaN(Date.parse(d)) && new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) === d,
    'not a date',
  );

export const UsageQuery = z.object({
  from: Day.optional().describe('first day, YYYY-MM-DD (UTC); default: the first of this month'),
  to: Day.optional().describe('last day, YYYY-MM-DD (UTC); default: today'),
  groupBy: z.enum(['day', 'month', 'format']).default('day'),
});

export const MeSchema = z.object({
  id: z.string(),
  email: z.string().optional(),
  displayName: z.string().optional(),
  status: z.enum(['active', 'suspended']),
  createdAt: z.string(),
  lastSeenAt: z.string().optional(),
  plan: PlanSchema.extend({ id: z.string() }),
  quota: QuotaSchema,
  ai: z
    .object({
      month: z.string().describe('YYYY-MM (UTC)'),
      limit: z.number().int().describe("the plan's aiCallsPerMonth"),
      used: z.number().int().describe('analyses counted this month (a failed one is given back)'),
      remaining: z.number().int(),
    })
    .describe('AI calls: one analysis is one call'),
  billing: z.object({
    customer: z.boolean(),
    active: z.boolean().optional(),
    graceUntil: z.string().optional().describe("a failed payment's grace period ends then"),
  }),
});

const Range = z.object({ min: z.number(), max: z.number() });
export const EstimateSchema = z.object({
  contentType: z.string(),
  size: z.number().int(),
  plan: z.string(),
  units: Range,
  priceCents: Range,
  quota: QuotaSchema,
  fits: z.enum(['yes', 'no', 'maybe']),
});

const UsageCounts = {
  jobs: z.number().int(),
  failures: z.number().int(),
  units: z.number().int(),
  pages: z.number().int(),
  aiCalls: z.number().int(),
};
export const UsageRowSchema = z.object({
  key: z.string().describe('the day (YYYY-MM-DD), month (YYYY-MM) or format the row adds up'),
  ...UsageCounts,
});

export const MeResponse = z.object({ me: MeSchema });
export const EstimateResponse = z.object({ estimate: EstimateSchema });
export const UsageResponse = z.object({
  from: z.string(),
  to: z.string(),
  groupBy: z.enum(['day', 'month', 'format']),
  rows: z.array(UsageRowSchema),
  total: z.object(UsageCounts),
});

agree<Same<z.output<typeof MeSchema>, MeView>>();
agree<Same<z.output<typeof EstimateSchema>, Estimate>>();
agree<Same<z.output<typeof UsageRowSchema>, UsageRow>>();
// `JobSchema` is what confirmation answers with too.
agree<Same<z.output<typeof JobResponse>['job'], z.output<typeof JobSchema>>>();

export const accountRoutes = {
  getMe: {
    operationId: 'getMe',
    method: 'GET',
    path: '/v1/me',
    tag: 'account',
    summary: "The caller's profile, plan with its limits and this month's quota",
    auth: 'user',
    responses: { 200: { description: 'the profile', schema: MeResponse } },
  },
  updateMe: {
    operationId: 'updateMe',
    method: 'PATCH',
    path: '/v1/me',
    tag: 'account',
    summary: 'Change the display name',
    auth: 'user',
    body: PatchMeBody,
    responses: { 200: { description: 'the updated profile', schema: MeResponse } },
  },
  deleteMe: {
    operationId: 'deleteMe',
    method: 'DELETE',
    path: '/v1/me',
    tag: 'account',
    summary: "Delete the caller's jobs with their files, keys and record",
    auth: 'user',
    responses: { 204: { description: 'deleted' } },
  },
  estimate: {
    operationId: 'estimate',
    method: 'POST',
    path: '/v1/estimate',
    tag: 'account',
    summary: 'Billable units and price a document would count, and whether it fits the month',
    auth: 'user',
    body: EstimateBody,
    responses: { 200: { description: 'the estimate', schema: EstimateResponse } },
    errors: { 415: ['unsupported_media_type'] },
  },
  confirmJob: {
    operationId: 'confirmJob',
    method: 'POST',
    path: '/v1/jobs/{id}/confirm',
    tag: 'jobs',
    summary: 'Convert a job held in `awaiting_confirmation`',
    auth: 'user',
    responses: { 200: { description: 'the job, now queued', schema: JobResponse } },
    errors: { 409: ['not_awaiting_confirmation'] },
  },
  getUsage: {
    operationId: 'getUsage',
    method: 'GET',
    path: '/v1/usage',
    tag: 'account',
    summary: "The caller's usage over a range of days (at most 366), grouped",
    auth: 'user',
    query: UsageQuery,
    responses: { 200: { description: 'rows and their total', schema: UsageResponse } },
  },
  exportUsage: {
    operationId: 'exportUsage',
    method: 'GET',
    path: '/v1/usage/export',
    tag: 'account',
    summary: 'The usage as CSV: one record per day and format (RFC 4180, header first)',
    auth: 'user',
    query: UsageQuery,
    responses: {
      200: {
        description: 'columns day, format, jobs, failures, units, pages, ai_calls',
        schema: z.string(),
        contentType: 'text/csv',
        headers: { 'Content-Disposition': 'attachment; filename="mdraft-usage-<from>-<to>.csv"' },
      },
    },
  },
} as const satisfies Record<string, RouteSpec>;
