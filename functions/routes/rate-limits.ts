/**
 * The API's request limits, applied after authentication: the caller's plan's `requestsPerMinute`, counted
 * per user and per API key in the store (`RateLimiter`), so they hold across instances. Allowed responses
 * carry `RateLimit-Policy` and `RateLimit`; a refusal is 429 `rate_limited` with `Retry-After` too
 * (`shared/service/http/rate-limit-headers.ts`). Without a limiter, or with MDRAFT_RATE_LIMIT=off, nothing
 * is counted and no header is sent.
 */
import type { Principal } from '../../shared/service/auth/authenticate.ts';
import { planOf } from '../../shared/service/accounts/plans.ts';
import {
  checkAnalysisRateLimit,
  checkRateLimits,
  RATE_WINDOW_MS,
  RefusalMemo,
} from '../../shared/service/accounts/rate-limit.ts';
import { rateLimitHeaders } from '../../shared/service/http/rate-limit-headers.ts';
import { ApiError } from '../../shared/service/http/errors.ts';
import type { PipelineDeps } from '../../shared/service/jobs/deps.ts';

/** Returns the headers to add to the response, or throws the 429. */
export type RateLimitGate = (who: Principal) => Promise<Record<string, string>>;

export function createRateLimitGate(deps: PipelineDeps): RateLimitGate {
  const limiter = deps.rateLimiter;
  if (!limiter || !deps.config.rateLimit) return async () => ({});
  const memo = new RefusalMemo();
  return async (who) => {
    const { plan } = planOf(deps.config.plans, who.plan);
    const decisions = await checkRateLimits(
      { rateLimiter: limiter, memo },
      {
        userId: who.uid,
        ...(who.keyId ? { keyId: who.keyId } : {}),
        limit: plan.requestsPerMinute,
        now: deps.now(),
      },
    );
    const headers = rateLimitHeaders(decisions, RATE_WINDOW_MS / 1000);
    if (decisions.some((d) => !d.decision.allowed))
      throw new ApiError(
        429,
        'rate_limited',
        `too many requests: your plan allows ${plan.requestsPerMinute} a minute; retry after ${headers['Retry-After']} s`,
        headers,
      );
    return headers;
  };
}

/**
 * The analyses bucket (`POST /v1/jobs/{id}/analyses`): the plan's `analysesPerMinute` per user, on top of the
 * request limits and under the same switch (a limiter and MDRAFT_RATE_LIMIT=on). Returns the headers to add
 * (this policy's `RateLimit-Policy` and `RateLimit`), or throws 429 `analysis_rate_limited` with `Retry-After`.
 */
export function createAnalysisRateGate(deps: PipelineDeps): RateLimitGate {
  const limiter = deps.rateLimiter;
  if (!limiter || !deps.config.rateLimit) return async () => ({});
  const memo = new RefusalMemo();
  return async (who) => {
    const { plan } = planOf(deps.config.plans, who.plan);
    const decision = await checkAnalysisRateLimit(
      { rateLimiter: limiter, memo },
      { userId: who.uid, limit: plan.analysesPerMinute, now: deps.now() },
    );
    const headers = rateLimitHeaders([decision], RATE_WINDOW_MS / 1000);
    if (!decision.decision.allowed)
      throw new ApiError(
        429,
        'analysis_rate_limited',
        `too many analyses: your plan allows ${plan.analysesPerMinute} a minute; retry after ${headers['Retry-After']} s`,
        headers,
      );
    return headers;
  };
}
