/**
 * The JobStore contract: every adapter (node:sqlite, Firestore) must pass the same suite.
 * `describeJobStoreContract('name', factory)` registers it; the factory returns fresh, empty stores on one
 * database (the job store and the account store that reads the usage its completions count).
 */
import type { AccountStore, Analysis, Job, JobStore } from '../../shared/service/ports.ts';
import { newJobId, inputObjectName } from '../../shared/service/jobs/names.ts';
import { newAnalysisId } from '../../shared/service/analyses/names.ts';

export function makeAnalysis(job: Job, createdAt: number, patch: Partial<Analysis> = {}): Analysis {
  return {
    id: newAnalysisId(),
    jobId: job.id,
    owner: job.owner,
    kind: 'requirements',
    status: 'queued',
    engine: 'offline',
    format: job.format ?? 'pdf',
    jobCreatedAt: job.createdAt,
    createdAt,
    updatedAt: createdAt,
    attempts: 0,
    warnings: [],
    chargeMonth: new Date(createdAt).toISOString().slice(0, 7),
    charge: 'reserved',
    ...patch,
  };
}

export interface StoreHandle {
  jobs: JobStore;
  accounts: AccountStore;
  /** A second JobStore on the same database through its own client/connection (another instance), when possible. */
  peerJobs?: JobStore;
  dispose(): Promise<void>;
}

export function makeJob(owner: string, createdAt: number, patch: Partial<Job> = {}): Job {
  const id = newJobId();
  return {
    id,
    owner,
    status: 'awaiting_upload',
    filename: 'doc.pdf',
    contentType: 'application/pdf',
    size: 100,
    inputObject: inputObjectName(owner, id),
    createdAt,
    updatedAt: createdAt,
    uploadDeadline: createdAt + 3600_000,
    attempts: 0,
    warnings: [],
    ...patch,
  };
}

