/**
 * `JobStore` on `node:sqlite`. A job is one row: the whole record as JSON plus the columns the queries
 * filter on. Each state change re-reads the row inside `BEGIN IMMEDIATE` and checks the state machine.
 */
import type { DatabaseSync } from 'node:sqlite';
import type {
  ApiKeyRecord,
  BillingEvent,
  BillingEventOutcome,
  ClaimResult,
  Job,
  JobError,
  JobPage,
  JobStore,
  JobWarning,
  MarkQueuedOutcome,
  UsageRecord,
  UserRecord,
} from '../../service/ports.ts';
import { canTransition, claimJob, completeJob } from '../../service/jobs/states.ts';
import { InvalidCursorError } from '../../service/jobs/errors.ts';
import { inTransaction, openDatabase } from './sqlite.ts';
import { decodeCursor, encodeCursor, monthOf } from '../job-store-keys.ts';

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
CREATE TABLE IF NOT EXISTS users (id TEXT PRIMARY KEY, email TEXT, created_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS api_keys (
  id TEXT PRIMARY KEY, owner TEXT NOT NULL, name TEXT NOT NULL, prefix TEXT NOT NULL,
  created_at INTEGER NOT NULL, revoked_at INTEGER
);
CREATE INDEX IF NOT EXISTS api_keys_owner ON api_keys (owner, created_at);
CREATE TABLE IF NOT EXISTS usage (
  owner TEXT NOT NULL, month TEXT NOT NULL, jobs INTEGER NOT NULL, pages INTEGER NOT NULL,
  PRIMARY KEY (owner, month)
);
-- Billing state per user (set by Stripe webhooks) and the webhook events already applied (de-duplication).
CREATE TABLE IF NOT EXISTS user_billing (
  user_id TEXT PRIMARY KEY, stripe_customer_id TEXT UNIQUE, plan TEXT, active INTEGER, event_at INTEGER
);
CREATE TABLE IF NOT EXISTS billing_events (
  id TEXT PRIMARY KEY, type TEXT NOT NULL, outcome TEXT NOT NULL, received_at INTEGER NOT NULL
);
`;

interface BillingRow {
  user_id: string;
  stripe_customer_id: string | null;
  plan: string | null;
  active: number | null;
  event_at: number | null;
}

interface JobRow {
  doc: string;
}

export class SqliteJobStore implements JobStore {
  readonly db: DatabaseSync;
  private readonly ownsDb: boolean;

  constructor(dbOrPath: DatabaseSync | string) {
    this.ownsDb = typeof dbOrPath === 'string';
    this.db = typeof dbOrPath === 'string' ? openDatabase(dbOrPath) : dbOrPath;
    this.db.exec(SCHEMA);
  }

  async createJob(job: Job): Promise<void> {
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

  async listJobs(owner: string, page: { limit: number; cursor?: string }): Promise<JobPage> {
    const limit = Math.max(1, Math.min(100, page.limit));
    const after = page.cursor ? decodeCursor(page.cursor) : undefined;
    if (page.cursor && !after) throw new InvalidCursorError();
    const rows = (after
      ? this.db
          .prepare(
            `SELECT doc FROM jobs WHERE owner = ? AND (created_at < ? OR (created_at = ? AND id < ?))
         ORDER BY created_at DESC, id DESC LIMIT ?`,
          )
          .all(owner, after.createdAt, after.createdAt, after.id, limit + 1)
      : this.db
          .prepare('SELECT doc FROM jobs WHERE owner = ? ORDER BY created_at DESC, id DESC LIMIT ?')
          .all(owner, limit + 1)) as unknown as JobRow[];
    const jobs = rows.slice(0, limit).map((r) => JSON.parse(r.doc) as Job);
    const last = jobs[jobs.length - 1];
    return rows.length > limit && last ? { jobs, nextCursor: encodeCursor(last) } : { jobs };
  }

  async markQueued(id: string, input: { eventKey: string; format: string; now: number }): Promise<MarkQueuedOutcome> {
    return inTransaction(this.db, () => {
      const job = this.read(id);
      if (!job) return { outcome: 'stale' };
      if (job.status !== 'awaiting_upload') {
        return job.eventKey === input.eventKey ? { outcome: 'duplicate', job } : { outcome: 'stale', job };
      }
      const next: Job = {
        ...job,
        status: 'queued',
        eventKey: input.eventKey,
        format: input.format,
        uploadedAt: input.now,
        updatedAt: input.now,
      };
      this.write(next);
      return { outcome: 'queued', job: next };
    });
  }

  async claim(id: string, input: { leaseMs: number; now: number }): Promise<ClaimResult> {
    return inTransaction(this.db, (): ClaimResult => {
      const claimed = claimJob(this.read(id), input);
      if (claimed.ok) this.write(claimed.job);
      return claimed;
    });
  }

  async release(id: string, leaseId: string, input: { error: JobError; now: number }): Promise<boolean> {
    return inTransaction(this.db, () => {
      const job = this.read(id);
      if (!job || job.status !== 'processing' || job.leaseId !== leaseId) return false;
      const { leaseId: _l, leaseExpiresAt: _e, ...rest } = job;
      this.write({ ...rest, status: 'queued', lastError: input.error, updatedAt: input.now });
      return true;
    });
  }

  async complete(
    id: string,
    leaseId: string,
    input: { warnings: JobWarning[]; pages?: number; resultObjects: { markdown: string; json: string }; now: number },
  ): Promise<boolean> {
    return inTransaction(this.db, () => {
      const job = completeJob(this.read(id), leaseId, input);
      if (!job) return false;
      this.write(job);
      // Usage is counted in the same transaction as the transition: a retried delivery cannot charge twice.
      this.db
        .prepare(
          `INSERT INTO usage (owner, month, jobs, pages) VALUES (?, ?, 1, ?)
         ON CONFLICT (owner, month) DO UPDATE SET jobs = jobs + 1, pages = pages + excluded.pages`,
        )
        .run(job.owner, monthOf(input.now), input.pages ?? 0);
      return true;
    });
  }

  async fail(id: string, input: { error: JobError; now: number; leaseId?: string }): Promise<boolean> {
    return inTransaction(this.db, () => {
      const job = this.read(id);
      if (!job || !canTransition(job.status, 'failed')) return false;
      if (input.leaseId !== undefined) {
        if (job.status !== 'processing' || job.leaseId !== input.leaseId) return false;
      } else if (job.status === 'processing' && (job.leaseExpiresAt ?? 0) > input.now) {
        return false;
      }
      const { leaseId: _l, leaseExpiresAt: _e, ...rest } = job;
      this.write({ ...rest, status: 'failed', error: input.error, finishedAt: input.now, updatedAt: input.now });
      return true;
    });
  }

  async expire(id: string, input: { now: number }): Promise<boolean> {
    return inTransaction(this.db, () => {
      const job = this.read(id);
      if (!job || job.status !== 'awaiting_upload') return false;
      this.write({
        ...job,
        status: 'expired',
        error: { code: 'upload_expired', message: 'no upload arrived in time' },
        finishedAt: input.now,
        updatedAt: input.now,
      });
      return true;
    });
  }

  async deleteJob(id: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM jobs WHERE id = ?').run(id).changes > 0;
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

  async ensureUser(user: { id: string; email?: string; now: number }): Promise<UserRecord> {
    return inTransaction(this.db, () => {
      this.db
        .prepare('INSERT INTO users (id, email, created_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING')
        .run(user.id, user.email ?? null, user.now);
      if (user.email)
        this.db
          .prepare('UPDATE users SET email = ? WHERE id = ? AND (email IS NULL OR email != ?)')
          .run(user.email, user.id, user.email);
      const row = this.db.prepare('SELECT id, email, created_at FROM users WHERE id = ?').get(user.id) as {
        id: string;
        email: string | null;
        created_at: number;
      };
      return { id: row.id, ...(row.email ? { email: row.email } : {}), createdAt: row.created_at };
    });
  }

  async createApiKey(key: ApiKeyRecord): Promise<void> {
    this.db
      .prepare('INSERT INTO api_keys (id, owner, name, prefix, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(key.id, key.owner, key.name, key.prefix, key.createdAt, key.revokedAt ?? null);
  }

  async findApiKeyByHash(id: string): Promise<ApiKeyRecord | undefined> {
    const row = this.db.prepare('SELECT * FROM api_keys WHERE id = ?').get(id) as KeyRow | undefined;
    return row ? keyFromRow(row) : undefined;
  }

  async listApiKeys(owner: string): Promise<ApiKeyRecord[]> {
    return (
      this.db
        .prepare('SELECT * FROM api_keys WHERE owner = ? ORDER BY created_at, id')
        .all(owner) as unknown as KeyRow[]
    ).map(keyFromRow);
  }

  async revokeApiKey(owner: string, id: string, now: number): Promise<boolean> {
    return (
      this.db
        .prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND owner = ? AND revoked_at IS NULL')
        .run(now, id, owner).changes > 0
    );
  }

  async getUsage(owner: string, month: string): Promise<UsageRecord> {
    const row = this.db.prepare('SELECT jobs, pages FROM usage WHERE owner = ? AND month = ?').get(owner, month) as
      { jobs: number; pages: number } | undefined;
    return { owner, month, jobs: row?.jobs ?? 0, pages: row?.pages ?? 0 };
  }

  async getUser(id: string): Promise<UserRecord | undefined> {
    const row = this.db
      .prepare(
        `SELECT u.id, u.email, u.created_at, b.stripe_customer_id, b.plan, b.active
       FROM users u LEFT JOIN user_billing b ON b.user_id = u.id WHERE u.id = ?`,
      )
      .get(id) as ({ id: string; email: string | null; created_at: number } & Partial<BillingRow>) | undefined;
    if (!row) return undefined;
    return {
      id: row.id,
      ...(row.email ? { email: row.email } : {}),
      createdAt: row.created_at,
      ...(row.stripe_customer_id ? { stripeCustomerId: row.stripe_customer_id } : {}),
      ...(row.plan ? { plan: row.plan } : {}),
      ...(row.active !== null && row.active !== undefined ? { billingActive: row.active === 1 } : {}),
    };
  }

  async applyBillingEvent(event: BillingEvent): Promise<BillingEventOutcome> {
    return inTransaction(this.db, () => {
      if (this.db.prepare('SELECT 1 FROM billing_events WHERE id = ?').get(event.eventId)) return 'duplicate';
      const outcome = this.applyBilling(event);
      this.db
        .prepare('INSERT INTO billing_events (id, type, outcome, received_at) VALUES (?, ?, ?, ?)')
        .run(event.eventId, event.type, outcome, event.now);
      return outcome;
    });
  }

  /** Inside `applyBillingEvent`'s transaction. */
  private applyBilling(event: BillingEvent): BillingEventOutcome {
    const named =
      event.userId && this.db.prepare('SELECT 1 FROM users WHERE id = ?').get(event.userId) ? event.userId : undefined;
    const linked = this.db
      .prepare('SELECT user_id FROM user_billing WHERE stripe_customer_id = ?')
      .get(event.customerId) as { user_id: string } | undefined;
    const userId = named ?? linked?.user_id;
    if (!userId) return 'unmatched';
    const row = this.db.prepare('SELECT * FROM user_billing WHERE user_id = ?').get(userId) as BillingRow | undefined;
    if (event.subscription && row?.event_at !== null && row?.event_at !== undefined && row.event_at > event.createdAt)
      return 'stale';
    // A customer belongs to one user: linking it here unlinks it elsewhere.
    this.db
      .prepare('UPDATE user_billing SET stripe_customer_id = NULL WHERE stripe_customer_id = ? AND user_id != ?')
      .run(event.customerId, userId);
    const sub = event.subscription;
    this.db
      .prepare(
        `INSERT INTO user_billing (user_id, stripe_customer_id, plan, active, event_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (user_id) DO UPDATE SET stripe_customer_id = excluded.stripe_customer_id, plan = excluded.plan,
         active = excluded.active, event_at = excluded.event_at`,
      )
      .run(
        userId,
        event.customerId,
        sub ? (sub.plan ?? null) : (row?.plan ?? null),
        sub ? (sub.active ? 1 : 0) : (row?.active ?? null),
        sub ? event.createdAt : (row?.event_at ?? null),
      );
    return 'applied';
  }

  async close(): Promise<void> {
    if (this.ownsDb && this.db.isOpen) this.db.close();
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

interface KeyRow {
  id: string;
  owner: string;
  name: string;
  prefix: string;
  created_at: number;
  revoked_at: number | null;
}

function keyFromRow(r: KeyRow): ApiKeyRecord {
  return {
    id: r.id,
    owner: r.owner,
    name: r.name,
    prefix: r.prefix,
    createdAt: r.created_at,
    ...(r.revoked_at !== null ? { revokedAt: r.revoked_at } : {}),
  };
}
