/**
 * HTTP function `convertWorker`, called by Cloud Tasks for conversions and analyses (OIDC-authenticated by Cloud Run IAM in the
 * cloud). The status code steers the queue: 2xx stops it, anything else retries (see run-conversion.ts).
 */
import { z } from 'zod';
import type { PipelineDeps } from '../shared/service/jobs/deps.ts';
import { runConversion, type ConversionOutcome } from '../shared/service/jobs/run-conversion.ts';
import { runAnalysis, type AnalysisOutcome } from '../shared/service/analyses/run-analysis.ts';
import { parseJsonBody } from '../shared/service/http/body.ts';
import type { HttpHandler, HttpResponse } from '../shared/service/http/types.ts';

/** Two task kinds on one queue: a conversion (`{jobId}`) and an analysis of a converted job (`{jobId, analysisId}`). */
const TaskBody = z.object({ jobId: z.string().min(1).max(100), analysisId: z.string().min(1).max(100).optional() });

const STATUS: Record<ConversionOutcome | AnalysisOutcome, number> = {
  succeeded: 200,
  failed: 200,
  noop: 200,
  busy: 409,
  retry: 503,
};

export function createConvertWorkerHandler(deps: PipelineDeps): HttpHandler {
  return async (req): Promise<HttpResponse> => {
    const { jobId, analysisId } = parseJsonBody(req, TaskBody);
    const retryCount = Number(req.headers['x-cloudtasks-taskretrycount'] ?? '0');
    const deliveryAttempt = (Number.isFinite(retryCount) && retryCount >= 0 ? retryCount : 0) + 1;
    const outcome = analysisId
      ? await runAnalysis(deps, { analysisId, deliveryAttempt, requestId: req.requestId })
      : await runConversion(deps, { jobId, deliveryAttempt, requestId: req.requestId });
    return { status: STATUS[outcome], body: { outcome } };
  };
}