export function describeJobStoreContract(name: string, factory: () => Promise<StoreHandle>): void {
  describe(`JobStore contract: ${name}`, () => {
    let h: StoreHandle;
    let store: JobStore;
    const T = 1_800_000_000_000;
    beforeEach(async () => {
      h = await factory();
      store = h.jobs;
    });
    afterEach(async () => h.dispose());

    async function queued(owner = 'alice', at = T): Promise<Job> {
      const job = makeJob(owner, at);
      await store.createJob(job);
      const r = await store.markQueued(job.id, { eventKey: `b/${job.inputObject}#1`, format: 'pdf', now: at + 1 });
      expect(r.outcome).toBe('queued');
      return (await store.getJob(job.id))!;
    }

    test('create and get round-trip the record; a second create with the same id fails', async () => {
      const job = makeJob('alice', T, { warnings: [{ code: 'x', message: 'y', page: 2 }] });
      await store.createJob(job);
      expect(await store.getJob(job.id)).toEqual(job);
      await expect(store.createJob(job)).rejects.toThrow();
      expect(await store.getJob('job_doesnotexist0000000000')).toBeUndefined();
    });

    test('listJobs: newest first, owner only, paged with a cursor that covers everything once', async () => {
      const mine: Job[] = [];
      for (let i = 0; i < 7; i++) {
        const j = makeJob('alice', T + (i % 3) * 1000); // equal timestamps: the id breaks ties
        mine.push(j);
        await store.createJob(j);
      }
      await store.createJob(makeJob('bob', T + 5000));
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await store.listJobs('alice', { limit: 3, ...(cursor ? { cursor } : {}) });
        expect(page.jobs.length).toBeLessThanOrEqual(3);
        seen.push(...page.jobs.map((j) => j.id));
        cursor = page.nextCursor;
        pages++;
      } while (cursor && pages < 10);
      expect(pages).toBe(3);
      const expected = [...mine].sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1)).map((j) => j.id);
      expect(seen).toEqual(expected);
      expect((await store.listJobs('bob', { limit: 10 })).jobs).toHaveLength(1);
      expect((await store.listJobs('carol', { limit: 10 })).jobs).toEqual([]);
    });

    test('listJobs by name: a case-insensitive prefix of the name or of a word in it, newest first, paged', async () => {
      const names = [
        'Quarterly Report.PDF',
        'quarterly-report_v2.docx',
        'Annual report 2024.docx',
        'Übersicht Bericht.xlsx',
        'transport.csv',
        'notes.txt',
        'REPORT.md',
      ];
      const jobs = names.map((filename, i) => makeJob('alice', T + i * 1000, { filename }));
      for (const j of jobs) await store.createJob(j);
      await store.createJob(makeJob('bob', T + 9000, { filename: 'Zebra report.pdf' }));
      const search = async (name: string, limit = 10) =>
        (await store.listJobs('alice', { limit, name })).jobs.map((j) => j.filename);

      // Newest first; `port` inside `transport`/`report` is not the start of a word.
      expect(await search('rep')).toEqual([
        'REPORT.md',
        'Annual report 2024.docx',
        'quarterly-report_v2.docx',
        'Quarterly Report.PDF',
      ]);
      expect(await search('port')).toEqual([]);
      expect(await search('QUARTERLY R')).toEqual(['Quarterly Report.PDF']);
      expect(await search('annual   report 20')).toEqual(['Annual report 2024.docx']);
      expect(await search('.pdf')).toEqual(['Quarterly Report.PDF']);
      expect(await search('übersicht')).toEqual(['Übersicht Bericht.xlsx']);
      expect(await search('bericht')).toEqual(['Übersicht Bericht.xlsx']);
      expect(await search('2024')).toEqual(['Annual report 2024.docx']);
      expect(await search('v2')).toEqual(['quarterly-report_v2.docx']);
      expect(await search('notes.txt and more')).toEqual([]);
      // Another owner's jobs never match; a name with nothing searchable filters nothing.
      expect(await search('zebra')).toEqual([]);
      expect((await store.listJobs('bob', { limit: 10, name: 'REPORT.pdf' })).jobs.map((j) => j.filename)).toEqual([
        'Zebra report.pdf',
      ]);
      expect(await search('--', 100)).toHaveLength(names.length);

      // Paging through a search: the cursor covers every match once, in order.
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await store.listJobs('alice', { limit: 2, name: 'r', ...(cursor ? { cursor } : {}) });
        expect(page.jobs.length).toBeLessThanOrEqual(2);
        seen.push(...page.jobs.map((j) => j.filename));
        cursor = page.nextCursor;
        pages++;
      } while (cursor && pages < 10);
      expect(seen).toEqual([
        'REPORT.md',
        'Annual report 2024.docx',
        'quarterly-report_v2.docx',
        'Quarterly Report.PDF',
      ]);
      expect(pages).toBe(2);

      // The search follows the record through its transitions (the record is rewritten on each).
      const r = await store.markQueued(jobs[5].id, {
        eventKey: `b/${jobs[5].inputObject}#1`,
        format: 'txt',
        now: T + 1,
      });
      expect(r.outcome).toBe('queued');
      expect(await search('notes')).toEqual(['notes.txt']);
      expect((await store.getJob(jobs[5].id))!.filename).toBe('notes.txt');
    });

    test('markQueued: once per upload; the same key again is a duplicate, another key is stale', async () => {
      const job = makeJob('alice', T);
      await store.createJob(job);
      const key = `b/${job.inputObject}#7`;
      const [a, b] = await Promise.all([
        store.markQueued(job.id, { eventKey: key, format: 'pdf', now: T + 1 }),
        store.markQueued(job.id, { eventKey: key, format: 'pdf', now: T + 2 }),
      ]);
      expect([a.outcome, b.outcome].sort()).toEqual(['duplicate', 'queued']);
      expect(
        (await store.markQueued(job.id, { eventKey: `b/${job.inputObject}#8`, format: 'pdf', now: T + 3 })).outcome,
      ).toBe('stale');
      expect(
        (await store.markQueued('job_missing00000000000000', { eventKey: key, format: 'pdf', now: T })).outcome,
      ).toBe('stale');
      const stored = await store.getJob(job.id);
      expect(stored).toMatchObject({ status: 'queued', eventKey: key, format: 'pdf' });
      // The two calls race: either may win (a networked store gives no order), but the record is the winner's.
      const winner = [a, b].find((r) => r.outcome === 'queued') as Extract<typeof a, { outcome: 'queued' }>;
      expect([T + 1, T + 2]).toContain(stored?.uploadedAt);
      expect(stored?.uploadedAt).toBe(winner.job.uploadedAt);
    });

    test('claim: one lease at a time; an expired lease is taken over; terminal jobs are not claimed', async () => {
      const job = await queued();
      const results = await Promise.all([1, 2, 3].map(() => store.claim(job.id, { leaseMs: 1000, now: T + 10 })));
      const winners = results.filter((r) => r.ok);
      expect(winners).toHaveLength(1);
      expect(results.filter((r) => !r.ok && r.reason === 'leased')).toHaveLength(2);
      const first = winners[0] as Extract<(typeof winners)[0], { ok: true }>;
      expect(first.lease.attempt).toBe(1);
      // Before expiry: refused. After: a takeover with a new lease and attempt 2.
      expect(await store.claim(job.id, { leaseMs: 1000, now: T + 500 })).toMatchObject({ ok: false, reason: 'leased' });
      const second = await store.claim(job.id, { leaseMs: 1000, now: T + 1011 });
      expect(second.ok).toBe(true);
      if (!second.ok) return;
      expect(second.lease.attempt).toBe(2);
      expect(second.lease.leaseId).not.toBe(first.lease.leaseId);
      // The superseded holder can no longer finish or fail the job.
      const objs = { markdown: 'm', json: 'j' };
      expect(
        await store.complete(job.id, first.lease.leaseId, { warnings: [], resultObjects: objs, now: T + 1100 }),
      ).toBe(false);
      expect(
        await store.fail(job.id, { error: { code: 'x', message: 'y' }, leaseId: first.lease.leaseId, now: T + 1100 }),
      ).toBe(false);
      expect(
        await store.complete(job.id, second.lease.leaseId, {
          warnings: [],
          pages: 3,
          resultObjects: objs,
          now: T + 1200,
        }),
      ).toBe(true);
      expect(
        await store.complete(job.id, second.lease.leaseId, {
          warnings: [],
          pages: 3,
          resultObjects: objs,
          now: T + 1300,
        }),
      ).toBe(false);
      expect(await store.claim(job.id, { leaseMs: 1000, now: T + 5000 })).toMatchObject({
        ok: false,
        reason: 'finished',
      });
      const done = await store.getJob(job.id);
      expect(done).toMatchObject({
        status: 'succeeded',
        pages: 3,
        attempts: 2,
        finishedAt: T + 1200,
        resultObjects: objs,
      });
      expect(done?.leaseId).toBeUndefined();
      expect(await store.claim('job_missing00000000000000', { leaseMs: 1, now: T })).toEqual({
        ok: false,
        reason: 'not_found',
      });
    });

    test('claim refuses a job still awaiting its upload', async () => {
      const job = makeJob('alice', T);
      await store.createJob(job);
      expect(await store.claim(job.id, { leaseMs: 1000, now: T })).toMatchObject({ ok: false, reason: 'not_ready' });
    });

    test('extendLease: only the holder renews, a renewed lease keeps others out, a lost one is refused', async () => {
      const job = await queued();
      const c = await store.claim(job.id, { leaseMs: 1000, now: T + 10 });
      if (!c.ok) throw new Error('claim refused');
      expect(await store.extendLease(job.id, 'not-the-lease', { leaseMs: 1000, now: T + 500 })).toBe(false);
      expect(await store.extendLease(job.id, c.lease.leaseId, { leaseMs: 1000, now: T + 900 })).toBe(true);
      expect((await store.getJob(job.id))!.leaseExpiresAt).toBe(T + 1900);
      // Past the original expiry, the renewed lease still holds: no takeover.
      expect(await store.claim(job.id, { leaseMs: 1000, now: T + 1500 })).toMatchObject({
        ok: false,
        reason: 'leased',
      });
      // Once it runs out, another delivery takes over and the old holder's heartbeat is refused.
      const t = await store.claim(job.id, { leaseMs: 1000, now: T + 1901 });
      expect(t.ok).toBe(true);
      expect(await store.extendLease(job.id, c.lease.leaseId, { leaseMs: 1000, now: T + 1950 })).toBe(false);
      expect(await store.extendLease('job_doesnotexist0000000000', 'x', { leaseMs: 1, now: T })).toBe(false);
      if (!t.ok) return;
      await store.complete(job.id, t.lease.leaseId, {
        warnings: [],
        resultObjects: { markdown: 'm', json: 'j' },
        now: T + 2000,
      });
      expect(await store.extendLease(job.id, t.lease.leaseId, { leaseMs: 1000, now: T + 2001 })).toBe(false);
    });

    test('release gives the job back to the queue and keeps the error for diagnosis', async () => {
      const job = await queued();
      const c = await store.claim(job.id, { leaseMs: 10_000, now: T + 10 });
      if (!c.ok) throw new Error('claim failed');
      expect(
        await store.release(job.id, 'not-the-lease', { error: { code: 'internal', message: 'x' }, now: T + 20 }),
      ).toBe(false);
      expect(
        await store.release(job.id, c.lease.leaseId, { error: { code: 'internal', message: 'boom' }, now: T + 20 }),
      ).toBe(true);
      expect(await store.getJob(job.id)).toMatchObject({
        status: 'queued',
        lastError: { code: 'internal', message: 'boom' },
        attempts: 1,
      });
      const again = await store.claim(job.id, { leaseMs: 10_000, now: T + 30 });
      expect(again.ok && again.lease.attempt).toBe(2);
    });

    test('fail without a lease never takes a job from under a live worker', async () => {
      const job = await queued();
      const c = await store.claim(job.id, { leaseMs: 1000, now: T + 10 });
      expect(c.ok).toBe(true);
      const err = { code: 'worker_lost', message: 'gone' };
      expect(await store.fail(job.id, { error: err, now: T + 500 })).toBe(false);
      expect(await store.fail(job.id, { error: err, now: T + 2000 })).toBe(true);
      expect(await store.fail(job.id, { error: err, now: T + 3000 })).toBe(false);
      expect(await store.getJob(job.id)).toMatchObject({ status: 'failed', error: err, finishedAt: T + 2000 });
    });

    test('expire only applies to jobs awaiting their upload', async () => {
      const waiting = makeJob('alice', T);
      await store.createJob(waiting);
      const q = await queued();
      expect(await store.expire(waiting.id, { now: T + 1 })).toBe(true);
      expect(await store.expire(waiting.id, { now: T + 2 })).toBe(false);
      expect(await store.expire(q.id, { now: T + 2 })).toBe(false);
      expect((await store.getJob(waiting.id))?.status).toBe('expired');
    });

    test('transitions from the wrong state or lease are refused and change nothing', async () => {
      const waiting = makeJob('alice', T);
      await store.createJob(waiting);
      const err = { code: 'x', message: 'y' };
      const objs = { markdown: 'm', json: 'j' };
      // Nothing holds a job that is not processing: release, complete and fail-with-lease are refused.
      expect(await store.release(waiting.id, 'lease', { error: err, now: T + 1 })).toBe(false);
      expect(await store.complete(waiting.id, 'lease', { warnings: [], resultObjects: objs, now: T + 1 })).toBe(false);
      expect(await store.fail(waiting.id, { error: err, leaseId: 'lease', now: T + 1 })).toBe(false);
      expect(await store.getJob(waiting.id)).toEqual(waiting);
      // A finished job stays finished: no fail, expire, release or queueing.
      expect(await store.fail(waiting.id, { error: err, now: T + 2 })).toBe(true);
      const failed = await store.getJob(waiting.id);
      expect(failed).toMatchObject({ status: 'failed', error: err, finishedAt: T + 2 });
      expect(await store.fail(waiting.id, { error: { code: 'z', message: 'z' }, now: T + 3 })).toBe(false);
      expect(await store.expire(waiting.id, { now: T + 3 })).toBe(false);
      expect((await store.markQueued(waiting.id, { eventKey: 'b/other#1', format: 'pdf', now: T + 3 })).outcome).toBe(
        'stale',
      );
      expect(await store.getJob(waiting.id)).toEqual(failed);
      // Missing jobs: every transition answers no.
      const missing = 'job_missing00000000000000';
      expect(await store.release(missing, 'lease', { error: err, now: T })).toBe(false);
      expect(await store.complete(missing, 'lease', { warnings: [], resultObjects: objs, now: T })).toBe(false);
      expect(await store.fail(missing, { error: err, now: T })).toBe(false);
      expect(await store.expire(missing, { now: T })).toBe(false);
    });

    test('webhook attempts: recorded once each, in order, only on an ended job with a pending webhook', async () => {
      const webhook = {
        url: 'https://hooks.example/in',
        keyId: 'k'.repeat(64),
        eventId: 'evt_1',
        state: 'pending' as const,
        attempts: 0,
      };
      const job = makeJob('alice', T, { webhook });
      await store.createJob(job);
      const attempt = (n: number, extra: object = {}) => ({
        attempt: n,
        now: T + n,
        delivered: false,
        maxAttempts: 3,
        status: 500,
        error: { code: 'http_status', message: 'the receiver answered 500' },
        ...extra,
      });
      // Not ended yet: nothing to deliver.
      expect(await store.recordWebhookAttempt(job.id, attempt(1))).toBeUndefined();
      expect(await store.fail(job.id, { error: { code: 'x', message: 'y' }, now: T })).toBe(true);
      const first = await store.recordWebhookAttempt(job.id, attempt(1));
      expect(first?.webhook).toEqual({
        ...webhook,
        attempts: 1,
        lastAttemptAt: T + 1,
        lastStatus: 500,
        lastError: { code: 'http_status', message: 'the receiver answered 500' },
      });
      // The same attempt again (a redelivered task), or one out of order: refused.
      expect(await store.recordWebhookAttempt(job.id, attempt(1))).toBeUndefined();
      expect(await store.recordWebhookAttempt(job.id, attempt(3))).toBeUndefined();
      const second = await store.recordWebhookAttempt(job.id, attempt(2, { delivered: true, status: 204 }));
      expect(second?.webhook).toEqual({
        ...webhook,
        state: 'delivered',
        attempts: 2,
        lastAttemptAt: T + 2,
        lastStatus: 204,
        deliveredAt: T + 2,
      });
      expect(await store.getJob(job.id)).toEqual(second);
      expect(await store.recordWebhookAttempt(job.id, attempt(3))).toBeUndefined();
      expect(await store.recordWebhookAttempt('job_missing00000000000000', attempt(1))).toBeUndefined();
    });

    test('webhook outbox: a job refused when its upload is counted (over the allowance) owes its event too', async () => {
      const refused = makeJob('alice', T, {
        webhook: {
          url: 'https://hooks.example/in',
          keyId: 'k'.repeat(64),
          eventId: 'evt_r',
          state: 'pending',
          attempts: 0,
        },
      });
      await store.createJob(refused);
      const charge = { units: 5, month: '2027-01', limit: 3, confirmWindowMs: 60_000 };
      const answer = await store.markQueued(refused.id, {
        eventKey: `b/${refused.inputObject}#1`,
        format: 'pdf',
        now: T + 5,
        charge,
      });
      expect(answer).toMatchObject({
        outcome: 'refused',
        job: { status: 'failed', error: { code: 'quota_exceeded' } },
      });
      expect((await store.getJob(refused.id))?.webhook?.outboxAt).toBe(T + 5);
      expect((await store.findWebhookOutbox(T + 6, 10)).map((j) => j.id)).toEqual([refused.id]);
    });

    test('webhook outbox: the write that ends a job puts its event in the outbox; the enqueue or an attempt takes it out', async () => {
      const hook = (eventId: string) => ({
        url: 'https://hooks.example/in',
        keyId: 'k'.repeat(64),
        eventId,
        state: 'pending' as const,
        attempts: 0,
      });
      const failed = makeJob('alice', T, { webhook: hook('evt_failed') });
      const expired = makeJob('alice', T, { webhook: hook('evt_expired') });
      const plain = makeJob('alice', T);
      for (const j of [failed, expired, plain]) await store.createJob(j);
      const done = makeJob('alice', T, { webhook: hook('evt_done') });
      await store.createJob(done);
      await store.markQueued(done.id, { eventKey: `b/${done.inputObject}#1`, format: 'pdf', now: T + 1 });
      const claimed = await store.claim(done.id, { leaseMs: 1000, now: T + 2 });
      if (!claimed.ok) throw new Error('claim refused');
      // Not ended: nothing owed yet (and being queued or claimed puts nothing in the outbox).
      expect(await store.findWebhookOutbox(T + 1e9, 10)).toEqual([]);

      const err = { code: 'x', message: 'y' };
      expect(await store.fail(failed.id, { error: err, now: T + 10 })).toBe(true);
      expect(await store.expire(expired.id, { now: T + 20 })).toBe(true);
      expect(await store.fail(plain.id, { error: err, now: T + 25 })).toBe(true);
      expect(
        await store.complete(done.id, claimed.lease.leaseId, {
          warnings: [],
          resultObjects: { markdown: 'm', json: 'j' },
          now: T + 30,
        }),
      ).toBe(true);
      // The terminal write itself carries the outbox entry, at the instant the job ended.
      expect((await store.getJob(failed.id))?.webhook).toEqual({ ...hook('evt_failed'), outboxAt: T + 10 });
      expect((await store.getJob(expired.id))?.webhook?.outboxAt).toBe(T + 20);
      expect((await store.getJob(done.id))?.webhook?.outboxAt).toBe(T + 30);
      expect((await store.getJob(plain.id))?.webhook).toBeUndefined();

      const ids = async (before: number, limit = 10) => (await store.findWebhookOutbox(before, limit)).map((j) => j.id);
      expect(await ids(T + 10)).toEqual([]);
      expect(await ids(T + 21)).toEqual([failed.id, expired.id]);
      expect(await ids(T + 31, 1)).toEqual([failed.id]);
      expect(await ids(T + 31)).toEqual([failed.id, expired.id, done.id]);

      // Enqueued: out of the outbox, once; another event id or a missing job changes nothing.
      expect(await store.markWebhookEnqueued(failed.id, 'evt_other')).toBe(false);
      expect(await store.markWebhookEnqueued(failed.id, 'evt_failed')).toBe(true);
      expect(await store.markWebhookEnqueued(failed.id, 'evt_failed')).toBe(false);
      expect(await store.markWebhookEnqueued('job_missing00000000000000', 'evt_failed')).toBe(false);
      expect((await store.getJob(failed.id))?.webhook).toEqual(hook('evt_failed'));
      expect(await ids(T + 31)).toEqual([expired.id, done.id]);

      // An attempt recorded proves the enqueue happened, whatever became of the mark.
      const recorded = await store.recordWebhookAttempt(expired.id, {
        attempt: 1,
        now: T + 40,
        delivered: true,
        status: 204,
        maxAttempts: 3,
      });
      expect(recorded?.webhook?.outboxAt).toBeUndefined();
      expect((await store.getJob(expired.id))?.webhook?.outboxAt).toBeUndefined();
      expect(await ids(T + 1e9)).toEqual([done.id]);
    });

    test('the cleanup queries find exactly the jobs they describe', async () => {
      const old = makeJob('alice', T - 40 * 86400_000);
      const lateUpload = makeJob('alice', T, { uploadDeadline: T + 10 });
      await store.createJob(old);
      await store.createJob(lateUpload);
      const q = await queued('alice', T);
      const p = await queued('alice', T);
      const c = await store.claim(p.id, { leaseMs: 100, now: T + 5 });
      expect(c.ok).toBe(true);
      expect((await store.findCreatedBefore(T - 30 * 86400_000, 10)).map((j) => j.id)).toEqual([old.id]);
      expect((await store.findUploadExpired(T + 11, 10)).map((j) => j.id).sort()).toEqual(
        [old.id, lateUpload.id].sort(),
      );
      expect((await store.findLeaseExpired(T + 106, 10)).map((j) => j.id)).toEqual([p.id]);
      expect(await store.findLeaseExpired(T + 50, 10)).toEqual([]);
      expect((await store.findQueuedBefore(T + 100, 10)).map((j) => j.id)).toEqual([q.id]);
      expect(await store.deleteJob(old.id)).toBe(true);
      expect(await store.deleteJob(old.id)).toBe(false);
      expect(await store.getJob(old.id)).toBeUndefined();
    });

    describe('analyses', () => {
      const MONTH = new Date(T).toISOString().slice(0, 7);
      const DAY = new Date(T).toISOString().slice(0, 10);

      async function succeeded(owner = 'alice'): Promise<Job> {
        const job = await queued(owner);
        const c = await store.claim(job.id, { leaseMs: 1000, now: T + 2 });
        if (!c.ok) throw new Error('claim failed');
        const objs = { markdown: `${job.id}/result.md`, json: `${job.id}/result.json` };
        expect(await store.complete(job.id, c.lease.leaseId, { warnings: [], resultObjects: objs, now: T + 3 })).toBe(
          true,
        );
        return (await store.getJob(job.id))!;
      }

      test('createAnalysis: only on the owner’s succeeded job, one AI call reserved in the same transaction, refused past the limit', async () => {
        const job = await succeeded();
        const a = makeAnalysis(job, T + 10, { kind: 'ask', question: 'When are proposals due?' });
        expect(await store.createAnalysis(a, { limit: 2 })).toEqual({ outcome: 'created', analysis: a });
        expect(await store.getAnalysis(a.id)).toEqual(a);
        expect(await store.getAiQuota('alice', MONTH)).toEqual({ owner: 'alice', month: MONTH, calls: 1 });
        await expect(store.createAnalysis(a, { limit: 10 })).rejects.toThrow();
        expect(await store.getAiQuota('alice', MONTH)).toMatchObject({ calls: 1 });
        // Not succeeded, or not the owner's: nothing written, nothing counted.
        const pending = await queued();
        const early = makeAnalysis(pending, T + 11);
        expect(await store.createAnalysis(early, { limit: 10 })).toMatchObject({
          outcome: 'job_not_ready',
          job: { id: pending.id, status: 'queued' },
        });
        expect(await store.getAnalysis(early.id)).toBeUndefined();
        const stolen = makeAnalysis(job, T + 11, { owner: 'mallory' });
        expect((await store.createAnalysis(stolen, { limit: 10 })).outcome).toBe('job_not_ready');
        const ghost = makeAnalysis(makeJob('alice', T), T + 11);
        expect((await store.createAnalysis(ghost, { limit: 10 })).outcome).toBe('job_not_ready');
        // 2 of 2: the third is refused; another month and another owner have their own counters.
        expect((await store.createAnalysis(makeAnalysis(job, T + 12), { limit: 2 })).outcome).toBe('created');
        const over = makeAnalysis(job, T + 13);
        expect(await store.createAnalysis(over, { limit: 2 })).toEqual({ outcome: 'refused', used: 2 });
        expect(await store.getAnalysis(over.id)).toBeUndefined();
        expect(await store.getAiQuota('alice', MONTH)).toMatchObject({ calls: 2 });
        expect(await store.getAiQuota('alice', '2099-01')).toMatchObject({ calls: 0 });
        const bobs = await succeeded('bob');
        expect((await store.createAnalysis(makeAnalysis(bobs, T + 14), { limit: 1 })).outcome).toBe('created');
      });

      test('listAnalyses: one job’s analyses, newest first, paged with a cursor that covers everything once', async () => {
        const job = await succeeded();
        const other = await succeeded();
        const ids: string[] = [];
        for (let i = 0; i < 5; i++) {
          const a = makeAnalysis(job, T + 10 + (i % 2)); // equal timestamps: the id breaks ties
          await store.createAnalysis(a, { limit: 100 });
          ids.push(a.id);
        }
        await store.createAnalysis(makeAnalysis(other, T + 50), { limit: 100 });
        const seen: Analysis[] = [];
        let cursor: string | undefined;
        for (let pages = 0; pages < 10; pages++) {
          const page = await store.listAnalyses(job.id, { limit: 2, ...(cursor ? { cursor } : {}) });
          expect(page.analyses.length).toBeLessThanOrEqual(2);
          seen.push(...page.analyses);
          cursor = page.nextCursor;
          if (!cursor) break;
        }
        expect(seen.map((a) => a.id).sort()).toEqual([...ids].sort());
        const keys = seen.map((a) => [a.createdAt, a.id] as const);
        const sorted = [...keys].sort((x, y) => y[0] - x[0] || (x[1] < y[1] ? 1 : -1));
        expect(keys).toEqual(sorted);
        expect(await store.listAnalyses('job_doesnotexist0000000000', { limit: 10 })).toEqual({ analyses: [] });
        await expect(store.listAnalyses(job.id, { limit: 2, cursor: 'not-a-cursor' })).rejects.toThrow();
      });

      test('lifecycle: one lease at a time, release, takeover, success settles and counts usage, failure gives the call back', async () => {
        const job = await succeeded();
        const a = makeAnalysis(job, T + 10);
        const b = makeAnalysis(job, T + 10);
        await store.createAnalysis(a, { limit: 10 });
        await store.createAnalysis(b, { limit: 10 });
        const c1 = await store.claimAnalysis(a.id, { leaseMs: 100, now: T + 20 });
        if (!c1.ok) throw new Error('claim failed');
        expect(c1.analysis).toMatchObject({ status: 'running', attempts: 1, startedAt: T + 20 });
        expect(await store.claimAnalysis(a.id, { leaseMs: 100, now: T + 50 })).toMatchObject({
          ok: false,
          reason: 'leased',
        });
        expect(await store.extendAnalysisLease(a.id, 'other', { leaseMs: 100, now: T + 60 })).toBe(false);
        expect(await store.extendAnalysisLease(a.id, c1.lease.leaseId, { leaseMs: 100, now: T + 60 })).toBe(true);
        expect((await store.getAnalysis(a.id))?.leaseExpiresAt).toBe(T + 160);
        // Released after a transient error, claimed again.
        const err = { code: 'model_unavailable', message: '503' };
        expect(await store.releaseAnalysis(a.id, c1.lease.leaseId, { error: err, now: T + 70 })).toBe(true);
        expect(await store.getAnalysis(a.id)).toMatchObject({ status: 'queued', lastError: err });
        const c2 = await store.claimAnalysis(a.id, { leaseMs: 100, now: T + 80 });
        if (!c2.ok) throw new Error('claim failed');
        // The lease expires; another delivery takes it over, the first one's completion is refused.
        const c3 = await store.claimAnalysis(a.id, { leaseMs: 100, now: T + 181 });
        if (!c3.ok) throw new Error('takeover failed');
        expect(c3.analysis.attempts).toBe(3);
        const done = {
          warnings: [{ code: 'prompt_injection_suspected', message: 'm' }],
          droppedClaims: 1,
          usage: { model: 'gemini-x', calls: 2, inputTokens: 100, outputTokens: 20, costUsd: 0.0001 },
          resultObject: `${job.id}/analyses/${a.id}.json`,
          now: T + 200,
        };
        expect(await store.completeAnalysis(a.id, c2.lease.leaseId, done)).toBe(false);
        expect(await store.completeAnalysis(a.id, c3.lease.leaseId, done)).toBe(true);
        expect(await store.completeAnalysis(a.id, c3.lease.leaseId, done)).toBe(false);
        const finished = (await store.getAnalysis(a.id))!;
        expect(finished).toMatchObject({
          status: 'succeeded',
          charge: 'settled',
          warnings: done.warnings,
          droppedClaims: 1,
          usage: done.usage,
          resultObject: done.resultObject,
          finishedAt: T + 200,
        });
        expect(finished.leaseId).toBeUndefined();
        expect(finished.lastError).toBeUndefined();
        expect(await store.claimAnalysis(a.id, { leaseMs: 100, now: T + 300 })).toMatchObject({
          ok: false,
          reason: 'finished',
        });
        expect(await store.getAiQuota('alice', MONTH)).toMatchObject({ calls: 2 });
        // b: failing without a lease never happens under a live worker; with the lease it does, releasing the call.
        const cb = await store.claimAnalysis(b.id, { leaseMs: 100, now: T + 300 });
        if (!cb.ok) throw new Error('claim failed');
        const boom = { code: 'model_blocked', message: 'refused' };
        expect(await store.failAnalysis(b.id, { error: boom, now: T + 310 })).toBe(false);
        expect(await store.failAnalysis(b.id, { error: boom, now: T + 320, leaseId: cb.lease.leaseId })).toBe(true);
        expect(await store.getAnalysis(b.id)).toMatchObject({ status: 'failed', charge: 'released', error: boom });
        expect(await store.failAnalysis(b.id, { error: boom, now: T + 330 })).toBe(false);
        expect(await store.getAiQuota('alice', MONTH)).toMatchObject({ calls: 1 });
        // Usage: one succeeded call that day, under the job's format.
        expect(await store.listAiUsageDays('alice', { from: DAY, to: DAY })).toEqual([
          { owner: 'alice', day: DAY, format: 'pdf', calls: 1 },
        ]);
        expect(await store.listAiUsageDays('alice', { from: '2099-01-01', to: '2099-01-31' })).toEqual([]);
      });

      test('deleting the job deletes its analyses; queued ones give their calls back, running and succeeded ones stay counted', async () => {
        const job = await succeeded();
        const keep = await succeeded();
        const done = makeAnalysis(job, T + 10);
        const open = makeAnalysis(job, T + 11);
        const other = makeAnalysis(keep, T + 12);
        const waiting = [makeAnalysis(job, T + 13), makeAnalysis(job, T + 14)];
        for (const a of [done, open, other, ...waiting]) await store.createAnalysis(a, { limit: 10 });
        const c = await store.claimAnalysis(done.id, { leaseMs: 100, now: T + 20 });
        if (!c.ok) throw new Error('claim failed');
        await store.completeAnalysis(done.id, c.lease.leaseId, {
          warnings: [],
          droppedClaims: 0,
          resultObject: 'x',
          now: T + 30,
        });
        const running = await store.claimAnalysis(open.id, { leaseMs: 100, now: T + 31 });
        expect(running.ok).toBe(true);
        expect(await store.getAiQuota('alice', MONTH)).toMatchObject({ calls: 5 });
        expect(await store.deleteJob(job.id)).toBe(true);
        expect(await store.getAnalysis(done.id)).toBeUndefined();
        expect(await store.getAnalysis(open.id)).toBeUndefined();
        expect(await store.listAnalyses(job.id, { limit: 10 })).toEqual({ analyses: [] });
        expect(await store.getAnalysis(other.id)).toEqual(other);
        // other, done and the running one (its model call is under way) stay; the two queued ones come back.
        expect(await store.getAiQuota('alice', MONTH)).toMatchObject({ calls: 3 });
        // The deleted job's worker finds its analysis gone.
        if (running.ok)
          expect(await store.extendAnalysisLease(open.id, running.lease.leaseId, { leaseMs: 100, now: T + 40 })).toBe(
            false,
          );
      });

      test('the cleanup queries find lost leases and queued analyses untouched since a time', async () => {
        const job = await succeeded();
        const q = makeAnalysis(job, T + 10);
        const r = makeAnalysis(job, T + 10);
        await store.createAnalysis(q, { limit: 10 });
        await store.createAnalysis(r, { limit: 10 });
        expect((await store.claimAnalysis(r.id, { leaseMs: 100, now: T + 20 })).ok).toBe(true);
        expect((await store.findAnalysesLeaseExpired(T + 121, 10)).map((a) => a.id)).toEqual([r.id]);
        expect(await store.findAnalysesLeaseExpired(T + 119, 10)).toEqual([]);
        expect((await store.findAnalysesQueuedBefore(T + 11, 10)).map((a) => a.id)).toEqual([q.id]);
        expect(await store.findAnalysesQueuedBefore(T + 10, 10)).toEqual([]);
        expect(await store.failAnalysis(r.id, { error: { code: 'worker_lost', message: 'm' }, now: T + 121 })).toBe(
          true,
        );
        expect(await store.findAnalysesLeaseExpired(T + 1000, 10)).toEqual([]);
      });
    });
  });
}
