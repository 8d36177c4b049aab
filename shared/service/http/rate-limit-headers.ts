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
