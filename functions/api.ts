/**
 * HTTP function `api`: the public API. Thin: authenticate, parse with zod, call a use case, map typed
 * errors onto the error envelope. Another user's job answers exactly like a missing one (404).
 */
import { z } from 'zod';
import { AuthError } from '../shared/service/ports.ts';
import { authenticate, type Principal } from '../shared/service/auth/authenticate.ts';
import { toApiKeyView } from '../shared/service/auth/api-keys.ts';
import { createApiKey, listApiKeys, revokeApiKey } from '../shared/service/accounts/api-keys.ts';
import { ApiKeyNotFoundError } from '../shared/service/accounts/errors.ts';
import { ApiError, badRequest, conflict, notFound, unauthenticated } from '../shared/service/http/errors.ts';
import { parseJsonBody, parseWith } from '../shared/service/http/body.ts';
import { json, type HttpHandler, type HttpRequest, type HttpResponse } from '../shared/service/http/types.ts';
import type { PipelineDeps } from '../shared/service/jobs/deps.ts';
import { createJob } from '../shared/service/jobs/create-job.ts';
import { deleteOwnedJob, getOwnedJob, getResult, listOwnedJobs } from '../shared/service/jobs/queries.ts';
import {
  InvalidCursorError,
  InvalidJobRequestError,
  JobNotFoundError,
  ResultNotReadyError,
} from '../shared/service/jobs/errors.ts';
import { toJobView } from '../shared/service/jobs/view.ts';
import type { RouteDef } from './routes/types.ts';
import { createRateLimitGate } from './routes/rate-limits.ts';
import { accountRoutes, pricedJobView } from './routes/account.ts';
import { billingRoutes } from './routes/billing.ts';
import { adminRoutes } from './routes/admin.ts';

const CreateJobBody = z
  .object({
    filename: z
      .string()
      .trim()
      .min(1)
      .max(255)
      .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'must not contain control characters'),
    contentType: z.string().trim().min(3).max(200),
    size: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
    /** Stop in `awaiting_confirmation` once the upload is counted (`POST /v1/jobs/{id}/confirm` converts). */
    confirm: z.boolean().optional(),
    /** Spending cap in billable units. */
    maxUnits: z.number().int().min(1).max(100_000_000).optional(),
    /** Conversion options (`JobConvertOptions` in shared/service/ports.ts). */
    options: z
      .object({
        charset: z
          .string()
          .regex(/^[A-Za-z0-9_.:-]{1,40}$/)
          .optional(),
        comments: z.boolean().optional(),
        trackedChanges: z.enum(['accept', 'show']).optional(),
        ocrLanguages: z
          .array(z.string().regex(/^[a-z]{3}(?:_[a-z]{3,4})?$/))
          .min(1)
          .max(8)
          .optional(),
        pageSeparators: z.boolean().optional(),
        pages: z
          .object({ first: z.number().int().min(1), last: z.number().int().min(1) })
          .strict()
          .refine((p) => p.last >= p.first, 'last must not be before first')
          .optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(500).optional(),
});

const ResultQuery = z.object({ format: z.enum(['md', 'markdown', 'json']).default('md') });

const CreateKeyBody = z.object({ name: z.string().trim().min(1).max(100).optional() }).strict();

export function createApiHandler(deps: PipelineDeps): HttpHandler {
  const rateLimit = createRateLimitGate(deps);
  const routes: RouteDef[] = [
    ...accountRoutes(deps),
    { method: 'POST', pattern: /^\/v1\/jobs$/, run: (req, who) => postJob(deps, req, who) },
    { method: 'GET', pattern: /^\/v1\/jobs$/, run: (req, who) => listJobs(deps, req, who) },
    {
      method: 'GET',
      pattern: /^\/v1\/jobs\/([^/]+)$/,
      run: async (_r, who, [id]) => json(200, { job: await pricedJobView(deps, await getOwnedJob(deps, who.uid, id)) }),
    },
    { method: 'GET', pattern: /^\/v1\/jobs\/([^/]+)\/result$/, run: (req, who, [id]) => jobResult(deps, req, who, id) },
    {
      method: 'DELETE',
      pattern: /^\/v1\/jobs\/([^/]+)$/,
      run: async (req, who, [id]) => {
        await deleteOwnedJob(deps, who.uid, id, req.requestId);
        return { status: 204 };
      },
    },
    { method: 'POST', pattern: /^\/v1\/keys$/, run: (req, who) => postKey(deps, req, who) },
    {
      method: 'GET',
      pattern: /^\/v1\/keys$/,
      run: async (_r, who) => json(200, { keys: (await listApiKeys(deps, who.uid)).map(toApiKeyView) }),
    },
    {
      method: 'DELETE',
      pattern: /^\/v1\/keys\/([^/]+)$/,
      run: async (req, who, [id]) => {
        await revokeApiKey(deps, { owner: who.uid, id, requestId: req.requestId });
        return { status: 204 };
      },
    },
    ...billingRoutes(deps),
    ...adminRoutes(deps),
  ];

  return async (req) => {
    if (req.path === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) return json(200, { status: 'ok' });
    const matching = routes.filter((r) => r.pattern.test(req.path));
    if (matching.length === 0) throw notFound('route');
    const route = matching.find((r) => r.method === req.method);
    if (!route)
      throw new ApiError(405, 'method_not_allowed', `${req.method} is not allowed here`, {
        Allow: matching.map((r) => r.method).join(', '),
      });
    const who = await authenticateOr401(deps, req);
    const limitHeaders = await rateLimit(who);
    const params = (route.pattern.exec(req.path) ?? []).slice(1).map(decodeParam);
    try {
      const res = await route.run(req, who, params);
      return { ...res, headers: { ...limitHeaders, ...res.headers } };
    } catch (error) {
      const mapped = toApiError(error);
      // The limit headers go on errors too (a 429 already has its own).
      if (mapped instanceof ApiError) for (const [k, v] of Object.entries(limitHeaders)) mapped.headers[k] ??= v;
      throw mapped;
    }
  };
}

function decodeParam(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw notFound();
  }
}

