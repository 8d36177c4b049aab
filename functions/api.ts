/**
 * HTTP function `api`: the public API. Thin: authenticate, parse with zod, call a use case, map typed
 * errors onto the error envelope. Another user's job answers exactly like a missing one (404).
 */
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
import { jobChunks } from '../shared/service/analyses/chunks.ts';
import { ChunkingTimeoutError } from '../shared/service/analyses/errors.ts';
import type { RouteDef } from './routes/types.ts';
import { pathPattern } from '../shared/service/http/route-spec.ts';
import { jobRoutes as jobs } from '../shared/service/http/schemas/jobs.ts';
import { metaRoutes as meta } from '../shared/service/http/schemas/meta.ts';
import { openApiDocument, type OpenApiDocument } from '../shared/service/http/openapi.ts';
import { createRateLimitGate } from './routes/rate-limits.ts';
import { combineRateLimitHeaders } from '../shared/service/http/rate-limit-headers.ts';
import { accountRoutes, pricedJobView } from './routes/account.ts';
import { billingRoutes } from './routes/billing.ts';
import { adminRoutes } from './routes/admin.ts';
import { analysisRoutes } from './routes/analyses.ts';
import { createWebHandler, isWebPath, type WebHandlerOptions } from './routes/web.ts';

/** `web`: where the built page is (tests); the page and `/docs` are served before the API's routes. */
export function createApiHandler(deps: PipelineDeps, web: WebHandlerOptions = {}): HttpHandler {
  const rateLimit = createRateLimitGate(deps);
  const page = createWebHandler(deps.config, web);
  const routes: RouteDef[] = apiRoutes(deps);
  const matchers = routes.map((route) => ({ route, pattern: pathPattern(route.spec.path) }));

  return async (req) => {
    if (isWebPath(req.path)) return page(req);
    const matching = matchers.filter((m) => m.pattern.test(req.path));
    if (matching.length === 0) throw notFound('route');
    const found = matching.find((m) => m.route.spec.method === req.method);
    if (!found)
      throw new ApiError(405, 'method_not_allowed', `${req.method} is not allowed here`, {
        Allow: matching.map((m) => m.route.spec.method).join(', '),
      });
    const { route, pattern } = found;
    if (isPublic(route)) return route.run(req);
    const who = await authenticateOr401(deps, req);
    const limitHeaders = await rateLimit(who);
    const params = (pattern.exec(req.path) ?? []).slice(1).map(decodeParam);
    try {
      const res = await route.run(req, who, params);
      // A route with a limit of its own (the analyses bucket) sends its headers too: both are listed.
      const headers = res.headers ?? {};
      return { ...res, headers: { ...headers, ...combineRateLimitHeaders(limitHeaders, headers) } };
    } catch (error) {
      const mapped = toApiError(error);
      // The limit headers go on errors too, beside a route's own (its 429 keeps its Retry-After).
      if (mapped instanceof ApiError)
        Object.assign(mapped.headers, combineRateLimitHeaders(limitHeaders, mapped.headers));
      throw mapped;
    }
  };
}

/**
 * Every route of the API with its handler, in matching order; the specs come from `API_ROUTES`
 * (`shared/service/http/schemas/`), so this table and the OpenAPI document describe the same routes.
 */
