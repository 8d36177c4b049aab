/**
 * Analyses over real HTTP on the embedded default (local adapters, the SQLite task queue, the sandboxed
 * converter, the offline engine): an RFP-like DOCX built in code is converted, then analysed in every kind
 * through `POST /v1/jobs/{id}/analyses`; results are polled and fetched as JSON and CSV; the chunks format of
 * the result; deleting the job takes its analyses and their results with it; the plan's AI allowance answers
 * 402 `ai_quota_exceeded` and the analyses rate limit 429 `analysis_rate_limited`; usage shows the AI calls.
 */
import { DEFAULT_PLANS } from '../../shared/service/accounts/plans.ts';
import { issueApiKey } from '../../shared/service/auth/api-keys.ts';
import { buildDocx, p, paragraphStyle, styled } from '../fixtures/docx.ts';
import { Client, startTestServer, type TestServer } from './client.ts';
import { GoogleGenAI } from '@google/genai';
import { createGeminiAnalyzer } from '../../shared/adapters/gcp/gemini-analyzer.ts';
import { startRecordingServer, type RecordingServer } from '../adapters/gcp/recording-server.ts';
import { stubAuthClient } from '../adapters/gcp/stub-auth-client.ts';

const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

const PLANS = JSON.stringify({
  ...DEFAULT_PLANS,
  free: {
    ...DEFAULT_PLANS.free,
    monthlyUnits: 1_000_000,
    concurrentJobs: 100,
    requestsPerMinute: 100_000,
    aiCallsPerMonth: 20,
    analysesPerMinute: 20,
  },
  tight: {
    ...DEFAULT_PLANS.free,
    title: 'Tight',
    monthlyUnits: 1_000_000,
    requestsPerMinute: 100_000,
    aiCallsPerMonth: 2,
  },
  burst: {
    ...DEFAULT_PLANS.free,
    title: 'Burst',
    monthlyUnits: 1_000_000,
    requestsPerMinute: 100_000,
    aiCallsPerMonth: 1000,
    analysesPerMinute: 2,
  },
});

const RFP = buildDocx({
  styles: paragraphStyle('Heading1', 'heading 1') + paragraphStyle('Heading2', 'heading 2'),
  body: [
    styled('Heading1', 'Request for Proposals: Records Digitisation'),
    styled('Heading2', '1. Submission'),
    p('Offerors shall submit two (2) copies of the proposal by June 1, 2027.'),
    p('Proposals received after the deadline will not be considered.'),
    styled('Heading2', '2. Technical Requirements'),
    p('The Contractor must scan at least 40,000 pages per month at 300 dpi.'),
    p('The Contractor shall not subcontract the scanning without written approval.'),
    styled('Heading2', '3. Evaluation'),
    p('The Agency will evaluate proposals on price, experience and schedule.'),
    p('Offerors may include up to three references.'),
  ].join(''),
});

let server: TestServer;
let alice: Client;

