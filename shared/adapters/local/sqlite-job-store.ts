/**
 * `JobStore` on `node:sqlite`. A job is one row: the whole record as JSON plus the columns the queries
 * filter on. Each state change reads the row inside `BEGIN IMMEDIATE`, decides through
 * `shared/service/jobs/states.ts`, writes what it returns and, in the same transaction, the owner's counters
 * that change with it (`chargeEffects`: the month's allowance, the day's usage) and, when the job ends, its
 * webhook outbox entry (`withWebhookOutbox`). Users, keys and billing are
 * `SqliteAccountStore`, normally on the same database (`createLocalAdapters` opens one for both).
 */
import type { DatabaseSync } from 'node:sqlite';
import type {
  AiQuotaState,
  AiUsageDay,
  Analysis,
  AnalysisClaimResult,
  AnalysisPage,
  AnalysisUsage,
  ChargeRequest,
  ClaimResult,
  ConfirmOutcome,
  Job,
  JobError,
  JobPage,
  JobStore,
  JobWarning,
  CreateAnalysisOutcome,
  MarkQueuedOutcome,
  WebhookAttempt,
} from '../../service/ports.ts';
import { withWebhookOutbox } from '../../service/webhooks/state.ts';
import { completeJob, queueJob } from '../../service/jobs/states.ts';
import { chargeEffects } from '../../service/jobs/charges.ts';
import { aiEffects } from '../../service/analyses/counters.ts';
import {
  ANALYSES_SCHEMA,
  analysesOf,
  applyAiEffects,
  insertAnalysis,
  readAiQuota,
  readAiUsageDays,
  readAnalysis,
  writeAnalysis,
} from './sqlite-analyses.ts';
import { InvalidCursorError } from '../../service/jobs/errors.ts';
import { analysisDecisions, jobDecisions, queued, written, type Decide } from '../job-store-decisions.ts';
import { inTransaction, openDatabase, retryBusy } from './sqlite.ts';
import { addUsage, applyChargeEffects, CHARGE_SCHEMA, readQuota, USAGE_SCHEMA } from './sqlite-usage.ts';
import { decodeCursor, encodeCursor, monthOf, nameMatches, normalizeNameQuery } from '../job-store-keys.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS jobs (
  id TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  status TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  upload_deadline INTEGER NOT NULL,
  lease_expires_at INTEGER,
  doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS jobs_owner_created ON jobs (owner, created_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS jobs_status_deadline ON jobs (status, upload_deadline);
CREATE INDEX IF NOT EXISTS jobs_status_lease ON jobs (status, lease_expires_at);
CREATE INDEX IF NOT EXISTS jobs_status_updated ON jobs (status, updated_at);
CREATE INDEX IF NOT EXISTS jobs_created ON jobs (created_at);
CREATE INDEX IF NOT EXISTS jobs_webhook_outbox ON jobs (json_extract(doc, '$.webhook.outboxAt'))
  WHERE json_extract(doc, '$.webhook.outboxAt') IS NOT NULL;
`;

interface JobRow {
  doc: string;
}

export class SqliteJobStore implements JobStore {
  readonly db: DatabaseSync;
  private readonly ownsDb: boolean;

  /** A path opens (and owns) the database; a `DatabaseSync` is shared (normally with `SqliteAccountStore`). */
  constructor(dbOrPath: DatabaseSync | string) {
    this.ownsDb = typeof dbOrPath === 'string';
    this.db = typeof dbOrPath === 'string' ? openDatabase(dbOrPath) : dbOrPath;
    this.db.exec(SCHEMA);
    this.db.exec(USAGE_SCHEMA);
    this.db.exec(CHARGE_SCHEMA);
    this.db.exec(ANALYSES_SCHEMA);
    // The name search's rule, in JavaScript so that it is the same function the Firestore store's terms
    // come from (SQLite's LIKE and lower() know only ASCII case).
    this.db.function('mdraft_name_matches', { deterministic: true }, (filename, query) =>
      typeof filename === 'string' && typeof query === 'string' && nameMatches(filename, query) ? 1 : 0,
    );
  }

  async createJob(job: Job): Promise<void> {
    await retryBusy(() => this.insert(job));
  }

  private insert(job: Job): void {
    this.db
      .prepare(
        `INSERT INTO jobs (id, owner, status, created_at, updated_at, upload_deadline, lease_expires_at, doc)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        job.id,
        job.owner,
        job.status,
        job.createdAt,
        job.updatedAt,
        job.uploadDeadline,
        job.leaseExpiresAt ?? null,
        JSON.stringify(job),
      );
  }

  async getJob(id: string): Promise<Job | undefined> {
    return this.read(id);
  }

  async listJobs(owner: string, page: { limit: number; cursor?: string; name?: string }): Promise<JobPage> {
    const limit = Math.max(1, Math.min(100, page.limit));
    const after = page.cursor ? decodeCursor(page.cursor) : undefined;
    if (page.cursor && !after) throw new InvalidCursorError();
    const name = page.name !== undefined ? normalizeNameQuery(page.name) : undefined;
    // The owner's rows in index order (owner, created_at DESC, id DESC), the name test applied to each.
    const where = [
      'owner = ?',
      ...(after ? ['(created_at < ? OR (created_at = ? AND id < ?))'] : []),
      ...(name !== undefined ? ["mdraft_name_matches(json_extract(doc, '$.filename'), ?) = 1"] : []),
    ];
    const params = [
      owner,
      ...(after ? [after.createdAt, after.createdAt, after.id] : []),
      ...(name !== undefined ? [name] : []),
      limit + 1,
    ];
    const rows = this.db
      .prepare(`SELECT doc FROM jobs WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT ?`)
      .all(...params) as unknown as JobRow[];
    const jobs = rows.slice(0, limit).map((r) => JSON.parse(r.doc) as Job);
    const last = jobs[jobs.length - 1];
    return rows.length > limit && last ? { jobs, nextCursor: encodeCursor(last) } : { jobs };
  }

  async markQueued(
    id: string,
    input: { eventKey: string; format: string; now: number; charge?: ChargeRequest },
  ): Promise<MarkQueuedOutcome> {
    return this.transition(id, (job) => {
      // The allowance is read inside the transaction that reserves from it (BEGIN IMMEDIATE holds the write lock).
      const quota = job && input.charge ? readQuota(this.db, job.owner, input.charge.month) : undefined;
      return queued(queueJob(job, input, quota));
    });
  }

  async confirm(id: string, input: { now: number }): Promise<ConfirmOutcome> {
    return this.transition(id, jobDecisions.confirm(input));
  }

  async claim(id: string, input: { leaseMs: number; now: number }): Promise<ClaimResult> {
    return this.transition(id, jobDecisions.claim(input));
  }

  async extendLease(id: string, leaseId: string, input: { leaseMs: number; now: number }): Promise<boolean> {
    return this.transition(id, jobDecisions.extendLease(leaseId, input));
  }

  async release(id: string, leaseId: string, input: { error: JobError; now: number }): Promise<boolean> {
    return this.transition(id, jobDecisions.release(leaseId, input));
  }

  async complete(
    id: string,
    leaseId: string,
    input: {
      warnings: JobWarning[];
      pages?: number;
      units?: number;
      resultObjects: { markdown: string; json: string };
      now: number;
    },
  ): Promise<boolean> {
    return this.transition(id, (job) => {
      const done = completeJob(job, leaseId, input);
      // Usage is counted in the transaction that marks the job succeeded: a succeeded job and its usage must
      // never disagree (a crash between two transactions would leave one of them), and a retried delivery
      // finds the job finished and counts nothing again. `SqliteAccountStore.getUsage` reads the counter.
      if (done) addUsage(this.db, done.owner, monthOf(input.now), input.pages ?? 0);
      return written(done);
    });
  }

  async fail(id: string, input: { error: JobError; now: number; leaseId?: string }): Promise<boolean> {
    return this.transition(id, jobDecisions.fail(input));
  }

  async expire(id: string, input: { now: number }): Promise<boolean> {
    return this.transition(id, jobDecisions.expire(input));
  }

  async deleteJob(id: string): Promise<boolean> {
    return retryBusy(() =>
      inTransaction(this.db, () => {
        const job = this.read(id);
        if (!job) return false;
        this.db.prepare('DELETE FROM jobs WHERE id = ?').run(id);
        applyChargeEffects(this.db, job.owner, chargeEffects(job, undefined));
        // Its analyses go with it; an unfinished one gives its AI call back.
        for (const a of analysesOf(this.db.prepare('SELECT doc FROM analyses WHERE job_id = ?').all(id))) {
          applyAiEffects(this.db, a.owner, aiEffects(a, undefined));
        }
        this.db.prepare('DELETE FROM analyses WHERE job_id = ?').run(id);
        return true;
      }),
    );
  }

  async recordWebhookAttempt(id: string, input: WebhookAttempt): Promise<Job | undefined> {
    return this.transition(id, jobDecisions.recordWebhookAttempt(input));
  }

  async markWebhookEnqueued(id: string, eventId: string): Promise<boolean> {
    return this.transition(id, jobDecisions.markWebhookEnqueued(eventId));
  }

  async countActiveJobs(owner: string): Promise<number> {
    const row = this.db
      .prepare("SELECT COUNT(*) AS n FROM jobs WHERE owner = ? AND status NOT IN ('succeeded', 'failed', 'expired')")
      .get(owner) as { n: number };
    return row.n;
  }

  async findConfirmationExpired(now: number, limit: number): Promise<Job[]> {
    return this.docs(
      this.db
        .prepare(
          `SELECT doc FROM jobs WHERE status = 'awaiting_confirmation' AND json_extract(doc, '$.confirmDeadline') < ?
           ORDER BY json_extract(doc, '$.confirmDeadline') LIMIT ?`,
        )
        .all(now, limit),
    );
  }

  async findCreatedBefore(createdBefore: number, limit: number): Promise<Job[]> {
    return this.docs(
      this.db
        .prepare('SELECT doc FROM jobs WHERE created_at < ? ORDER BY created_at LIMIT ?')
        .all(createdBefore, limit),
    );
  }

  async findUploadExpired(now: number, limit: number): Promise<Job[]> {
    return this.docs(
      this.db
        .prepare(
          "SELECT doc FROM jobs WHERE status = 'awaiting_upload' AND upload_deadline < ? ORDER BY upload_deadline LIMIT ?",
        )
        .all(now, limit),
    );
  }

  async findLeaseExpired(leaseExpiredBefore: number, limit: number): Promise<Job[]> {
    return this.docs(
      this.db
        .prepare(
          "SELECT doc FROM jobs WHERE status = 'processing' AND lease_expires_at < ? ORDER BY lease_expires_at LIMIT ?",
        )
        .all(leaseExpiredBefore, limit),
    );
  }

  async findQueuedBefore(updatedBefore: number, limit: number): Promise<Job[]> {
    return this.docs(
      this.db
        .prepare("SELECT doc FROM jobs WHERE status = 'queued' AND updated_at < ? ORDER BY updated_at LIMIT ?")
        .all(updatedBefore, limit),
    );
  }

  async createAnalysis(analysis: Analysis, allowance: { limit: number }): Promise<CreateAnalysisOutcome> {
    return retryBusy(() =>
      inTransaction(this.db, (): CreateAnalysisOutcome => {
        // The job and the allowance are read inside the transaction that writes (BEGIN IMMEDIATE holds the lock).
        const job = this.read(analysis.jobId);
        if (!job || job.owner !== analysis.owner || job.status !== 'succeeded')
          return { outcome: 'job_not_ready', ...(job ? { job } : {}) };
        const used = readAiQuota(this.db, analysis.owner, analysis.chargeMonth).calls;
        if (used + 1 > allowance.limit) return { outcome: 'refused', used };
        insertAnalysis(this.db, analysis);
        applyAiEffects(this.db, analysis.owner, aiEffects(undefined, analysis));
        return { outcome: 'created', analysis };
      }),
    );
  }

  async getAnalysis(id: string): Promise<Analysis | undefined> {
    return readAnalysis(this.db, id);
  }

  async listAnalyses(jobId: string, page: { limit: number; cursor?: string }): Promise<AnalysisPage> {
    const limit = Math.max(1, Math.min(100, page.limit));
    const after = page.cursor ? decodeCursor(page.cursor) : undefined;
    if (page.cursor && !after) throw new InvalidCursorError();
    const rows = after
      ? this.db
          .prepare(
            `SELECT doc FROM analyses WHERE job_id = ? AND (created_at < ? OR (created_at = ? AND id < ?))
             ORDER BY created_at DESC, id DESC LIMIT ?`,
          )
          .all(jobId, after.createdAt, after.createdAt, after.id, limit + 1)
      : this.db
          .prepare('SELECT doc FROM analyses WHERE job_id = ? ORDER BY created_at DESC, id DESC LIMIT ?')
          .all(jobId, limit + 1);
    const all = analysesOf(rows);
    const analyses = all.slice(0, limit);
    const last = analyses[analyses.length - 1];
    return all.length > limit && last ? { analyses, nextCursor: encodeCursor(last) } : { analyses };
  }

  async claimAnalysis(id: string, input: { leaseMs: number; now: number }): Promise<AnalysisClaimResult> {
    return this.analysisTransition(id, analysisDecisions.claim(input));
  }

  async extendAnalysisLease(id: string, leaseId: string, input: { leaseMs: number; now: number }): Promise<boolean> {
    return this.analysisTransition(id, analysisDecisions.extendLease(leaseId, input));
  }

  async releaseAnalysis(id: string, leaseId: string, input: { error: JobError; now: number }): Promise<boolean> {
    return this.analysisTransition(id, analysisDecisions.release(leaseId, input));
  }

  async completeAnalysis(
    id: string,
    leaseId: string,
    input: { warnings: JobWarning[]; droppedClaims: number; usage?: AnalysisUsage; resultObject: string; now: number },
  ): Promise<boolean> {
    return this.analysisTransition(id, analysisDecisions.complete(leaseId, input));
  }

  async failAnalysis(id: string, input: { error: JobError; now: number; leaseId?: string }): Promise<boolean> {
    return this.analysisTransition(id, analysisDecisions.fail(input));
  }

  async getAiQuota(owner: string, month: string): Promise<AiQuotaState> {
    return readAiQuota(this.db, owner, month);
  }

  async listAiUsageDays(owner: string, range: { from: string; to: string }): Promise<AiUsageDay[]> {
    return readAiUsageDays(this.db, owner, range);
  }

  async findAnalysesLeaseExpired(leaseExpiredBefore: number, limit: number): Promise<Analysis[]> {
    return analysesOf(
      this.db
        .prepare(
          "SELECT doc FROM analyses WHERE status = 'running' AND lease_expires_at < ? ORDER BY lease_expires_at LIMIT ?",
        )
        .all(leaseExpiredBefore, limit),
    );
  }

  async findAnalysesQueuedBefore(updatedBefore: number, limit: number): Promise<Analysis[]> {
    return analysesOf(
      this.db
        .prepare("SELECT doc FROM analyses WHERE status = 'queued' AND updated_at < ? ORDER BY updated_at LIMIT ?")
        .all(updatedBefore, limit),
    );
  }

  /** One analysis state change, like `transition`: read, decide (analyses/states.ts), write with its counters. */
  private analysisTransition<T>(id: string, decide: Decide<Analysis, T>): Promise<T> {
    return retryBusy(() =>
      inTransaction(this.db, () => {
        const before = readAnalysis(this.db, id);
        const [result, next] = decide(before);
        if (next) {
          writeAnalysis(this.db, next);
          applyAiEffects(this.db, next.owner, aiEffects(before, next));
        }
        return result;
      }),
    );
  }

  async findWebhookOutbox(endedBefore: number, limit: number): Promise<Job[]> {
    return this.docs(
      this.db
        .prepare(
          `SELECT doc FROM jobs WHERE json_extract(doc, '$.webhook.outboxAt') IS NOT NULL
             AND json_extract(doc, '$.webhook.outboxAt') < ?
           ORDER BY json_extract(doc, '$.webhook.outboxAt') LIMIT ?`,
        )
        .all(endedBefore, limit),
    );
  }

  async close(): Promise<void> {
    if (this.ownsDb && this.db.isOpen) this.db.close();
  }

  /**
   * One state change: reads the job inside `BEGIN IMMEDIATE`, lets `decide` (a states.ts decision) return
   * the answer and the record to write, writes it, commits. `decide` may add writes of its own to the same
   * transaction (the usage counter).
   */
  private transition<T>(id: string, decide: Decide<Job, T>): Promise<T> {
    return retryBusy(() =>
      inTransaction(this.db, () => {
        const before = this.read(id);
        const [result, decided] = decide(before);
        // The webhook outbox entry goes in the write that ends the job (`withWebhookOutbox`).
        const next = decided && withWebhookOutbox(before, decided);
        if (next) {
          this.write(next);
          applyChargeEffects(this.db, next.owner, chargeEffects(before, next));
        }
        return result;
      }),
    );
  }

  private read(id: string): Job | undefined {
    const row = this.db.prepare('SELECT doc FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
    return row ? (JSON.parse(row.doc) as Job) : undefined;
  }

  private write(job: Job): void {
    this.db
      .prepare('UPDATE jobs SET status = ?, updated_at = ?, lease_expires_at = ?, doc = ? WHERE id = ?')
      .run(job.status, job.updatedAt, job.leaseExpiresAt ?? null, JSON.stringify(job), job.id);
  }

  private docs(rows: unknown[]): Job[] {
    return (rows as JobRow[]).map((r) => JSON.parse(r.doc) as Job);
  }
}
