/**
 * HTTP function `convertWorker`, called by Cloud Tasks for conversions and analyses (OIDC-authenticated by Cloud Run IAM in the
 * cloud). The status code steers the queue: 2xx stops it, anything else retries (see run-conversion.ts).
 * Three task kinds share the queue and this worker: a conversion (`{jobId}`), an analysis of a converted job
 * (`{jobId, analysisId}`: `shared/service/analyses/run-analysis.ts`) and a webhook delivery attempt
 * (`{kind: "webhook", jobId, attempt}`: `shared/service/webhooks/deliver.ts`, which schedules its own retries
 * and so answers 2xx whatever the receiver did).
 */
import { z } from 'zod';
import type { PipelineDeps } from '../shared/service/jobs/deps.ts';
import { runConversion, type ConversionOutcome } from '../shared/service/jobs/run-conversion.ts';
import { runAnalysis, type AnalysisOutcome } from '../shared/service/analyses/run-analysis.ts';
import { deliverWebhook } from '../shared/service/webhooks/deliver.ts';
import { parseJsonBody } from '../shared/service/http/body.ts';
import type { HttpHandler, HttpResponse } from '../shared/service/http/types.ts';

const JobId = z.string().min(1).max(100);
const WebhookTask = z.object({ kind: z.literal('webhook'), jobId: JobId, attempt: z.number().int().min(1).max(1000) });
const AnalysisTask = z.object({ kind: z.literal('analysis').optional(), jobId: JobId, analysisId: JobId });
const ConvertTask = z.object({ kind: z.literal('convert').optional(), jobId: JobId });
// Order matters: an analysis task also satisfies the conversion schema (which strips analysisId).
const TaskBody = z.union([WebhookTask, AnalysisTask, ConvertTask]);

const STATUS: Record<ConversionOutcome | AnalysisOutcome, number> = {
  succeeded: 200,
  failed: 200,
  noop: 200,
  busy: 409,
  retry: 503,
};

export function createConvertWorkerHandler(deps: PipelineDeps): HttpHandler {
  return async (req): Promise<HttpResponse> => {
    const task = parseJsonBody(req, TaskBody);
    if (task.kind === 'webhook') {
      const outcome = await deliverWebhook(deps, task, req.requestId);
      return { status: 200, body: { outcome } };
    }
    const retryCount = Number(req.headers['x-cloudtasks-taskretrycount'] ?? '0');
    const deliveryAttempt = (Number.isFinite(retryCount) && retryCount >= 0 ? retryCount : 0) + 1;
    const outcome =
      'analysisId' in task
        ? await runAnalysis(deps, { analysisId: task.analysisId, deliveryAttempt, requestId: req.requestId })
        : await runConversion(deps, { jobId: task.jobId, deliveryAttempt, requestId: req.requestId });
    return { status: STATUS[outcome], body: { outcome } };
  };
}
