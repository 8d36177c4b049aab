/**
 * The analysis use cases on the real local adapters (harness.ts): create (allowance, job state, ownership),
 * the worker's run (offline engine, retries, permanent errors, lost leases), reads, CSV, deletion with the job
 * and cleanup's recovery.
 */
import { makeHarness, okResult, T0, type Harness } from '../jobs/harness.ts';
import { handleUploadFinalized } from '../../../shared/service/jobs/upload-finalized.ts';
import { runConversion } from '../../../shared/service/jobs/run-conversion.ts';
import { deleteOwnedJob } from '../../../shared/service/jobs/queries.ts';
import { cleanup } from '../../../shared/service/jobs/cleanup.ts';
import { JobNotFoundError } from '../../../shared/service/jobs/errors.ts';
import { createAnalysis } from '../../../shared/service/analyses/create-analysis.ts';
import { runAnalysis } from '../../../shared/service/analyses/run-analysis.ts';
import {
  getOwnedAnalysis,
  listOwnedAnalyses,
  readAnalysisResult,
  requirementsCsv,
} from '../../../shared/service/analyses/queries.ts';
import {
  AiQuotaExceededError,
  AnalysisNotFoundError,
  AnalysisResultUnavailableError,
  JobNotSucceededError,
} from '../../../shared/service/analyses/errors.ts';
import { toAnalysisView } from '../../../shared/service/analyses/view.ts';
import { AnalysisError, type Analyzer } from '../../../shared/analysis/port.ts';
import { DEFAULT_PLANS } from '../../../shared/service/accounts/plans.ts';

const RFP = [
  '# 1 Instructions to offerors',
  '',
  'Proposals shall be submitted by 15 March 2027 at 14:00.',
  '',
  'The offeror must not exceed 20 pages in the technical volume.',
  '',
  '# 2 Evaluation',
  '',
  'The Government will evaluate proposals on technical merit and price.',
  '',
  'Offerors may propose alternative staffing.',
  '',
].join('\n');

let h: Harness;
const PLANS = JSON.stringify({ ...DEFAULT_PLANS, free: { ...DEFAULT_PLANS.free, aiCallsPerMonth: 3 } });
beforeEach(() => {
  h = makeHarness({ MDRAFT_PLANS: PLANS });
  h.setRunner(async () => okResult(RFP));
});
afterEach(() => h.dispose());

async function convertedJob(owner = 'alice'): Promise<string> {
  const bytes = Buffer.from('content\n');
  const { jobId, name, generation } = await h.uploaded(bytes, { owner });
  await handleUploadFinalized(h.deps, { bucket: h.deps.uploads.bucket, name, generation, size: bytes.length });
  expect(await runConversion(h.deps, { jobId, deliveryAttempt: 1 })).toBe('succeeded');
  return jobId;
}

test('an analysis of a succeeded job is queued on the task queue, run by the worker and read back with its result and CSV', async () => {
  const jobId = await convertedJob();
  const before = h.queue.tasks.size;
  const a = await createAnalysis(h.deps, { owner: 'alice', jobId, request: { kind: 'requirements' } });
  expect(a).toMatchObject({ status: 'queued', kind: 'requirements', engine: 'offline', jobId, charge: 'reserved' });
  expect(h.queue.tasks.size).toBe(before + 1);
  const task = h.queue.tasks.get(a.id)!;
  expect(task).toMatchObject({ url: h.deps.config.workerUrl, body: { jobId, analysisId: a.id }, fairnessKey: 'alice' });
  await expect(readAnalysisResult(h.deps, a)).rejects.toMatchObject({ code: 'analysis_not_ready' });

  expect(await runAnalysis(h.deps, { analysisId: a.id, deliveryAttempt: 1 })).toBe('succeeded');
  // A redelivery of the same task changes nothing.
  expect(await runAnalysis(h.deps, { analysisId: a.id, deliveryAttempt: 2 })).toBe('noop');
  const done = await getOwnedAnalysis(h.deps, 'alice', jobId, a.id);
  expect(done).toMatchObject({ status: 'succeeded', attempts: 1, charge: 'settled' });
  const result = await readAnalysisResult(h.deps, done);
  if (result.kind !== 'requirements') throw new Error('wrong kind');
  const texts = result.requirements.map((r) => r.text);
  expect(texts).toEqual(
    expect.arrayContaining([
      'Proposals shall be submitted by 15 March 2027 at 14:00.',
      'The offeror must not exceed 20 pages in the technical volume.',
    ]),
  );
  const negative = result.requirements.find((r) => r.text.startsWith('The offeror must not'))!;
  expect(negative).toMatchObject({ negative: true, level: 'prohibited', section: { number: '1' } });
  expect(RFP.slice(negative.start, negative.end)).toBe(negative.text);

  let csv = '';
  for await (const record of requirementsCsv(result)) csv += record;
  const lines = csv.split('\r\n');
  expect(lines[0]).toBe('id,section,heading,page,level,modal,party,category,dates,quantities,text,start,end');
  expect(lines).toHaveLength(result.requirements.length + 2); // header, rows, the empty string after the last CRLF
  expect(csv).toContain('15 March 2027');

  const view = toAnalysisView(done, result);
  expect(view).toMatchObject({ id: a.id, status: 'succeeded', engine: 'offline', result: { kind: 'requirements' } });
  expect(view.usage).toBeUndefined();
  expect(await h.store.getAiQuota('alice', '2027-01')).toMatchObject({ calls: 1 });
  expect(await h.store.listAiUsageDays('alice', { from: '2027-01-01', to: '2027-01-31' })).toEqual([
    { owner: 'alice', day: '2027-01-10', format: 'text', calls: 1 },
  ]);
});

