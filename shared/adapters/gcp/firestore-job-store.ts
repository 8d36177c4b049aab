/**
 * `JobStore` on Firestore. Documents use deterministic ids (`jobs/<jobId>`, `apiKeys/<sha256>`,
 * `users/<uid>`, `usage/<month>_<owner>`); creation uses `create()` (fails when the id exists) and every state
 * change runs in `runTransaction`, re-reading the record and checking the state machine exactly like the
 * sqlite store, so a redelivered event or a duplicate task finds the transition refused. Usage is counted in
 * the transaction that marks a job `succeeded`. Jobs carry an `expiresAt` Timestamp for a TTL policy (a
 * backstop after the retention cleanup; queries never rely on it). The composite indexes these queries need
 * are listed in `firestore-indexes.json`.
 */
import { createHash } from 'node:crypto';
import { FieldValue, Timestamp } from '@google-cloud/firestore';
import type { CollectionReference, DocumentData, Firestore, Query, Transaction } from '@google-cloud/firestore';
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
import { decodeCursor, encodeCursor, monthOf } from '../job-store-keys.ts';

export interface FirestoreJobStoreOptions {
  firestore: Firestore;
  /** Prefixed to every collection name (several deployments or test runs in one database). */
  collectionPrefix?: string;
  /** With a retention, each job gets `expiresAt = createdAt + retention + ttlGrace` for the TTL policy. */
  retentionMs?: number;
  /** How long after the retention the TTL may delete a record: cleanup must have removed its objects first. */
  ttlGraceMs?: number;
}

/** The TTL field on job documents (Terraform: `google_firestore_field { field = "expiresAt" ttl_config {} }`). */
export const TTL_FIELD = 'expiresAt';

export class FirestoreJobStore implements JobStore {
  readonly firestore: Firestore;
  private readonly jobs: CollectionReference;
  private readonly users: CollectionReference;
  private readonly keys: CollectionReference;
  private readonly usage: CollectionReference;
  /** `stripeCustomers/<customer id>` → `{ userId }`; `billingEvents/<event id>`: webhook events applied. */
  private readonly customers: CollectionReference;
  private readonly billingEvents: CollectionReference;
  private readonly ttlMs: number | undefined;

  constructor(options: FirestoreJobStoreOptions) {
    this.firestore = options.firestore;
    const prefix = options.collectionPrefix ?? '';
    this.jobs = this.firestore.collection(`${prefix}jobs`);
    this.users = this.firestore.collection(`${prefix}users`);
    this.keys = this.firestore.collection(`${prefix}apiKeys`);
    this.usage = this.firestore.collection(`${prefix}usage`);
    this.customers = this.firestore.collection(`${prefix}stripeCustomers`);
    this.billingEvents = this.firestore.collection(`${prefix}billingEvents`);
    this.ttlMs =
      options.retentionMs !== undefined ? options.retentionMs + (options.ttlGraceMs ?? 7 * 86400_000) : undefined;
  }

  async createJob(job: Job): Promise<void> {
    const ref = this.jobRef(job.id);
    if (!ref) throw new Error(`invalid job id ${JSON.stringify(job.id)}`);
    await ref.create(this.toDoc(job));
  }

  async getJob(id: string): Promise<Job | undefined> {
    const ref = this.jobRef(id);
    if (!ref) return undefined;
    const snap = await ref.get();
    return snap.exists ? fromDoc(snap.data()!) : undefined;
  }

  async listJobs(owner: string, page: { limit: number; cursor?: string }): Promise<JobPage> {
    const limit = Math.max(1, Math.min(100, page.limit));
    const after = page.cursor ? decodeCursor(page.cursor) : undefined;
    if (page.cursor && !after) throw new InvalidCursorError();
    // Index: owner ASC, createdAt DESC, id DESC. The id breaks ties between jobs created the same millisecond.
    let query = this.jobs.where('owner', '==', owner).orderBy('createdAt', 'desc').orderBy('id', 'desc');
    if (after) query = query.startAfter(after.createdAt, after.id);
    const jobs = await this.jobsOf(query.limit(limit + 1));
    const shown = jobs.slice(0, limit);
    const last = shown[shown.length - 1];
    return jobs.length > limit && last ? { jobs: shown, nextCursor: encodeCursor(last) } : { jobs: shown };
  }

