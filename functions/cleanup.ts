/** HTTP function `cleanup`, called by Cloud Scheduler (OIDC). Idempotent; safe to overlap. */
import type { PipelineDeps } from '../shared/service/jobs/deps.ts';
import { cleanup } from '../shared/service/jobs/cleanup.ts';
import type { HttpHandler } from '../shared/service/http/types.ts';

export function createCleanupHandler(deps: PipelineDeps): HttpHandler {
  return async (req) => ({ status: 200, body: { report: await cleanup(deps, req.requestId) } });
}