test('ask, summary and outline run on the same document; CSV is for requirements only', async () => {
  const jobId = await convertedJob();
  const ask = await createAnalysis(h.deps, {
    owner: 'alice',
    jobId,
    request: { kind: 'ask', question: 'How many pages may the technical volume have?' },
  });
  const summary = await createAnalysis(h.deps, { owner: 'alice', jobId, request: { kind: 'summary' } });
  const outline = await createAnalysis(h.deps, { owner: 'alice', jobId, request: { kind: 'outline' } });
  for (const a of [ask, summary, outline])
    expect(await runAnalysis(h.deps, { analysisId: a.id, deliveryAttempt: 1 })).toBe('succeeded');
  const answer = await readAnalysisResult(h.deps, await getOwnedAnalysis(h.deps, 'alice', jobId, ask.id));
  if (answer.kind !== 'ask') throw new Error('wrong kind');
  expect(answer.found).toBe(true);
  expect(answer.claims[0].quotes[0].text).toContain('20 pages');
  const o = await readAnalysisResult(h.deps, await getOwnedAnalysis(h.deps, 'alice', jobId, outline.id));
  if (o.kind !== 'outline') throw new Error('wrong kind');
  expect(o.outline.map((e) => e.heading)).toEqual(['1 Instructions to offerors', '2 Evaluation']);
  expect(() => requirementsCsv(o)).toThrow(AnalysisResultUnavailableError);
  const page = await listOwnedAnalyses(h.deps, 'alice', jobId, { limit: 2 });
  expect(page.analyses).toHaveLength(2);
  expect(page.nextCursor).toBeDefined();
  const rest = await listOwnedAnalyses(h.deps, 'alice', jobId, { limit: 2, cursor: page.nextCursor! });
  expect([...page.analyses, ...rest.analyses].map((a) => a.id).sort()).toEqual([ask.id, summary.id, outline.id].sort());
});