  async markQueued(id: string, input: { eventKey: string; format: string; now: number }): Promise<MarkQueuedOutcome> {
    return this.transition(id, (job): [MarkQueuedOutcome, Job?] => {
      if (!job) return [{ outcome: 'stale' }];
      if (job.status !== 'awaiting_upload') {
        return [job.eventKey === input.eventKey ? { outcome: 'duplicate', job } : { outcome: 'stale', job }];
      }
      const next: Job = {
        ...job,
        status: 'queued',
        eventKey: input.eventKey,
        format: input.format,
        uploadedAt: input.now,
        updatedAt: input.now,
      };
      return [{ outcome: 'queued', job: next }, next];
    });
  }

  async claim(id: string, input: { leaseMs: number; now: number }): Promise<ClaimResult> {
    return this.transition(id, (job): [ClaimResult, Job?] => {
      const claimed = claimJob(job, input);
      return claimed.ok ? [claimed, claimed.job] : [claimed];
    });
  }

  async release(id: string, leaseId: string, input: { error: JobError; now: number }): Promise<boolean> {
    return this.transition(id, (job): [boolean, Job?] => {
      if (!job || job.status !== 'processing' || job.leaseId !== leaseId) return [false];
      const { leaseId: _l, leaseExpiresAt: _e, ...rest } = job;
      return [true, { ...rest, status: 'queued', lastError: input.error, updatedAt: input.now }];
    });
  }

  async complete(
    id: string,
    leaseId: string,
    input: { warnings: JobWarning[]; pages?: number; resultObjects: { markdown: string; json: string }; now: number },
  ): Promise<boolean> {
    return this.transition(id, (job, tx): [boolean, Job?] => {
      const done = completeJob(job, leaseId, input);
      if (!done) return [false];
      // Usage is written in the same transaction as the transition: a retried delivery cannot charge twice.
      const month = monthOf(input.now);
      tx.set(
        this.usage.doc(`${month}_${docIdFor(done.owner)}`),
        { owner: done.owner, month, jobs: FieldValue.increment(1), pages: FieldValue.increment(input.pages ?? 0) },
        { merge: true },
      );
      return [true, done];
    });
  }

  async fail(id: string, input: { error: JobError; now: number; leaseId?: string }): Promise<boolean> {
    return this.transition(id, (job): [boolean, Job?] => {
      if (!job || !canTransition(job.status, 'failed')) return [false];
      if (input.leaseId !== undefined) {
        if (job.status !== 'processing' || job.leaseId !== input.leaseId) return [false];
      } else if (job.status === 'processing' && (job.leaseExpiresAt ?? 0) > input.now) {
        return [false];
      }
      const { leaseId: _l, leaseExpiresAt: _e, ...rest } = job;
      return [true, { ...rest, status: 'failed', error: input.error, finishedAt: input.now, updatedAt: input.now }];
    });
  }

  async expire(id: string, input: { now: number }): Promise<boolean> {
    return this.transition(id, (job): [boolean, Job?] => {
      if (!job || job.status !== 'awaiting_upload') return [false];
      return [
        true,
        {
          ...job,
          status: 'expired',
          error: { code: 'upload_expired', message: 'no upload arrived in time' },
          finishedAt: input.now,
          updatedAt: input.now,
        },
      ];
    });
  }

  async deleteJob(id: string): Promise<boolean> {
    const ref = this.jobRef(id);
    if (!ref) return false;
    return this.firestore.runTransaction(async (tx) => {
      const snap = await tx.get(ref);
      if (!snap.exists) return false;
      tx.delete(ref);
      return true;
    });
  }

  async findCreatedBefore(createdBefore: number, limit: number): Promise<Job[]> {
    return this.jobsOf(this.jobs.where('createdAt', '<', createdBefore).orderBy('createdAt').limit(limit));
  }

  async findUploadExpired(now: number, limit: number): Promise<Job[]> {
    return this.jobsOf(
      this.jobs
        .where('status', '==', 'awaiting_upload')
        .where('uploadDeadline', '<', now)
        .orderBy('uploadDeadline')
        .limit(limit),
    );
  }