export function apiRoutes(deps: PipelineDeps): RouteDef[] {
  let document: OpenApiDocument | undefined;
  const routes: RouteDef[] = [
    { spec: meta.getHealth, run: async () => json(200, { status: 'ok' }) },
    { spec: meta.headHealth, run: async () => json(200, { status: 'ok' }) },
    {
      spec: meta.getOpenApi,
      // Built on first request from the same table the router uses; the same for every caller (cacheable).
      run: async () => {
        document ??= openApiDocument(routes.map((r) => r.spec));
        return json(200, document, { 'Cache-Control': 'public, max-age=300' });
      },
    },
    ...accountRoutes(deps),
    { spec: jobs.createJob, run: (req, who) => postJob(deps, req, who) },
    { spec: jobs.listJobs, run: (req, who) => listJobs(deps, req, who) },
    {
      spec: jobs.getJob,
      run: async (_r, who, [id]) => json(200, { job: await pricedJobView(deps, await getOwnedJob(deps, who.uid, id)) }),
    },
    { spec: jobs.getJobResult, run: (req, who, [id]) => jobResult(deps, req, who, id) },
    {
      spec: jobs.deleteJob,
      run: async (req, who, [id]) => {
        await deleteOwnedJob(deps, who.uid, id, req.requestId);
        return { status: 204 };
      },
    },
    ...analysisRoutes(deps),
    { spec: jobs.createKey, run: (req, who) => postKey(deps, req, who) },
    {
      spec: jobs.listKeys,
      run: async (_r, who) => json(200, { keys: (await listApiKeys(deps, who.uid)).map(toApiKeyView) }),
    },
    {
      spec: jobs.revokeKey,
      run: async (req, who, [id]) => {
        await revokeApiKey(deps, { owner: who.uid, id, requestId: req.requestId });
        return { status: 204 };
      },
    },
    ...billingRoutes(deps),
    ...adminRoutes(deps),
  ];
  return routes;
}

function isPublic(route: RouteDef): route is Extract<RouteDef, { spec: { auth: 'none' } }> {
  return route.spec.auth === 'none';
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
        invalid_webhook_url: 400,
        webhook_unavailable: 400,
      }[error.code] ?? 400;
    return new ApiError(status, error.code, error.message);
  }
  if (error instanceof ResultNotReadyError)
    return conflict(error.status === 'failed' ? 'job_failed' : 'result_not_ready', error.message);
  if (error instanceof InvalidCursorError) return badRequest('invalid_cursor', error.message);
  if (error instanceof ChunkingTimeoutError) return new ApiError(503, error.code, error.message);
  return error;
}

async function postJob(deps: PipelineDeps, req: HttpRequest, who: Principal): Promise<HttpResponse> {
  const body = parseJsonBody(req, jobs.createJob.body);
  const webhookUrl = body.webhookUrl ?? who.keyWebhookUrl;
  const { job, upload } = await createJob(deps, {
    owner: who.uid,
    ...body,
    ...(webhookUrl !== undefined ? { webhookUrl } : {}),
    // Only a caller holding an API key knows its signing secret (a session cookie's key was never shown).
    ...(who.via === 'api_key' && who.keyId ? { keyId: who.keyId } : {}),
    requestId: req.requestId,
  });
  return json(201, { job: toJobView(job), upload }, { Location: `/v1/jobs/${job.id}` });
}

async function listJobs(deps: PipelineDeps, req: HttpRequest, who: Principal): Promise<HttpResponse> {
  const q = parseWith(jobs.listJobs.query, Object.fromEntries(req.query), 'invalid_query');
  const page = await listOwnedJobs(deps, who.uid, {
    limit: q.limit,
    ...(q.cursor ? { cursor: q.cursor } : {}),
    ...(q.q !== undefined ? { name: q.q } : {}),
  });
  return json(200, { jobs: page.jobs.map(toJobView), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) });
}

async function jobResult(deps: PipelineDeps, req: HttpRequest, who: Principal, id: string): Promise<HttpResponse> {
  const q = parseWith(jobs.getJobResult.query, Object.fromEntries(req.query), 'invalid_query');
  if (q.format === 'chunks') return json(200, await jobChunks(deps, who.uid, id, q.targetTokens));
  const signed = await getResult(deps, who.uid, id, q.format === 'json' ? 'json' : 'md');
  if (q.redirect === 'false') return json(200, { url: signed.url, expiresAt: signed.expiresAt });
  return json(302, { url: signed.url, expiresAt: signed.expiresAt }, { Location: signed.url });
}

async function postKey(deps: PipelineDeps, req: HttpRequest, who: Principal): Promise<HttpResponse> {
  const body = parseJsonBody(req, jobs.createKey.body);
  const issued = await createApiKey(deps, {
    owner: who.uid,
    ...(body.name ? { name: body.name } : {}),
    ...(body.webhookUrl !== undefined ? { webhookUrl: body.webhookUrl } : {}),
    requestId: req.requestId,
  });
  return json(201, { key: toApiKeyView(issued.record), secret: issued.key, webhookSecret: issued.webhookSecret });
}
