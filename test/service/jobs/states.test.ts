/**
 * The job state machine (shared/service/jobs/states.ts) as pure functions: every transition it allows and
 * every refusal, from each state, lease and time. The stores only read, call these and write
 * (test/contracts/job-store.contract.ts proves that part against each backend).
 */
import type { Job, JobStatus } from '../../../shared/service/ports.ts';
import {
  JOB_STATUSES,
  UPLOAD_EXPIRED,
  canTransition,
  claimJob,
  completeJob,
  expireJob,
  failJob,
  hasLiveLease,
  isTerminal,
  newLeaseId,
  queueJob,
  releaseJob,
} from '../../../shared/service/jobs/states.ts';

const T = 1_800_000_000_000;
const ERR = { code: 'internal', message: 'boom' };
const OBJS = { markdown: 'r/md', json: 'r/json' };

/** A frozen record (deeply), so a decision that mutated its input would throw. */
function job(status: JobStatus, patch: Partial<Job> = {}): Job {
  const j: Job = {
    id: 'job_abc',
    owner: 'alice',
    status,
    filename: 'a.pdf',
    contentType: 'application/pdf',
    size: 10,
    inputObject: 'u/alice/job_abc/input',
    createdAt: T,
    updatedAt: T,
    uploadDeadline: T + 3600_000,
    attempts: 0,
    warnings: [],
    ...patch,
  };
  return deepFreeze(j);
}