  async findLeaseExpired(leaseExpiredBefore: number, limit: number): Promise<Job[]> {
    return this.jobsOf(
      this.jobs
        .where('status', '==', 'processing')
        .where('leaseExpiresAt', '<', leaseExpiredBefore)
        .orderBy('leaseExpiresAt')
        .limit(limit),
    );
  }

  async findQueuedBefore(updatedBefore: number, limit: number): Promise<Job[]> {
    return this.jobsOf(
      this.jobs
        .where('status', '==', 'queued')
        .where('updatedAt', '<', updatedBefore)
        .orderBy('updatedAt')
        .limit(limit),
    );
  }

  async ensureUser(user: { id: string; email?: string; now: number }): Promise<UserRecord> {
    const ref = this.users.doc(docIdFor(user.id));
    return this.firestore.runTransaction(async (tx) => {
      const snap = await tx.get(ref);
      const existing = snap.exists ? (snap.data() as { id: string; email?: string; createdAt: number }) : undefined;
      const record: UserRecord = {
        id: user.id,
        createdAt: existing?.createdAt ?? user.now,
        ...((user.email ?? existing?.email) ? { email: (user.email ?? existing?.email)! } : {}),
      };
      if (!existing) tx.create(ref, record);
      else if (user.email && existing.email !== user.email) tx.update(ref, { email: user.email });
      return record;
    });
  }

  async createApiKey(key: ApiKeyRecord): Promise<void> {
    const ref = this.keyRef(key.id);
    if (!ref) throw new Error('an API key id is the SHA-256 hex of the key');
    await ref.create(withoutUndefined(key));
  }

  async findApiKeyByHash(id: string): Promise<ApiKeyRecord | undefined> {
    const snap = await this.keyRef(id)?.get();
    return snap?.exists ? (snap.data() as ApiKeyRecord) : undefined;
  }

  async listApiKeys(owner: string): Promise<ApiKeyRecord[]> {
    const snap = await this.keys.where('owner', '==', owner).orderBy('createdAt').orderBy('id').get();
    return snap.docs.map((d) => d.data() as ApiKeyRecord);
  }

  async revokeApiKey(owner: string, id: string, now: number): Promise<boolean> {
    const ref = this.keyRef(id);
    if (!ref) return false;
    return this.firestore.runTransaction(async (tx) => {
      const snap = await tx.get(ref);
      const key = snap.exists ? (snap.data() as ApiKeyRecord) : undefined;
      if (!key || key.owner !== owner || key.revokedAt !== undefined) return false;
      tx.update(ref, { revokedAt: now });
      return true;
    });
  }

  async getUsage(owner: string, month: string): Promise<UsageRecord> {
    const snap = await this.usage.doc(`${month}_${docIdFor(owner)}`).get();
    const data = snap.exists ? (snap.data() as { jobs?: number; pages?: number }) : undefined;
    return { owner, month, jobs: data?.jobs ?? 0, pages: data?.pages ?? 0 };
  }

  async getUser(id: string): Promise<UserRecord | undefined> {
    const snap = await this.users.doc(docIdFor(id)).get();
    if (!snap.exists) return undefined;
    const d = snap.data() as UserDoc;
    return {
      id: d.id,
      ...(d.email ? { email: d.email } : {}),
      createdAt: d.createdAt,
      ...(d.stripeCustomerId ? { stripeCustomerId: d.stripeCustomerId } : {}),
      ...(d.plan ? { plan: d.plan } : {}),
      ...(d.billingActive !== undefined ? { billingActive: d.billingActive } : {}),
    };
  }

