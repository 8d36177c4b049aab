/**
 * How analyses are wired: the engine chosen by configuration, the plan fields and their defaults, the analyses
 * rate-limit bucket (separate from the request counters) and the AI calls in the usage rows.
 */
import { loadConfig, ConfigError } from '../../../shared/service/config.ts';
import { analyzerFromConfig } from '../../../shared/adapters/analyzer-factory.ts';
import { DEFAULT_PLANS, parsePlans } from '../../../shared/service/accounts/plans.ts';
import { checkAnalysisRateLimit, checkRateLimits } from '../../../shared/service/accounts/rate-limit.ts';
import { groupUsage, mergeAiUsage, totalUsage } from '../../../shared/service/accounts/usage.ts';
import { openDatabase } from '../../../shared/adapters/local/sqlite.ts';
import { SqliteRateLimiter } from '../../../shared/adapters/local/sqlite-rate-limiter.ts';

test('the engine: offline by default; gemini only with a project (a ConfigError otherwise), its client loaded lazily', () => {
  const offline = loadConfig({});
  expect(offline.analysis).toMatchObject({ engine: 'offline' });
  expect(analyzerFromConfig(offline).engine).toBe('offline');
  expect(() => loadConfig({ MDRAFT_ANALYZER: 'gemini' })).toThrow(ConfigError);
  expect(() => loadConfig({ MDRAFT_ANALYZER: 'gpt' })).toThrow(ConfigError);
  const gemini = loadConfig({
    MDRAFT_ANALYZER: 'gemini',
    MDRAFT_GCP_PROJECT: 'my-project-1',
    MDRAFT_ANALYZER_MODEL: 'gemini-2.5-pro',
  });
  expect(gemini.analysis).toEqual({
    engine: 'gemini',
    model: 'gemini-2.5-pro',
    location: 'us-central1',
    project: 'my-project-1',
  });
  // Creating it reaches nothing: the Vertex AI client is made on the first analysis.
  expect(analyzerFromConfig(gemini).engine).toBe('gemini');
  expect(loadConfig({ MDRAFT_ANALYZER: 'gemini', MDRAFT_GCP_PROJECT: 'my-project-1' }).analysis.model).toBe(
    'gemini-2.5-flash',
  );
});

test('plans: every default plan has an AI allowance and an analyses rate; a table without the rate gets 10', () => {
  for (const plan of Object.values(DEFAULT_PLANS)) {
    expect(plan.aiCallsPerMonth).toBeGreaterThan(0);
    expect(plan.analysesPerMinute).toBeGreaterThan(0);
    expect(plan.analysesPerMinute).toBeLessThan(plan.requestsPerMinute);
  }
  const { analysesPerMinute: _omit, ...older } = DEFAULT_PLANS.free;
  expect(parsePlans(JSON.stringify({ free: older })).free.analysesPerMinute).toBe(10);
  expect(() => parsePlans(JSON.stringify({ free: { ...older, analysesPerMinute: 0 } }))).toThrow(/analysesPerMinute/);
});

test('the analyses bucket is counted apart from the request counters', async () => {
  const db = openDatabase(':memory:');
  try {
    const rateLimiter = new SqliteRateLimiter(db);
    const now = Date.UTC(2027, 3, 1, 0, 0, 10);
    for (let i = 0; i < 5; i++) await checkRateLimits({ rateLimiter }, { userId: 'u', limit: 100, now });
    const first = await checkAnalysisRateLimit({ rateLimiter }, { userId: 'u', limit: 2, now });
    expect(first).toMatchObject({ policy: 'analyses', decision: { allowed: true, remaining: 1, limit: 2 } });
    expect((await checkAnalysisRateLimit({ rateLimiter }, { userId: 'u', limit: 2, now })).decision.allowed).toBe(true);
    const third = await checkAnalysisRateLimit({ rateLimiter }, { userId: 'u', limit: 2, now });
    expect(third.decision).toMatchObject({ allowed: false, remaining: 0, resetSeconds: 50 });
    // The request counter never saw the analyses; another user, and the next window, start afresh.
    const [user] = await checkRateLimits({ rateLimiter }, { userId: 'u', limit: 100, now });
    expect(user.decision.remaining).toBe(94);
    expect((await checkAnalysisRateLimit({ rateLimiter }, { userId: 'v', limit: 2, now })).decision.allowed).toBe(true);
    expect(
      (await checkAnalysisRateLimit({ rateLimiter }, { userId: 'u', limit: 2, now: now + 60_000 })).decision.allowed,
    ).toBe(true);
  } finally {
    db.close();
  }
});

test('usage rows: AI calls merged into the day-and-format rows, with rows of their own where no job ended', () => {
  const day = (d: string, format: string, jobs: number) => ({
    owner: 'a',
    day: d,
    format,
    jobs,
    failures: 0,
    units: jobs,
    pages: 0,
  });
  const rows = mergeAiUsage(
    [day('2027-01-02', 'pdf', 2), day('2027-01-01', 'docx', 1)],
    [
      { owner: 'a', day: '2027-01-02', format: 'pdf', calls: 3 },
      { owner: 'a', day: '2027-01-03', format: 'docx', calls: 1 },
    ],
  );
  expect(rows.map((r) => [r.day, r.format, r.jobs, r.aiCalls])).toEqual([
    ['2027-01-01', 'docx', 1, 0],
    ['2027-01-02', 'pdf', 2, 3],
    ['2027-01-03', 'docx', 0, 1],
  ]);
  const byFormat = groupUsage(rows, 'format');
  expect(byFormat.map((r) => [r.key, r.jobs, r.aiCalls])).toEqual([
    ['docx', 1, 1],
    ['pdf', 2, 3],
  ]);
  expect(totalUsage(byFormat)).toMatchObject({ jobs: 3, aiCalls: 4 });
});
