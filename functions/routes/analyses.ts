/**
 * The analyses routes of the `api` function: create (own rate limit, AI allowance), list, get (with the result
 * once succeeded) and the result alone (JSON, or CSV for a requirements matrix). Thin: parse with zod, call a
 * use case (`shared/service/analyses/`), map its typed errors here; the job errors (`JobNotFoundError`,
 * `InvalidCursorError`) are mapped by `api.ts`.
 */
import type { Principal } from '../../shared/service/auth/authenticate.ts';
import { ApiError, conflict, notFound } from '../../shared/service/http/errors.ts';
import { parseJsonBody, parseWith } from '../../shared/service/http/body.ts';
import { json, type HttpRequest, type HttpResponse } from '../../shared/service/http/types.ts';
import type { PipelineDeps } from '../../shared/service/jobs/deps.ts';
import { createAnalysis } from '../../shared/service/analyses/create-analysis.ts';
import {
  getOwnedAnalysis,
  listOwnedAnalyses,
  readAnalysisResult,
  requirementsCsv,
} from '../../shared/service/analyses/queries.ts';
import {
  AiQuotaExceededError,
  AnalysisNotFoundError,
  AnalysisResultUnavailableError,
  JobNotSucceededError,
} from '../../shared/service/analyses/errors.ts';
import { toAnalysisView } from '../../shared/service/analyses/view.ts';
import { analysisRoutes as specs } from '../../shared/service/http/schemas/analyses.ts';
import { createAnalysisRateGate } from './rate-limits.ts';
import type { RouteDef, RouteHandler } from './types.ts';

export function analysisRoutes(deps: PipelineDeps): RouteDef[] {
  const rateGate = createAnalysisRateGate(deps);
  return [
    { spec: specs.createAnalysis, run: mapped((req, who, [id]) => post(deps, rateGate, req, who, id)) },
    { spec: specs.listAnalyses, run: mapped((req, who, [id]) => list(deps, req, who, id)) },
    {
      spec: specs.getAnalysis,
      run: mapped(async (_req, who, [id, analysisId]) => {
        const a = await getOwnedAnalysis(deps, who.uid, id, analysisId);
        const result = a.status === 'succeeded' ? await readAnalysisResult(deps, a) : undefined;
        return json(200, { analysis: toAnalysisView(a, result) });
      }),
    },
    {
      spec: specs.getAnalysisResult,
      run: mapped((req, who, [id, analysisId]) => result(deps, req, who, id, analysisId)),
    },
  ];
}

async function post(
  deps: PipelineDeps,
  rateGate: ReturnType<typeof createAnalysisRateGate>,
  req: HttpRequest,
  who: Principal,
  jobId: string,
): Promise<HttpResponse> {
  const body = parseJsonBody(req, specs.createAnalysis.body);
  const limitHeaders = await rateGate(who);
  const analysis = await createAnalysis(deps, {
    owner: who.uid,
    jobId,
    request: body.kind === 'ask' ? { kind: 'ask', question: body.question } : { kind: body.kind },
    requestId: req.requestId,
  });
  return json(
    202,
    { analysis: toAnalysisView(analysis) },
    { ...limitHeaders, Location: `/v1/jobs/${jobId}/analyses/${analysis.id}` },
  );
}

async function list(deps: PipelineDeps, req: HttpRequest, who: Principal, jobId: string): Promise<HttpResponse> {
  const q = parseWith(specs.listAnalyses.query, Object.fromEntries(req.query), 'invalid_query');
  const page = await listOwnedAnalyses(deps, who.uid, jobId, {
    limit: q.limit,
    ...(q.cursor ? { cursor: q.cursor } : {}),
  });
  return json(200, {
    analyses: page.analyses.map((a) => toAnalysisView(a)),
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
  });
}

async function result(
  deps: PipelineDeps,
  req: HttpRequest,
  who: Principal,
  jobId: string,
  analysisId: string,
): Promise<HttpResponse> {
  const q = parseWith(specs.getAnalysisResult.query, Object.fromEntries(req.query), 'invalid_query');
  const a = await getOwnedAnalysis(deps, who.uid, jobId, analysisId);
  const r = await readAnalysisResult(deps, a);
  if (q.format === 'json') return json(200, r);
  return {
    status: 200,
    headers: {
      'Content-Type': 'text/csv; charset=utf-8; header=present',
      'Content-Disposition': `attachment; filename="requirements-${a.id}.csv"`,
    },
    body: requirementsCsv(r),
  };
}

/** The analysis use cases' typed errors as API errors. */
function mapped(handler: RouteHandler): RouteHandler {
  return async (req, who, params) => {
    try {
      return await handler(req, who, params);
    } catch (error) {
      if (error instanceof AnalysisNotFoundError) throw notFound('analysis');
      if (error instanceof JobNotSucceededError) throw conflict('job_not_succeeded', error.message);
      if (error instanceof AiQuotaExceededError) throw new ApiError(402, error.code, error.message);
      if (error instanceof AnalysisResultUnavailableError) throw conflict(error.code, error.message);
      throw error;
    }
  };
}