async function authenticateOr401(deps: PipelineDeps, req: HttpRequest): Promise<Principal> {
  try {
    return await authenticate(req.headers, deps);
  } catch (error) {
    if (error instanceof AuthError)
      throw error.code === 'account_suspended'
        ? new ApiError(403, error.code, error.message)
        : unauthenticated(error.message, error.code);
    throw error;
  }
}

function toApiError(error: unknown): unknown {
  if (error instanceof JobNotFoundError) return notFound('job');
  if (error instanceof ApiKeyNotFoundError) return notFound('key');
  if (error instanceof InvalidJobRequestError) {
    const status =
      {
        too_large: 413,
        unsupported_media_type: 415,
        quota_exceeded: 402,
        too_many_jobs: 429,
        invalid_request: 400,
      }[error.code] ?? 400;
    return new ApiError(status, error.code, error.message);
  }
  if (error instanceof ResultNotReadyError)
    return conflict(error.status === 'failed' ? 'job_failed' : 'result_not_ready', error.message);
  if (error instanceof InvalidCursorError) return badRequest('invalid_cursor', error.message);
  return error;
}

async function postJob(deps: PipelineDeps, req: HttpRequest, who: Principal): Promise<HttpResponse> {
  const body = parseJsonBody(req, CreateJobBody);
  const { job, upload } = await createJob(deps, { owner: who.uid, ...body, requestId: req.requestId });
  return json(201, { job: toJobView(job), upload }, { Location: `/v1/jobs/${job.id}` });
}

async function listJobs(deps: PipelineDeps, req: HttpRequest, who: Principal): Promise<HttpResponse> {
  const q = parseWith(ListQuery, Object.fromEntries(req.query), 'invalid_query');
  const page = await listOwnedJobs(deps, who.uid, { limit: q.limit, ...(q.cursor ? { cursor: q.cursor } : {}) });
  return json(200, { jobs: page.jobs.map(toJobView), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) });
}

async function jobResult(deps: PipelineDeps, req: HttpRequest, who: Principal, id: string): Promise<HttpResponse> {
  const q = parseWith(ResultQuery, Object.fromEntries(req.query), 'invalid_query');
  const signed = await getResult(deps, who.uid, id, q.format === 'json' ? 'json' : 'md');
  return json(302, { url: signed.url, expiresAt: signed.expiresAt }, { Location: signed.url });
}

async function postKey(deps: PipelineDeps, req: HttpRequest, who: Principal): Promise<HttpResponse> {
  const body = parseJsonBody(req, CreateKeyBody);
  const issued = await createApiKey(deps, {
    owner: who.uid,
    ...(body.name ? { name: body.name } : {}),
    requestId: req.requestId,
  });
  return json(201, { key: toApiKeyView(issued.record), secret: issued.key });
}
