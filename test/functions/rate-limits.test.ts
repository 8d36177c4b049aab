/**
 * Request limits over real HTTP, across TWO embedded servers that share one data directory (one SQLite
 * file), as two instances share Firestore in the cloud: the plan's requestsPerMinute holds over both, per
 * user and per key, with the IETF RateLimit header fields and a 429 carrying Retry-After.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalServer, type LocalServer } from '../../functions/local.ts';
import { issueApiKey } from '../../shared/service/auth/api-keys.ts';
import { DEFAULT_PLANS } from '../../shared/service/accounts/plans.ts';
import { setLogLevel } from '../../shared/service/logs.ts';

setLogLevel('silent');

const WINDOW = 60_000;
// 10 s into a window, so a test never straddles two windows.
const clock = { now: Math.floor(Date.UTC(2027, 3, 1) / WINDOW) * WINDOW + 10_000 };
const plans = JSON.stringify({
  free: { ...DEFAULT_PLANS.free, requestsPerMinute: 5 },
  pro: { ...DEFAULT_PLANS.pro, requestsPerMinute: 8 },
});

let dir: string;
let a: LocalServer;
let b: LocalServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mdraft-rl-'));
  const env = { PORT: '0', MDRAFT_DATA_DIR: dir, MDRAFT_PLANS: plans, MDRAFT_RATE_LIMIT: 'on' };
  const runner = async () => ({ format: 'text' as const, mediaType: 'text/plain', markdown: '', warnings: [] });
  a = await startLocalServer({ env, cleanupEveryMs: 0, issueKey: false, now: () => clock.now, runner });
  b = await startLocalServer({ env, cleanupEveryMs: 0, issueKey: false, now: () => clock.now, runner });
});

afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  rmSync(dir, { recursive: true, force: true });
});

async function keyFor(user: string): Promise<string> {
  await a.deps.accounts.ensureUser({ id: user, now: clock.now });
  return (await issueApiKey(a.deps.accounts, { owner: user, now: clock.now })).key;
}

const get = (server: LocalServer, key: string) => fetch(`${server.url}/v1/jobs`, { headers: { 'X-API-Key': key } });

test('the limit holds across two servers on one store; 429 with Retry-After and RateLimit headers', async () => {
  const key = await keyFor('alice');
  const statuses: number[] = [];
  const remaining: string[] = [];
  for (let i = 0; i < 5; i++) {
    const res = await get(i % 2 ? b : a, key);
    statuses.push(res.status);
    remaining.push(res.headers.get('ratelimit') ?? '');
    expect(res.headers.get('ratelimit-policy')).toBe('"user";q=5;w=60, "key";q=5;w=60');
    await res.arrayBuffer();
  }
  expect(statuses).toEqual([200, 200, 200, 200, 200]);
  expect(remaining.map((h) => /;r=(\d+);t=(\d+)$/.exec(h)?.[1])).toEqual(['4', '3', '2', '1', '0']);
  expect(remaining[0]).toMatch(/^"(user|key)";r=4;t=50$/);

  for (const server of [a, b]) {
    const refused = await get(server, key);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('50');
    expect(refused.headers.get('ratelimit')).toMatch(/^"(user|key)";r=0;t=50$/);
    const body = (await refused.json()) as { error: { code: string; requestId: string } };
    expect(body.error.code).toBe('rate_limited');
    expect(body.error.requestId).toBe(refused.headers.get('x-request-id'));
  }

  // The user's other key shares the user's counter: refused too (the user policy).
  const second = (await issueApiKey(a.deps.accounts, { owner: 'alice', now: clock.now })).key;
  const viaSecond = await get(b, second);
  expect(viaSecond.status).toBe(429);
  expect(viaSecond.headers.get('ratelimit')).toBe('"user";r=0;t=50');

  // Another user has their own counters.
  expect((await get(a, await keyFor('bob'))).status).toBe(200);

  // The next window starts afresh.
  clock.now += WINDOW;
  const next = await get(b, key);
  expect(next.status).toBe(200);
  expect(next.headers.get('ratelimit')).toMatch(/;r=4;t=50$/);
});

test('the limit is the plan’s: a pro user gets requestsPerMinute of the pro plan', async () => {
  clock.now += WINDOW;
  const key = await keyFor('carol');
  await a.deps.userAdmin!.setPlan('carol', 'pro');
  const res = await get(a, key);
  expect(res.headers.get('ratelimit-policy')).toBe('"user";q=8;w=60, "key";q=8;w=60');
  let last = 200;
  for (let i = 0; i < 8; i++) last = (await get(i % 2 ? a : b, key)).status;
  expect(last).toBe(429);
});

test('healthz and unauthenticated requests are not counted (the limiter keys on the caller)', async () => {
  const res = await fetch(`${a.url}/healthz`);
  expect(res.headers.get('ratelimit')).toBeNull();
  const anon = await fetch(`${a.url}/v1/jobs`);
  expect(anon.status).toBe(401);
  expect(anon.headers.get('ratelimit')).toBeNull();
});