beforeAll(async () => {
  server = await startTestServer({ MDRAFT_PLANS: PLANS, MDRAFT_RATE_LIMIT: 'on' });
  alice = new Client(server.url, server.apiKey!);
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

const json = (body: unknown, method = 'POST'): RequestInit => ({
  method,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});

async function convertedRfp(client: Client): Promise<string> {
  const id = await client.submit('rfp.docx', DOCX_TYPE, RFP);
  const job = await client.waitFor(id, ['succeeded', 'failed'], 120_000);
  expect(job.status).toBe('succeeded');
  return id;
}

interface AnalysisBody {
  analysis: {
    id: string;
    status: string;
    kind: string;
    engine: string;
    error?: { code: string };
    warnings: unknown[];
    result?: Record<string, unknown>;
  };
}

async function analyse(client: Client, jobId: string, body: object): Promise<Response> {
  return client.request(`/v1/jobs/${jobId}/analyses`, json(body));
}

async function settled(client: Client, jobId: string, analysisId: string): Promise<AnalysisBody['analysis']> {
  const end = Date.now() + 60_000;
  for (;;) {
    const res = await client.request(`/v1/jobs/${jobId}/analyses/${analysisId}`);
    expect(res.status).toBe(200);
    const { analysis } = (await res.json()) as AnalysisBody;
    if (analysis.status === 'succeeded' || analysis.status === 'failed') return analysis;
    if (Date.now() > end) throw new Error(`analysis still ${analysis.status}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('every kind of analysis of a converted RFP: 202, polled to succeeded, JSON and CSV results; chunks of the result', async () => {
  const jobId = await convertedRfp(alice);
  const markdown = await (await alice.result(jobId)).download!.text();
  const kinds = [
    { kind: 'requirements' },
    { kind: 'ask', question: 'How many pages per month must be scanned?' },
    { kind: 'summary' },
    { kind: 'outline' },
  ];
  const ids: string[] = [];
  for (const body of kinds) {
    const res = await analyse(alice, jobId, body);
    expect(res.status).toBe(202);
    const { analysis } = (await res.json()) as AnalysisBody;
    expect(res.headers.get('location')).toBe(`/v1/jobs/${jobId}/analyses/${analysis.id}`);
    expect(res.headers.get('ratelimit-policy')).toContain('"analyses";q=20;w=60');
    expect(analysis).toMatchObject({ kind: body.kind, engine: 'offline' });
    expect(['queued', 'running', 'succeeded']).toContain(analysis.status);
    ids.push(analysis.id);
  }
  const done = await Promise.all(ids.map((id) => settled(alice, jobId, id)));
  for (const a of done) expect(a).toMatchObject({ status: 'succeeded', result: { kind: a.kind, engine: 'offline' } });

  const [requirements, ask, summary, outline] = done.map((a) => a.result!);
  const reqs = requirements.requirements as { text: string; start: number; end: number; level: string }[];
  expect(reqs.map((r) => r.text)).toEqual(
    expect.arrayContaining([
      'Offerors shall submit two (2) copies of the proposal by June 1, 2027.',
      'The Contractor shall not subcontract the scanning without written approval.',
    ]),
  );
  // Offsets are into the job's Markdown: the cited text is there verbatim.
  for (const r of reqs) expect(markdown.slice(r.start, r.end)).toBe(r.text);
  expect(reqs.find((r) => r.text.includes('shall not subcontract'))?.level).toBe('prohibited');
  expect(ask).toMatchObject({ found: true });
  expect(JSON.stringify(ask.claims)).toContain('40,000 pages per month');
  expect((summary.overall as unknown[]).length).toBeGreaterThan(0);
  expect((outline.outline as { heading: string }[]).map((o) => o.heading)).toEqual([
    'Request for Proposals: Records Digitisation',
    '1. Submission',
    '2. Technical Requirements',
    '3. Evaluation',
  ]);

  const base = `/v1/jobs/${jobId}/analyses/${ids[0]}/result`;
  const alone = await alice.request(base);
  expect(alone.status).toBe(200);
  expect(await alone.json()).toEqual(requirements);
  const csv = await alice.request(`${base}?format=csv`);
  expect(csv.status).toBe(200);
  expect(csv.headers.get('content-type')).toContain('text/csv');
  const text = await csv.text();
  const lines = text.split('\r\n');
  expect(lines[0]).toBe('id,section,heading,page,level,modal,party,category,dates,quantities,text,start,end');
  expect(lines.length).toBe(reqs.length + 2);
  expect(text).toContain('"Offerors shall submit two (2) copies of the proposal by June 1, 2027."');
  const notCsv = await alice.request(`/v1/jobs/${jobId}/analyses/${ids[3]}/result?format=csv`);
  expect(notCsv.status).toBe(409);
  expect(((await notCsv.json()) as { error: { code: string } }).error.code).toBe('format_not_available');

  const list = await alice.request(`/v1/jobs/${jobId}/analyses?limit=3`);
  const page = (await list.json()) as { analyses: { id: string; result?: unknown }[]; nextCursor?: string };
  expect(page.analyses).toHaveLength(3);
  expect(page.analyses.every((a) => a.result === undefined)).toBe(true);
  const rest = (await (
    await alice.request(`/v1/jobs/${jobId}/analyses?limit=3&cursor=${encodeURIComponent(page.nextCursor!)}`)
  ).json()) as { analyses: { id: string }[]; nextCursor?: string };
  expect([...page.analyses, ...rest.analyses].map((a) => a.id).sort()).toEqual([...ids].sort());
  expect(rest.nextCursor).toBeUndefined();

  // Chunks of the job's result: contiguous ranges of the Markdown with their heading paths.
  const chunksRes = await alice.request(`/v1/jobs/${jobId}/result?format=chunks&targetTokens=64`);
  expect(chunksRes.status).toBe(200);
  const chunks = (await chunksRes.json()) as {
    targetTokens: number;
    markdownLength: number;
    chunks: { start: number; end: number; text: string; headingPath: string[] }[];
  };
  expect(chunks.targetTokens).toBe(64);
  expect(chunks.markdownLength).toBe(markdown.length);
  for (const c of chunks.chunks) expect(markdown.slice(c.start, c.end)).toBe(c.text);
  const technical = chunks.chunks.find((c) => c.text.includes('40,000 pages'))!;
  expect(technical.headingPath).toEqual(['Request for Proposals: Records Digitisation', '2. Technical Requirements']);
  for (const bad of ['targetTokens=1', 'targetTokens=100000', 'targetTokens=abc']) {
    const res = await alice.request(`/v1/jobs/${jobId}/result?format=chunks&${bad}`);
    expect(res.status).toBe(400);
  }

  // Usage shows the AI calls (under the document's format) and /v1/me the month's allowance.
  const usage = (await (await alice.request('/v1/usage?groupBy=format')).json()) as {
    rows: { key: string; jobs: number; aiCalls: number }[];
    total: { aiCalls: number };
  };
  expect(usage.rows.find((r) => r.key === 'docx')).toMatchObject({ aiCalls: 4 });
  expect(usage.total.aiCalls).toBe(4);
  const exported = await (await alice.request('/v1/usage/export')).text();
  expect(exported.split('\r\n')[1]).toMatch(/,docx,1,0,\d+,\d+,4$/);
  const me = (await (await alice.request('/v1/me')).json()) as { me: { ai: { limit: number; used: number } } };
  expect(me.me.ai).toMatchObject({ limit: 20, used: 4, remaining: 16 });
}, 180_000);

test('refused requests: a job not succeeded (409), someone else’s job (404), a bad body (400)', async () => {
  const created = await alice.create('later.docx', DOCX_TYPE, RFP.length);
  const early = await analyse(alice, created.job.id, { kind: 'summary' });
  expect(early.status).toBe(409);
  expect(((await early.json()) as { error: { code: string } }).error.code).toBe('job_not_succeeded');
  const jobId = await convertedRfp(alice);
  const mallory = new Client(
    server.url,
    (await issueApiKey(server.deps.accounts, { owner: 'mallory', now: Date.now() })).key,
  );
  expect((await analyse(mallory, jobId, { kind: 'summary' })).status).toBe(404);
  expect((await mallory.request(`/v1/jobs/${jobId}/analyses`)).status).toBe(404);
  for (const body of [
    { kind: 'ask' },
    { kind: 'ask', question: '   ' },
    { kind: 'translate' },
    { kind: 'summary', x: 1 },
  ])
    expect((await analyse(alice, jobId, body)).status).toBe(400);
}, 120_000);

test('deleting the job deletes its analyses and their results', async () => {
  const jobId = await convertedRfp(alice);
  const res = await analyse(alice, jobId, { kind: 'requirements' });
  const { analysis } = (await res.json()) as AnalysisBody;
  expect((await settled(alice, jobId, analysis.id)).status).toBe('succeeded');
  expect(await server.deps.results.list(`${jobId}/analyses/`)).toHaveLength(1);
  expect((await alice.request(`/v1/jobs/${jobId}`, { method: 'DELETE' })).status).toBe(204);
  expect((await alice.request(`/v1/jobs/${jobId}/analyses/${analysis.id}`)).status).toBe(404);
  expect((await alice.request(`/v1/jobs/${jobId}/analyses`)).status).toBe(404);
  expect(await server.deps.jobs.getAnalysis(analysis.id)).toBeUndefined();
  expect(await server.deps.results.list(`${jobId}/`)).toEqual([]);
}, 120_000);

test("the plan's AI allowance: past it, 402 ai_quota_exceeded and nothing queued", async () => {
  const bob = new Client(server.url, (await issueApiKey(server.deps.accounts, { owner: 'bob', now: Date.now() })).key);
  await server.deps.accounts.ensureUser({ id: 'bob', now: Date.now() });
  expect(await server.deps.userAdmin!.setPlan('bob', 'tight')).toBe(true);
  const jobId = await convertedRfp(bob);
  expect((await analyse(bob, jobId, { kind: 'outline' })).status).toBe(202);
  expect((await analyse(bob, jobId, { kind: 'summary' })).status).toBe(202);
  const refused = await analyse(bob, jobId, { kind: 'requirements' });
  expect(refused.status).toBe(402);
  const { error } = (await refused.json()) as { error: { code: string; message: string } };
  expect(error.code).toBe('ai_quota_exceeded');
  expect(error.message).toContain('2 AI calls');
  const list = (await (await bob.request(`/v1/jobs/${jobId}/analyses`)).json()) as { analyses: unknown[] };
  expect(list.analyses).toHaveLength(2);
}, 120_000);

test('analyses have their own rate limit: 429 analysis_rate_limited with Retry-After, reads unaffected', async () => {
  const carol = new Client(
    server.url,
    (await issueApiKey(server.deps.accounts, { owner: 'carol', now: Date.now() })).key,
  );
  await server.deps.accounts.ensureUser({ id: 'carol', now: Date.now() });
  expect(await server.deps.userAdmin!.setPlan('carol', 'burst')).toBe(true);
  const jobId = await convertedRfp(carol);
  // 2 a minute: within at most 5 tries one is refused, even if a window boundary falls between them.
  let accepted = 0;
  let refused: Response | undefined;
  for (let i = 0; i < 5 && !refused; i++) {
    const res = await analyse(carol, jobId, { kind: 'outline' });
    if (res.status === 202) {
      accepted++;
      // Counted by the request limits and by the analyses bucket: both policies, both limits, in one answer.
      expect(res.headers.get('ratelimit-policy')).toBe(
        '"user";q=100000;w=60, "key";q=100000;w=60, "analyses";q=2;w=60',
      );
      expect(res.headers.get('ratelimit')).toMatch(/^"(user|key)";r=\d+;t=\d+, "analyses";r=[01];t=\d+$/);
      expect(res.headers.get('retry-after')).toBeNull();
    } else refused = res;
  }
  expect(refused?.status).toBe(429);
  expect(accepted).toBeGreaterThanOrEqual(2);
  expect(accepted).toBeLessThanOrEqual(4);
  const { error } = (await refused!.json()) as { error: { code: string } };
  expect(error.code).toBe('analysis_rate_limited');
  expect(Number(refused!.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(refused!.headers.get('ratelimit')).toMatch(/^"(user|key)";r=\d+;t=\d+, "analyses";r=0;t=\d+$/);
  expect(refused!.headers.get('retry-after')).toBe(
    /"analyses";r=0;t=(\d+)/.exec(refused!.headers.get('ratelimit')!)![1],
  );
  // The refused ones took no AI call; ordinary requests still go through.
  const me = (await (await carol.request('/v1/me')).json()) as { me: { ai: { used: number } } };
  expect(me.me.ai.used).toBe(accepted);
  expect((await carol.request(`/v1/jobs/${jobId}/analyses`)).status).toBe(200);
}, 120_000);

describe('with the Gemini engine (the real @google/genai client on a loopback Vertex AI server)', () => {
  let vertex: RecordingServer;
  let gemini: TestServer;
  let dave: Client;

  beforeAll(async () => {
    vertex = await startRecordingServer(() => ({
      status: 200,
      body: {
        candidates: [
          {
            content: {
              role: 'model',
              parts: [
                {
                  text: JSON.stringify({
                    found: true,
                    claims: [
                      {
                        statement: 'At least 40,000 pages a month (see https://evil.example/x).',
                        quotes: ['The Contractor must scan at least 40,000 pages per month at 300 dpi.'],
                      },
                      { statement: 'Invented.', quotes: ['The Contractor shall scan 1,000,000 pages a day.'] },
                    ],
                  }),
                },
              ],
            },
            finishReason: 'STOP',
          },
        ],
        usageMetadata: { promptTokenCount: 1000, candidatesTokenCount: 200, totalTokenCount: 1200 },
        modelVersion: 'gemini-2.5-flash',
      },
    }));
    const ai = new GoogleGenAI({
      vertexai: true,
      project: 'mdraft-test',
      location: 'europe-west1',
      googleAuthOptions: { authClient: stubAuthClient as never },
      httpOptions: { baseUrl: vertex.origin, fetch: ((url: string, init: RequestInit) => fetch(url, init)) as never },
    });
    gemini = await startTestServer(
      { MDRAFT_PLANS: PLANS },
      { analyzer: createGeminiAnalyzer({ ai, model: 'gemini-2.5-flash', sleep: async () => undefined }) },
    );
    dave = new Client(gemini.url, gemini.apiKey!);
  }, 60_000);

  afterAll(async () => {
    await gemini?.stop();
    await vertex?.close();
  });

  test('the analysis records the engine, tokens and cost; unverifiable claims are dropped, foreign URLs removed', async () => {
    const jobId = await convertedRfp(dave);
    const res = await analyse(dave, jobId, { kind: 'ask', question: 'How many pages per month must be scanned?' });
    expect(res.status).toBe(202);
    const { analysis } = (await res.json()) as AnalysisBody;
    expect(analysis.engine).toBe('gemini');
    const done = (await settled(dave, jobId, analysis.id)) as AnalysisBody['analysis'] & {
      usage?: { model: string; calls: number; inputTokens: number; outputTokens: number; costUsd: number };
      droppedClaims?: number;
    };
    expect(done).toMatchObject({ status: 'succeeded', engine: 'gemini', droppedClaims: 1 });
    expect(done.usage).toMatchObject({ model: 'gemini-2.5-flash', calls: 1, inputTokens: 1000, outputTokens: 200 });
    expect(done.usage!.costUsd).toBeCloseTo((1000 * 0.3 + 200 * 2.5) / 1e6, 10);
    expect(done.warnings).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'urls_removed' })]));
    expect(JSON.stringify(done.result)).not.toContain('evil.example');
    expect(JSON.stringify(done.result)).toContain('40,000 pages per month');
    expect(vertex.requests).toHaveLength(1);
  }, 120_000);
});