test('only the owner’s succeeded job: others are not found, unfinished ones are refused; the month’s AI calls are enforced', async () => {
  const jobId = await convertedJob();
  await expect(
    createAnalysis(h.deps, { owner: 'mallory', jobId, request: { kind: 'summary' } }),
  ).rejects.toBeInstanceOf(JobNotFoundError);
  const { jobId: pending } = await h.uploaded(Buffer.from('x'));
  await expect(
    createAnalysis(h.deps, { owner: 'alice', jobId: pending, request: { kind: 'summary' } }),
  ).rejects.toBeInstanceOf(JobNotSucceededError);
  const first = await createAnalysis(h.deps, { owner: 'alice', jobId, request: { kind: 'summary' } });
  await expect(getOwnedAnalysis(h.deps, 'mallory', jobId, first.id)).rejects.toBeInstanceOf(JobNotFoundError);
  const otherJob = await convertedJob();
  await expect(getOwnedAnalysis(h.deps, 'alice', otherJob, first.id)).rejects.toBeInstanceOf(AnalysisNotFoundError);
  await expect(getOwnedAnalysis(h.deps, 'alice', jobId, '../x')).rejects.toBeInstanceOf(AnalysisNotFoundError);
  await createAnalysis(h.deps, { owner: 'alice', jobId, request: { kind: 'summary' } });
  await createAnalysis(h.deps, { owner: 'alice', jobId, request: { kind: 'summary' } });
  const refused = createAnalysis(h.deps, { owner: 'alice', jobId, request: { kind: 'summary' } });
  await expect(refused).rejects.toBeInstanceOf(AiQuotaExceededError);
  await expect(refused).rejects.toMatchObject({ code: 'ai_quota_exceeded', limit: 3, used: 3 });
  // A failed analysis gives its call back.
  h.deps.analyzer = failing(new AnalysisError('model_blocked', 'the model refused', false));
  expect(await runAnalysis(h.deps, { analysisId: first.id, deliveryAttempt: 1 })).toBe('failed');
  expect(await getOwnedAnalysis(h.deps, 'alice', jobId, first.id)).toMatchObject({
    status: 'failed',
    error: { code: 'model_blocked' },
  });
  await expect(
    readAnalysisResult(h.deps, await getOwnedAnalysis(h.deps, 'alice', jobId, first.id)),
  ).rejects.toMatchObject({ code: 'analysis_failed' });
  expect((await createAnalysis(h.deps, { owner: 'alice', jobId, request: { kind: 'outline' } })).status).toBe('queued');
});

test('a retryable engine error gives the lease back until the last attempt, which fails the analysis', async () => {
  const jobId = await convertedJob();
  const a = await createAnalysis(h.deps, { owner: 'alice', jobId, request: { kind: 'summary' } });
  h.deps.analyzer = failing(new AnalysisError('model_unavailable', '503 from the model', true));
  expect(await runAnalysis(h.deps, { analysisId: a.id, deliveryAttempt: 1 })).toBe('retry');
  expect(await h.store.getAnalysis(a.id)).toMatchObject({ status: 'queued', lastError: { code: 'model_unavailable' } });
  expect(await runAnalysis(h.deps, { analysisId: a.id, deliveryAttempt: 2 })).toBe('retry');
  expect(await runAnalysis(h.deps, { analysisId: a.id, deliveryAttempt: 3 })).toBe('failed');
  expect(await h.store.getAnalysis(a.id)).toMatchObject({ status: 'failed', error: { code: 'attempts_exhausted' } });
  expect(await h.store.getAiQuota('alice', '2027-01')).toMatchObject({ calls: 0 });
  // An unexpected error is transient too.
  const b = await createAnalysis(h.deps, { owner: 'alice', jobId, request: { kind: 'summary' } });
  h.deps.analyzer = failing(new Error('socket hang up'));
  expect(await runAnalysis(h.deps, { analysisId: b.id, deliveryAttempt: 1 })).toBe('retry');
});

test('the Gemini engine’s usage (tokens, cost) is kept on the analysis', async () => {
  const jobId = await convertedJob();
  const usage = { model: 'gemini-2.5-flash', calls: 1, inputTokens: 1200, outputTokens: 80, costUsd: 0.00056 };
  h.deps.analyzer = {
    engine: 'gemini',
    analyze: async () => ({ kind: 'outline', engine: 'gemini', warnings: [], droppedClaims: 2, usage, outline: [] }),
  };
  const a = await createAnalysis(h.deps, { owner: 'alice', jobId, request: { kind: 'outline' } });
  expect(a.engine).toBe('gemini');
  expect(await runAnalysis(h.deps, { analysisId: a.id, deliveryAttempt: 1 })).toBe('succeeded');
  expect(toAnalysisView(await h.store.getAnalysis(a.id).then((x) => x!))).toMatchObject({
    engine: 'gemini',
    usage,
    droppedClaims: 2,
  });
  // An engine answering outside the result schema fails permanently rather than storing it.
  h.deps.analyzer = { engine: 'gemini', analyze: async () => ({ kind: 'outline', injected: true }) as never };
  const b = await createAnalysis(h.deps, { owner: 'alice', jobId, request: { kind: 'outline' } });
  expect(await runAnalysis(h.deps, { analysisId: b.id, deliveryAttempt: 1 })).toBe('failed');
  expect(await h.store.getAnalysis(b.id)).toMatchObject({ status: 'failed', error: { code: 'model_output_invalid' } });
  expect(await h.deps.results.list(`${jobId}/analyses/`)).toHaveLength(1);
});

