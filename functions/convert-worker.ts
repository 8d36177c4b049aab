/**
 * HTTP function `convertWorker`, called by Cloud Tasks (OIDC-authenticated by Cloud Run IAM in the
 * cloud). The status code steers the queue: 2xx stops it, anything else retries (see run-conversion.ts).
 */
import { z } from 'zod';
import type { PipelineDeps } from '../shared/service/jobs/deps.ts';
import { runConversion, type ConversionOutcome } from '../shared/service/jobs/run-conversion.ts';
import { parseJsonBody } from '../shared/service/http/body.ts';
import type { HttpHandler, HttpResponse } from '../shared/service/http/types.ts';

const TaskBody = z.object({ jobId: z.string().min(1).max(100) });

const STATUS: Record<ConversionOutcome, number> = { succeeded: 200, failed: 200, noop: 200, busy: 409, retry: 503 };

export function createConvertWorkerHandler(deps: PipelineDeps): HttpHandler {
  return async (req): Promise<HttpResponse> => {
    const { jobId } = parseJsonBody(req, TaskBody);
    const retryCount = Number(req.headers['x-cloudtasks-taskretrycount'] ?? '0');
    const outcome = await runConversion(deps, {
      jobId,
      deliveryAttempt: (Number.isFinite(retryCount) && retryCount >= 0 ? retryCount : 0) + 1,
      requestId: req.requestId,
    });
    return { status: STATUS[outcome], body: { outcome } };
  };
}