  async applyBillingEvent(event: BillingEvent): Promise<BillingEventOutcome> {
    const eventRef = this.billingEvents.doc(docIdFor(event.eventId));
    const customerRef = this.customers.doc(docIdFor(event.customerId));
    return this.firestore.runTransaction(async (tx): Promise<BillingEventOutcome> => {
      // Every read happens before any write (a Firestore transaction rule).
      const [seen, link, namedSnap] = await Promise.all([
        tx.get(eventRef),
        tx.get(customerRef),
        event.userId ? tx.get(this.users.doc(docIdFor(event.userId))) : Promise.resolve(undefined),
      ]);
      if (seen.exists) return 'duplicate';
      const linkedUser = link.exists ? (link.data() as { userId: string }).userId : undefined;
      const userRef = namedSnap?.exists ? namedSnap.ref : linkedUser ? this.users.doc(docIdFor(linkedUser)) : undefined;
      const userSnap = namedSnap?.exists ? namedSnap : userRef ? await tx.get(userRef) : undefined;
      const user = userSnap?.exists ? (userSnap.data() as UserDoc) : undefined;
      let previousOwner: UserDoc | undefined;
      if (user && linkedUser && linkedUser !== user.id) {
        const prev = await tx.get(this.users.doc(docIdFor(linkedUser)));
        previousOwner = prev.exists ? (prev.data() as UserDoc) : undefined;
      }
      const outcome: BillingEventOutcome = !user
        ? 'unmatched'
        : event.subscription && user.billingEventAt !== undefined && user.billingEventAt > event.createdAt
          ? 'stale'
          : 'applied';
      tx.create(eventRef, { id: event.eventId, type: event.type, outcome, receivedAt: event.now });
      if (outcome !== 'applied' || !user || !userRef) return outcome;
      // A customer belongs to one user: linking it here unlinks it from the previous one.
      if (previousOwner)
        tx.update(this.users.doc(docIdFor(previousOwner.id)), { stripeCustomerId: FieldValue.delete() });
      tx.set(customerRef, { userId: user.id });
      const sub = event.subscription;
      tx.update(userRef, {
        stripeCustomerId: event.customerId,
        ...(sub
          ? { plan: sub.plan ?? FieldValue.delete(), billingActive: sub.active, billingEventAt: event.createdAt }
          : {}),
      });
      return outcome;
    });
  }

  async close(): Promise<void> {
    await this.firestore.terminate();
  }

  /**
   * Reads the job in a transaction, lets `decide` return a result and optionally the next record, and
   * writes that record in the same transaction. Firestore retries `decide` on contention, so it is pure
   * apart from the extra writes it adds to `tx`.
   */
  private async transition<T>(id: string, decide: (job: Job | undefined, tx: Transaction) => [T, Job?]): Promise<T> {
    const ref = this.jobRef(id);
    if (!ref) return decide(undefined, undefined as unknown as Transaction)[0];
    return this.firestore.runTransaction(async (tx) => {
      const snap = await tx.get(ref);
      const [result, next] = decide(snap.exists ? fromDoc(snap.data()!) : undefined, tx);
      if (next) tx.set(ref, this.toDoc(next));
      return result;
    });
  }

  private async jobsOf(query: Query): Promise<Job[]> {
    const snap = await query.get();
    return snap.docs.map((d) => fromDoc(d.data()));
  }

  private toDoc(job: Job): DocumentData {
    const doc = withoutUndefined(job) as DocumentData;
    if (this.ttlMs !== undefined) doc[TTL_FIELD] = Timestamp.fromMillis(job.createdAt + this.ttlMs);
    return doc;
  }

  private jobRef(id: string) {
    return isPlainDocId(id) ? this.jobs.doc(id) : undefined;
  }

  private keyRef(id: string) {
    return /^[0-9a-f]{64}$/.test(id) ? this.keys.doc(id) : undefined;
  }
}

interface UserDoc {
  id: string;
  email?: string;
  createdAt: number;
  stripeCustomerId?: string;
  plan?: string;
  billingActive?: boolean;
  /** Creation time of the last subscription event applied (out-of-order deliveries older than it are stale). */
  billingEventAt?: number;
}

function fromDoc(data: DocumentData): Job {
  const { [TTL_FIELD]: _ttl, ...job } = data;
  return job as Job;
}

/** Ids we mint are `[A-Za-z0-9_-]`; anything else (a path, `__name__`) is never a document of ours. */
function isPlainDocId(id: string): boolean {
  return /^[A-Za-z0-9_-]{1,200}$/.test(id) && !/^__.*__$/.test(id);
}

/** A user id as a document id: kept when plain, hashed otherwise (ids with `/` would address subcollections). */
export function docIdFor(id: string): string {
  return isPlainDocId(id) && id.length <= 128 ? id : `h_${createHash('sha256').update(id).digest('hex')}`;
}

/** Firestore refuses `undefined`; optional fields are simply absent. */
function withoutUndefined<T extends object>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
