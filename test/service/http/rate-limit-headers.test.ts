/**
 * The IETF RateLimit header fields: one check's headers, and two independent checks of one request (the
 * request limits, then the analyses bucket) listed side by side rather than one replacing the other.
 */
import { combineRateLimitHeaders, rateLimitHeaders } from '../../../shared/service/http/rate-limit-headers.ts';
import type { PolicyDecision } from '../../../shared/service/accounts/rate-limit.ts';

const d = (policy: PolicyDecision['policy'], limit: number, remaining: number, resetSeconds: number) => ({
  policy,
  decision: { allowed: true, limit, remaining, resetSeconds },
});

test('one check: every policy in RateLimit-Policy, the tightest in RateLimit', () => {
  expect(rateLimitHeaders([d('user', 60, 12, 30), d('key', 60, 40, 30)], 60)).toEqual({
    'RateLimit-Policy': '"user";q=60;w=60, "key";q=60;w=60',
    RateLimit: '"user";r=12;t=30',
  });
});

test('two checks of one request: both policies and both limits are listed, in order', () => {
  const requests = rateLimitHeaders([d('user', 60, 12, 30), d('key', 60, 40, 30)], 60);
  const analyses = rateLimitHeaders([d('analyses', 2, 1, 30)], 60);
  expect(combineRateLimitHeaders(requests, analyses)).toEqual({
    'RateLimit-Policy': '"user";q=60;w=60, "key";q=60;w=60, "analyses";q=2;w=60',
    RateLimit: '"user";r=12;t=30, "analyses";r=1;t=30',
  });
});

test('a refusal by either check keeps its Retry-After; the longer wait wins when both refuse', () => {
  const requests = rateLimitHeaders([d('user', 60, 5, 30)], 60);
  const refused = {
    ...rateLimitHeaders(
      [{ policy: 'analyses', decision: { allowed: false, limit: 2, remaining: 0, resetSeconds: 41 } }],
      60,
    ),
  };
  expect(refused['Retry-After']).toBe('41');
  expect(combineRateLimitHeaders(requests, refused)).toMatchObject({
    RateLimit: '"user";r=5;t=30, "analyses";r=0;t=41',
    'Retry-After': '41',
  });
  expect(combineRateLimitHeaders({ 'Retry-After': '7' }, { 'Retry-After': '41' })['Retry-After']).toBe('41');
});

test('a check that was off contributes nothing; other headers are not copied', () => {
  const analyses = rateLimitHeaders([d('analyses', 2, 1, 30)], 60);
  expect(combineRateLimitHeaders({}, { ...analyses, Location: '/x' })).toEqual(analyses);
  expect(combineRateLimitHeaders({}, {})).toEqual({});
});