test('deleting the job deletes its analyses and their results; a worker still running finds it gone and writes nothing', async () => {
  const jobId = await convertedJob();
  const a = await createAnalysis(h.deps, { owner: 'alice', jobId, request: { kind: 'requirements' } });
  expect(await runAnalysis(h.deps, { analysisId: a.id, deliveryAttempt: 1 })).toBe('succeeded');
  const result = (await h.store.getAnalysis(a.id))!.resultObject!;
  expect(await h.deps.results.stat(result)).toBeDefined();
  const b = await createAnalysis(h.deps, { owner: 'alice', jobId, request: { kind: 'summary' } });
  let release!: () => void;
  let entered!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const analysing = new Promise<void>((r) => (entered = r));
  h.deps.analyzer = {
    engine: 'offline',
    analyze: async () => {
      entered();
      await gate;
      return { kind: 'outline', engine: 'offline', warnings: [], droppedClaims: 0, outline: [] };
    },
  };
  const running = runAnalysis(h.deps, { analysisId: b.id, deliveryAttempt: 1 });
  await analysing;
  await deleteOwnedJob(h.deps, 'alice', jobId);
  release();
  expect(await running).toBe('noop');
  expect(await h.store.getAnalysis(a.id)).toBeUndefined();
  expect(await h.store.getAnalysis(b.id)).toBeUndefined();
  expect(await h.deps.results.list(`${jobId}/`)).toEqual([]);
  // The succeeded call stays counted, and so does the one deleted while running (its model call was under way).
  expect(await h.store.getAiQuota('alice', '2027-01')).toMatchObject({ calls: 2 });
});

test('cleanup fails an analysis whose worker was lost on the last attempt and re-enqueues one whose task was lost', async () => {
  const jobId = await convertedJob();
  const lost = await createAnalysis(h.deps, { owner: 'alice', jobId, request: { kind: 'summary' } });
  for (let i = 0; i < h.deps.config.maxAttempts; i++) {
    const c = await h.store.claimAnalysis(lost.id, { leaseMs: 1000, now: h.clock.now });
    expect(c.ok).toBe(true);
    h.clock.now += 2000;
  }
  const stuck = await createAnalysis(h.deps, { owner: 'alice', jobId, request: { kind: 'outline' } });
  h.queue.tasks.delete(stuck.id);
  h.clock.now += h.deps.config.requeueAfterMs + 1;
  const report = await cleanup(h.deps);
  expect(report).toMatchObject({ analysesFailed: 1, analysesRequeued: 1 });
  expect(await h.store.getAnalysis(lost.id)).toMatchObject({ status: 'failed', error: { code: 'attempts_exhausted' } });
  expect(h.queue.tasks.get(stuck.id)?.body).toEqual({ jobId, analysisId: stuck.id });
  expect(h.clock.now).toBeGreaterThan(T0);
});

function failing(error: Error): Analyzer {
  return {
    engine: 'offline',
    analyze: async () => {
      throw error;
    },
  };
}

test("the last delivery that meets a dead worker's lease schedules a takeover, which runs the analysis", async () => {
  const jobId = await convertedJob();
  const analysis = await createAnalysis(h.deps, { owner: 'alice', jobId, request: { kind: 'summary' } });
  // The worker that claimed it died: its lease is live, nobody renews it.
  const dead = await h.store.claimAnalysis(analysis.id, { leaseMs: h.deps.config.leaseMs, now: h.clock.now });
  if (!dead.ok) throw new Error('not claimed');
  const last = h.deps.config.maxAttempts;
  expect(await runAnalysis(h.deps, { analysisId: analysis.id, deliveryAttempt: last })).toBe('noop');
  expect(await runAnalysis(h.deps, { analysisId: analysis.id, deliveryAttempt: last })).toBe('noop');
  const takeovers = [...h.queue.tasks.values()].filter((t) => t.name.startsWith('takeover_'));
  expect(takeovers).toEqual([
    expect.objectContaining({
      body: { jobId, analysisId: analysis.id },
      scheduleTime: new Date(dead.lease.expiresAt + 1000),
    }),
  ]);
  // The takeover, delivered when due, finds the lease expired and runs the analysis.
  h.clock.now = takeovers[0].scheduleTime!.getTime();
  expect(await runAnalysis(h.deps, { analysisId: analysis.id, deliveryAttempt: 1 })).toBe('succeeded');
  expect(await h.store.getAnalysis(analysis.id)).toMatchObject({ status: 'succeeded', attempts: 2 });
});
