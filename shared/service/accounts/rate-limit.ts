/**
 * Per-user and per-key request limits (the plan's `requestsPerMinute`), counted in fixed one-minute windows
 * by a store-backed `RateLimiter`, so every instance sees the same counts. The answer is advertised with the
 * IETF RateLimit header fields (`shared/service/http/rate-limit-headers.ts`).
 *
 * Fixed windows: a window starts at a multiple of `windowMs` since the epoch. A burst of up to twice the
 * limit can straddle a window boundary; that is the accepted price of one counter per window (no per-request
 * timestamps to store).
 */
import type { RateLimitDecision, RateLimiter } from '../ports.ts';

/** The windows of this service's limits: one minute (`requestsPerMinute`). */
export const RATE_WINDOW_MS = 60_000;

/** Start (epoch ms) of the window of `windowMs` containing `now`. */
export function windowStart(now: number, windowMs: number): number {
  return Math.floor(now / windowMs) * windowMs;
}

/** The decision for the `count`-th request (1-based, this one included) of the window containing `now`. */
export function decide(count: number, input: { limit: number; windowMs: number; now: number }): RateLimitDecision {
  const end = windowStart(input.now, input.windowMs) + input.windowMs;
  return {
    allowed: count <= input.limit,
    limit: input.limit,
    remaining: Math.max(0, input.limit - count),
    resetSeconds: Math.max(1, Math.ceil((end - input.now) / 1000)),
  };
}

/** One limit checked for a request: its policy name (`user`, `key`, or `analyses`) and the decision. */
export interface PolicyDecision {
  policy: 'user' | 'key' | 'analyses';
  decision: RateLimitDecision;
}

/**
 * Counts a request against the user's counter and, for an API key, the key's counter too (each holding
 * `limit` per minute), and returns both decisions. Once an instance has seen a window refused it refuses the
 * rest of that window from memory (`RefusalMemo`): an abusive client then costs one store write per
 * instance per window, not one per request (Firestore's counters have a write-rate ceiling per document).
 */
export async function checkRateLimits(
  deps: { rateLimiter: RateLimiter; memo?: RefusalMemo },
  input: { userId: string; keyId?: string; limit: number; now: number },
): Promise<PolicyDecision[]> {
  const targets: Array<{ policy: 'user' | 'key'; key: string }> = [{ policy: 'user', key: `user:${input.userId}` }];
  if (input.keyId) targets.push({ policy: 'key', key: `key:${input.keyId}` });
  const params = { limit: input.limit, windowMs: RATE_WINDOW_MS, now: input.now };
  return Promise.all(
    targets.map(async ({ policy, key }) => {
      const remembered = deps.memo?.refused(key, input.now);
      if (remembered !== undefined) return { policy, decision: decide(input.limit + 1, params) };
      const decision = await deps.rateLimiter.hit(key, params);
      if (!decision.allowed) deps.memo?.remember(key, windowStart(input.now, RATE_WINDOW_MS) + RATE_WINDOW_MS);
      return { policy, decision };
    }),
  );
}

/** In-process memory of counters already refused in their current window (bounded; expired ones drop). */
export class RefusalMemo {
  private readonly until = new Map<string, number>();
  private readonly maxEntries: number;
  constructor(maxEntries = 10_000) {
    this.maxEntries = maxEntries;
  }

  /** The window end when `key` was refused in the window containing `now`, else undefined. */
  refused(key: string, now: number): number | undefined {
    const end = this.until.get(key);
    if (end === undefined) return undefined;
    if (now >= end) {
      this.until.delete(key);
      return undefined;
    }
    return end;
  }

  remember(key: string, windowEnd: number): void {
    if (this.until.size >= this.maxEntries) this.until.clear();
    this.until.set(key, windowEnd);
  }
}

/**
 * Counts one analysis creation against the user's own analyses bucket (`analyses:user:<id>`, the plan's
 * `analysesPerMinute`), separate from the request counters: creating analyses cannot use up the budget of
 * ordinary reads, nor reads the budget of analyses. Refusals are remembered like `checkRateLimits`'.
 */
export async function checkAnalysisRateLimit(
  deps: { rateLimiter: RateLimiter; memo?: RefusalMemo },
  input: { userId: string; limit: number; now: number },
): Promise<PolicyDecision> {
  const key = `analyses:user:${input.userId}`;
  const params = { limit: input.limit, windowMs: RATE_WINDOW_MS, now: input.now };
  if (deps.memo?.refused(key, input.now) !== undefined)
    return { policy: 'analyses', decision: decide(input.limit + 1, params) };
  const decision = await deps.rateLimiter.hit(key, params);
  if (!decision.allowed) deps.memo?.remember(key, windowStart(input.now, RATE_WINDOW_MS) + RATE_WINDOW_MS);
  return { policy: 'analyses', decision };
}
