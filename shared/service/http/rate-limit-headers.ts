/**
 * The RateLimit header fields of draft-ietf-httpapi-ratelimit-headers-11 (IETF HTTPAPI WG, May 2026;
 * https://datatracker.ietf.org/doc/draft-ietf-httpapi-ratelimit-headers/): Structured Fields (RFC 9651)
 * Lists whose members are a policy name (an sf-string) with parameters.
 *
 *   RateLimit-Policy: "user";q=60;w=60, "key";q=60;w=60    q = quota (requests), w = window (seconds)
 *   RateLimit: "user";r=12;t=30                            r = remaining quota, t = seconds until reset
 *
 * `RateLimit` names the policy closest to refusing (fewest remaining), as the draft lets a server report
 * only the most relevant one. A refusal also carries `Retry-After` (RFC 9110 §10.2.3) in seconds.
 *
 * A request counted by two independent limits (the request limits, then a route's own bucket such as the
 * analyses one) reports both: `combineRateLimitHeaders` lists the members of each field side by side.
 */
import type { PolicyDecision } from '../accounts/rate-limit.ts';

/** The three headers for `decisions` (non-empty), window `windowSeconds`. */
export function rateLimitHeaders(decisions: PolicyDecision[], windowSeconds: number): Record<string, string> {
  const policy = decisions.map((d) => `"${d.policy}";q=${d.decision.limit};w=${windowSeconds}`).join(', ');
  const tightest = [...decisions].sort(
    (a, b) =>
      Number(a.decision.allowed) - Number(b.decision.allowed) ||
      a.decision.remaining - b.decision.remaining ||
      b.decision.resetSeconds - a.decision.resetSeconds,
  )[0];
  const headers: Record<string, string> = {
    'RateLimit-Policy': policy,
    RateLimit: `"${tightest.policy}";r=${tightest.decision.remaining};t=${tightest.decision.resetSeconds}`,
  };
  if (!tightest.decision.allowed) headers['Retry-After'] = String(tightest.decision.resetSeconds);
  return headers;
}

const RATE_LIMIT_FIELDS = ['RateLimit-Policy', 'RateLimit'] as const;

/**
 * The rate-limit headers of two independent checks of one request, as one set: the members of
 * `RateLimit-Policy` and of `RateLimit` are listed side by side (both are Structured Field Lists, RFC 9651
 * §3.1, and the draft allows several policies and several limits in one response, §3 and §4), so neither check
 * hides the other. `Retry-After` is the longer wait of the two. Headers other than these three are ignored.
 * @param first  headers from `rateLimitHeaders` (or `{}` when that check was off)
 * @param second the same for the other check; its members follow `first`'s
 * @returns only the rate-limit headers, each present when either input has it
 */
export function combineRateLimitHeaders(
  first: Record<string, string>,
  second: Record<string, string>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const field of RATE_LIMIT_FIELDS) {
    const members = [first[field], second[field]].filter((v): v is string => v !== undefined && v !== '');
    if (members.length > 0) out[field] = members.join(', ');
  }
  const waits = [first['Retry-After'], second['Retry-After']].filter((v): v is string => v !== undefined);
  if (waits.length > 0) out['Retry-After'] = String(Math.max(...waits.map(Number)));
  return out;
}