function deepFreeze<V>(value: V): V {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** A job held by lease `L1` until T + 1000. */
const processing = (patch: Partial<Job> = {}) =>
  job('processing', {
    eventKey: 'k1',
    format: 'pdf',
    uploadedAt: T + 1,
    attempts: 1,
    startedAt: T + 2,
    leaseId: 'L1',
    leaseExpiresAt: T + 1000,
    ...patch,
  });
const TERMINAL: JobStatus[] = ['succeeded', 'failed', 'expired'];

describe('the transition table', () => {
  test('exactly the documented edges exist', () => {
    const edges = JOB_STATUSES.flatMap((from) =>
      JOB_STATUSES.filter((to) => canTransition(from, to)).map((to) => `${from}→${to}`),
    );
    expect(edges.sort()).toEqual(
      [
        'awaiting_upload→queued',
        'awaiting_upload→awaiting_confirmation',
        'awaiting_confirmation→queued',
        'awaiting_confirmation→failed',
        'awaiting_confirmation→expired',
        'awaiting_upload→failed',
        'awaiting_upload→expired',
        'queued→processing',
        'queued→failed',
        'processing→processing',
        'processing→queued',
        'processing→succeeded',
        'processing→failed',
      ].sort(),
    );
    expect(JOB_STATUSES.filter(isTerminal)).toEqual(TERMINAL);
  });

  test('a lease is live strictly before its expiry, and only on a processing job', () => {
    expect(hasLiveLease(processing(), T + 999)).toBe(true);
    expect(hasLiveLease(processing(), T + 1000)).toBe(false);
    expect(hasLiveLease(job('queued', { leaseExpiresAt: T + 1000 }), T)).toBe(false);
    expect(hasLiveLease(processing({ leaseExpiresAt: undefined }), T)).toBe(false);
  });
});

describe('queueJob (awaiting_upload → queued)', () => {
  const input = { eventKey: 'b/u/alice/job_abc/input#7', format: 'pdf', now: T + 5 };

  test('an awaiting job is queued with the upload key, format and time', () => {
    const r = queueJob(job('awaiting_upload'), input);
    expect(r).toEqual({
      outcome: 'queued',
      job: {
        ...job('awaiting_upload'),
        status: 'queued',
        eventKey: input.eventKey,
        format: 'pdf',
        uploadedAt: T + 5,
        updatedAt: T + 5,
      },
    });
  });

  test('the same upload again is a duplicate in any later state; another upload is stale; no job is stale', () => {
    for (const status of ['queued', 'processing', 'succeeded', 'failed'] as const) {
      const j = job(status, { eventKey: input.eventKey });
      expect(queueJob(j, input)).toEqual({ outcome: 'duplicate', job: j });
      const other = job(status, { eventKey: 'b/u/alice/job_abc/input#6' });
      expect(queueJob(other, input)).toEqual({ outcome: 'stale', job: other });
    }
    const expired = job('expired');
    expect(queueJob(expired, input)).toEqual({ outcome: 'stale', job: expired });
    expect(queueJob(undefined, input)).toEqual({ outcome: 'stale' });
  });
});

describe('claimJob (queued → processing, or takeover of an expired lease)', () => {
  const input = { leaseMs: 500, now: T + 2000 };

  test('a queued job gets a fresh lease: attempt counted, start time set once', () => {
    const q = job('queued', { attempts: 1, startedAt: T + 10, lastError: ERR });
    const r = claimJob(q, input, () => 'L2');
    expect(r).toEqual({
      ok: true,
      lease: { leaseId: 'L2', expiresAt: T + 2500, attempt: 2 },
      job: { ...q, status: 'processing', attempts: 2, leaseId: 'L2', leaseExpiresAt: T + 2500, updatedAt: T + 2000 },
    });
    const first = claimJob(job('queued'), input, () => 'L1');
    expect(first.ok && first.job.startedAt).toBe(T + 2000);
  });

  test('a processing job is taken over once its lease expired (at the expiry instant too), refused before', () => {
    const p = processing();
    expect(claimJob(p, { leaseMs: 500, now: T + 999 })).toEqual({ ok: false, reason: 'leased', job: p });
    const r = claimJob(p, { leaseMs: 500, now: T + 1000 }, () => 'L2');
    expect(r).toMatchObject({ ok: true, lease: { leaseId: 'L2', attempt: 2, expiresAt: T + 1500 } });
    expect(r.ok && r.job).toMatchObject({ status: 'processing', leaseId: 'L2', startedAt: T + 2 });
  });

  test('refusals: missing, not yet uploaded, finished', () => {
    expect(claimJob(undefined, input)).toEqual({ ok: false, reason: 'not_found' });
    const waiting = job('awaiting_upload');
    expect(claimJob(waiting, input)).toEqual({ ok: false, reason: 'not_ready', job: waiting });
    for (const status of TERMINAL) {
      const done = job(status);
      expect(claimJob(done, input)).toEqual({ ok: false, reason: 'finished', job: done });
    }
  });

  test('lease ids are 96 random bits in hex, different each time', () => {
    const a = newLeaseId();
    expect(a).toMatch(/^[0-9a-f]{24}$/);
    expect(newLeaseId()).not.toBe(a);
    const r = claimJob(job('queued'), input);
    expect(r.ok && r.lease.leaseId).toMatch(/^[0-9a-f]{24}$/);
  });
});

describe('releaseJob (processing → queued, by the lease holder)', () => {
  test('the holder gives the job back: no lease, the error kept as lastError, attempts unchanged', () => {
    const p = processing();
    const { leaseId: _l, leaseExpiresAt: _e, ...unleased } = p;
    expect(releaseJob(p, 'L1', { error: ERR, now: T + 50 })).toEqual({
      ...unleased,
      status: 'queued',
      lastError: ERR,
      updatedAt: T + 50,
    });
  });

  test('refused for another lease, a job not processing, a missing job', () => {
    expect(releaseJob(processing(), 'L0', { error: ERR, now: T })).toBeUndefined();
    for (const status of ['awaiting_upload', 'queued', ...TERMINAL] as const)
      expect(releaseJob(job(status, { leaseId: 'L1' }), 'L1', { error: ERR, now: T })).toBeUndefined();
    expect(releaseJob(undefined, 'L1', { error: ERR, now: T })).toBeUndefined();
  });

  test('a holder whose lease expired may still release while nobody took the job over', () => {
    expect(releaseJob(processing(), 'L1', { error: ERR, now: T + 5000 })?.status).toBe('queued');
  });
});

describe('completeJob (processing → succeeded, by the lease holder)', () => {
  test('the holder finishes: results, pages, warnings and finish time set; lease and lastError gone', () => {
    const p = processing({ lastError: ERR });
    const warnings = [{ code: 'w', message: 'm', page: 1 }];
    const done = completeJob(p, 'L1', { warnings, pages: 3, resultObjects: OBJS, now: T + 60 });
    const { leaseId: _l, leaseExpiresAt: _e, lastError: _le, ...rest } = p;
    expect(done).toEqual({
      ...rest,
      status: 'succeeded',
      warnings,
      pages: 3,
      resultObjects: OBJS,
      finishedAt: T + 60,
      updatedAt: T + 60,
    });
  });

  test('without a page count the record has none', () => {
    const done = completeJob(processing(), 'L1', { warnings: [], resultObjects: OBJS, now: T + 60 });
    expect(done).toBeDefined();
    expect(done && 'pages' in done).toBe(false);
  });

  test('refused for another lease, a job not processing, a missing job', () => {
    const input = { warnings: [], resultObjects: OBJS, now: T };
    expect(completeJob(processing(), 'L0', input)).toBeUndefined();
    for (const status of ['awaiting_upload', 'queued', ...TERMINAL] as const)
      expect(completeJob(job(status, { leaseId: 'L1' }), 'L1', input)).toBeUndefined();
    expect(completeJob(undefined, 'L1', input)).toBeUndefined();
  });
});

describe('failJob (→ failed)', () => {
  const failedFrom = (j: Job, now: number) => {
    const { leaseId: _l, leaseExpiresAt: _e, ...rest } = j;
    return { ...rest, status: 'failed', error: ERR, finishedAt: now, updatedAt: now };
  };

  test('without a lease: from awaiting_upload and queued', () => {
    for (const status of ['awaiting_upload', 'queued'] as const) {
      const j = job(status);
      expect(failJob(j, { error: ERR, now: T + 9 })).toEqual(failedFrom(j, T + 9));
    }
  });

  test('without a lease: from processing only once the lease expired (a lost worker), never from under a live one', () => {
    const p = processing();
    expect(failJob(p, { error: ERR, now: T + 999 })).toBeUndefined();
    expect(failJob(p, { error: ERR, now: T + 1000 })).toEqual(failedFrom(p, T + 1000));
  });

  test('with a lease: only its holder, whatever the time', () => {
    const p = processing();
    expect(failJob(p, { error: ERR, leaseId: 'L1', now: T + 10 })).toEqual(failedFrom(p, T + 10));
    expect(failJob(p, { error: ERR, leaseId: 'L1', now: T + 5000 })).toEqual(failedFrom(p, T + 5000));
    expect(failJob(p, { error: ERR, leaseId: 'L0', now: T + 10 })).toBeUndefined();
    expect(failJob(job('queued'), { error: ERR, leaseId: 'L1', now: T })).toBeUndefined();
    expect(failJob(job('awaiting_upload'), { error: ERR, leaseId: 'L1', now: T })).toBeUndefined();
  });

  test('refused from a finished state and for a missing job', () => {
    for (const status of TERMINAL) {
      expect(failJob(job(status), { error: ERR, now: T })).toBeUndefined();
      expect(failJob(job(status, { leaseId: 'L1' }), { error: ERR, leaseId: 'L1', now: T })).toBeUndefined();
    }
    expect(failJob(undefined, { error: ERR, now: T })).toBeUndefined();
  });
});

describe('expireJob (awaiting_upload → expired)', () => {
  test('an awaiting job expires with upload_expired', () => {
    const j = job('awaiting_upload');
    expect(expireJob(j, { now: T + 7 })).toEqual({
      ...j,
      status: 'expired',
      error: UPLOAD_EXPIRED,
      finishedAt: T + 7,
      updatedAt: T + 7,
    });
    expect(UPLOAD_EXPIRED).toEqual({ code: 'upload_expired', message: 'no upload arrived in time' });
  });

  test('refused from every other state and for a missing job', () => {
    for (const status of JOB_STATUSES.filter((s) => s !== 'awaiting_upload' && s !== 'awaiting_confirmation'))
      expect(expireJob(job(status), { now: T })).toBeUndefined();
    expect(expireJob(undefined, { now: T })).toBeUndefined();
  });
});
