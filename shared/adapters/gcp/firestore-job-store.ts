/**
 * `JobStore` on Firestore: `jobs/<jobId>`, one document per job. Creation uses `create()` (fails when the
 * id exists) and every state change runs in `runTransaction`: it reads the job, decides through
 * `shared/service/jobs/states.ts` exactly like the sqlite store, and writes what the decision returns, so a
 * redelivered event or a duplicate task finds the transition refused. The transaction that marks a job
 * `succeeded` also adds to the owner's `usage` document (read by `FirestoreAccountStore`). Jobs carry an
 * `expiresAt` Timestamp for a TTL policy (a backstop after the retention cleanup; queries never rely on
 * it). The composite indexes these queries need are listed in `firestore-indexes.json`.
 */
import { FieldPath, FieldValue, Timestamp } from '@google-cloud/firestore';
import type {
  CollectionReference,
  DocumentData,
  DocumentReference,
  Firestore,
  Query,
  QueryDocumentSnapshot,
  Transaction,
} from '@google-cloud/firestore';
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
  NameTermsBackfill,
  MarkQueuedOutcome,
  WebhookAttempt,
} from '../../service/ports.ts';
import { withWebhookOutbox } from '../../service/webhooks/state.ts';
import { completeJob, queueJob } from '../../service/jobs/states.ts';
import { chargeEffects, type ChargeEffects } from '../../service/jobs/charges.ts';
import { aiEffects, type AiEffects } from '../../service/analyses/counters.ts';
import { InvalidCursorError } from '../../service/jobs/errors.ts';
import { decodeCursor, encodeCursor, monthOf, nameSearchTerms, normalizeNameQuery } from '../job-store-keys.ts';
import { analysisDecisions, jobDecisions, queued, written, type Decide } from '../job-store-decisions.ts';
import { isPlainDocId, quotaDocId, usageDayDocId, usageDocId, withoutUndefined } from './firestore-docs.ts';

export interface FirestoreJobStoreOptions {
  firestore: Firestore;
  /** Prefixed to every collection name (several deployments or test runs in one database). */
  collectionPrefix?: string;
  /** With a retention, each job gets `expiresAt = createdAt + retention + ttlGrace` for the TTL policy. */
  retentionMs?: number;
  /** How long after the retention the TTL may delete a record: cleanup must have removed its objects first. */
  ttlGraceMs?: number;
}

/** Analyses deleted per transaction (two writes each, the counters; Firestore allows 500 per transaction). */
const ANALYSIS_DELETE_BATCH = 200;

/** The TTL field on job documents (Terraform: `google_firestore_field { field = "expiresAt" ttl_config {} }`). */
export const TTL_FIELD = 'expiresAt';

/**
 * The name search's terms on job documents: every prefix of the file name's word-start suffixes
 * (`nameSearchTerms`, `shared/adapters/job-store-keys.ts`), written with the job and never returned by reads.
 * Jobs written before this field existed are not found by a name search until their next write or until
 * `backfillNameTerms` (run by the cleanup) reaches them.
 */
export const NAME_TERMS_FIELD = 'nameTerms';

/**
 * Where `backfillNameTerms` keeps its place between runs: `<prefix>maintenance/nameTermsBackfill`, either
 * `{ after: <last job id read> }` or `{ done: true }`. Deleting it starts the pass again from the first job.
 */
export const NAME_TERMS_BACKFILL_DOC = 'nameTermsBackfill';

/** gRPC codes of an update whose job was deleted (NOT_FOUND) or rewritten (FAILED_PRECONDITION) meanwhile. */
const GONE_OR_CHANGED = new Set([5, 9]);

export class FirestoreJobStore implements JobStore {
  readonly firestore: Firestore;
  private readonly jobs: CollectionReference;
  /** Written only by `complete`; `FirestoreAccountStore` owns and reads it. */
  private readonly usage: CollectionReference;
  /** The allowance counters and the per-day usage, changed with every transition (`chargeEffects`). */
  private readonly quota: CollectionReference;
  private readonly usageDays: CollectionReference;
  /** Analyses of jobs (`analyses/<id>`, with `jobId`), the AI allowance and the AI usage per day. */
  private readonly analyses: CollectionReference;
  private readonly aiQuota: CollectionReference;
  private readonly aiUsageDays: CollectionReference;
  /** Bookkeeping of one-off passes over the data (`NAME_TERMS_BACKFILL_DOC`). */
  private readonly maintenance: CollectionReference;
  private readonly ttlMs: number | undefined;

  constructor(options: FirestoreJobStoreOptions) {
    this.firestore = options.firestore;
    const prefix = options.collectionPrefix ?? '';
    this.jobs = this.firestore.collection(`${prefix}jobs`);
    this.usage = this.firestore.collection(`${prefix}usage`);
    this.quota = this.firestore.collection(`${prefix}quota`);
    this.usageDays = this.firestore.collection(`${prefix}usageDays`);
    this.analyses = this.firestore.collection(`${prefix}analyses`);
    this.aiQuota = this.firestore.collection(`${prefix}aiQuota`);
    this.aiUsageDays = this.firestore.collection(`${prefix}aiUsageDays`);
    this.maintenance = this.firestore.collection(`${prefix}maintenance`);
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

  async listJobs(owner: string, page: { limit: number; cursor?: string; name?: string }): Promise<JobPage> {
    const limit = Math.max(1, Math.min(100, page.limit));
    const after = page.cursor ? decodeCursor(page.cursor) : undefined;
    if (page.cursor && !after) throw new InvalidCursorError();
    const name = page.name !== undefined ? normalizeNameQuery(page.name) : undefined;
    // Index: owner ASC, createdAt DESC, id DESC. The id breaks ties between jobs created the same millisecond.
    // A name search adds `array-contains` on the name's terms (index: owner, nameTerms CONTAINS, createdAt
    // DESC, id DESC), so the order and the cursor stay those of the plain listing.
    let query =
      name !== undefined
        ? this.jobs
            .where('owner', '==', owner)
            .where(NAME_TERMS_FIELD, 'array-contains', name)
            .orderBy('createdAt', 'desc')
            .orderBy('id', 'desc')
        : this.jobs.where('owner', '==', owner).orderBy('createdAt', 'desc').orderBy('id', 'desc');
    if (after) query = query.startAfter(after.createdAt, after.id);
    const jobs = await this.jobsOf(query.limit(limit + 1));
    const shown = jobs.slice(0, limit);
    const last = shown[shown.length - 1];
    return jobs.length > limit && last ? { jobs: shown, nextCursor: encodeCursor(last) } : { jobs: shown };
  }

  /**
   * Reads up to `limit` jobs in document-id order after the place the previous call kept, and gives those
   * without `nameTerms` their terms. Each update carries the read's update time as a precondition: a job
   * rewritten meanwhile got its terms from that write (`toDoc`), and a deleted one stays deleted. A short
   * read means the last job was reached: the place becomes `done` and later calls read only that document.
   * Jobs written by this code always carry their terms, so a finished pass stays finished (an instance of an
   * older release still writing during a rollout is the exception: delete the place document to run again).
   */
  async backfillNameTerms(limit: number): Promise<NameTermsBackfill> {
    const place = this.maintenance.doc(NAME_TERMS_BACKFILL_DOC);
    const kept = (await place.get()).data() as { after?: string; done?: boolean } | undefined;
    if (kept?.done) return { scanned: 0, filled: 0, done: true };
    const max = Math.max(1, limit);
    let query = this.jobs.orderBy(FieldPath.documentId()).limit(max);
    if (kept?.after) query = query.startAfter(kept.after);
    const snap = await query.get();
    const filled = await Promise.all(
      snap.docs.map(async (doc) => {
        const filename: unknown = doc.get('filename');
        if (doc.get(NAME_TERMS_FIELD) !== undefined || typeof filename !== 'string') return false;
        try {
          await doc.ref.update({ [NAME_TERMS_FIELD]: nameSearchTerms(filename) }, { lastUpdateTime: doc.updateTime });
          return true;
        } catch (error) {
          if (GONE_OR_CHANGED.has((error as { code?: unknown }).code as number)) return false;
          throw error;
        }
      }),
    );
    const last = snap.docs[snap.docs.length - 1];
    const done = !last || snap.size < max;
    await place.set(done ? { done: true } : { after: last.id });
    return { scanned: snap.size, filled: filled.filter(Boolean).length, done };
  }

  async markQueued(
    id: string,
    input: { eventKey: string; format: string; now: number; charge?: ChargeRequest },
  ): Promise<MarkQueuedOutcome> {
    const ref = this.jobRef(id);
    if (!ref) return { outcome: 'stale' };
    if (!input.charge) return this.queueIn(ref, input);
    // Reservations against one allowance document are taken one at a time within this process: concurrent
    // transactions on one document only abort and retry each other (the emulator took minutes for 50).
    // Across instances the transaction alone keeps the allowance exact.
    const owner = (await this.getJob(id))?.owner;
    if (!owner) return { outcome: 'stale' };
    return this.inLane(`${owner}\u0000${input.charge.month}`, () => this.queueIn(ref, input));
  }

  private readonly lanes = new Map<string, Promise<unknown>>();

  /** Runs `fn` after every earlier call with the same key has settled (a per-key queue in this process). */
  private inLane<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const run = (this.lanes.get(key) ?? Promise.resolve()).then(fn, fn);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.lanes.set(key, tail);
    void tail.then(() => {
      if (this.lanes.get(key) === tail) this.lanes.delete(key);
    });
    return run;
  }

  private queueIn(
    ref: DocumentReference,
    input: { eventKey: string; format: string; now: number; charge?: ChargeRequest },
  ): Promise<MarkQueuedOutcome> {
    // Reads the job and then the allowance it reserves from in one transaction: Firestore retries it when a
    // concurrent reservation changed the allowance document in between, so two reservations never both fit.
    return this.firestore.runTransaction(
      async (tx) => {
        const snap = await tx.get(ref);
        const before = snap.exists ? fromDoc(snap.data()!) : undefined;
        let quota: { used: number; reserved: number } | undefined;
        if (before && input.charge) {
          const q = await tx.get(this.quota.doc(quotaDocId(before.owner, input.charge.month)));
          const d = q.exists ? (q.data() as { used?: number; reserved?: number }) : {};
          quota = { used: d.used ?? 0, reserved: d.reserved ?? 0 };
        }
        // A refusal ends the job: its webhook event goes in the outbox with it, as in every transition.
        const [outcome, next] = queued(queueJob(before, input, quota));
        if (next) this.writeJob(tx, before, withWebhookOutbox(before, next));
        return outcome;
      },
      { maxAttempts: 100 },
    );
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
    return this.transition(id, (job, tx) => {
      const done = completeJob(job, leaseId, input);
      // Usage is written in the transaction that marks the job succeeded: a succeeded job and its usage must
      // never disagree (two transactions could leave one without the other), and a retried delivery finds
      // the job finished and counts nothing again. `FirestoreAccountStore.getUsage` reads the document.
      if (done) {
        const month = monthOf(input.now);
        tx.set(
          this.usage.doc(usageDocId(done.owner, month)),
          { owner: done.owner, month, jobs: FieldValue.increment(1), pages: FieldValue.increment(input.pages ?? 0) },
          { merge: true },
        );
      }
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
    const ref = this.jobRef(id);
    if (!ref) return false;
    // A transaction writes at most 500 documents: the analyses go first, a batch per transaction (each one's
    // counters with it); the job's own transaction then removes the job and whatever analysis was created
    // meanwhile (creation reads the job in its transaction, so none can follow the job's deletion).
    for (;;) {
      const removed = await this.firestore.runTransaction(async (tx) => {
        const batch = await tx.get(this.analyses.where('jobId', '==', id).limit(ANALYSIS_DELETE_BATCH));
        this.deleteAnalyses(tx, batch.docs);
        return batch.size;
      });
      if (removed < ANALYSIS_DELETE_BATCH) break;
    }
    return this.firestore.runTransaction(async (tx) => {
      const snap = await tx.get(ref);
      if (!snap.exists) return false;
      // Every read before the first write (a Firestore transaction's rule): the job, then its analyses.
      const analyses = await tx.get(this.analyses.where('jobId', '==', id).limit(ANALYSIS_DELETE_BATCH));
      tx.delete(ref);
      const job = fromDoc(snap.data()!);
      this.applyEffects(tx, job.owner, chargeEffects(job, undefined));
      this.deleteAnalyses(tx, analyses.docs);
      return true;
    });
  }

  async recordWebhookAttempt(id: string, input: WebhookAttempt): Promise<Job | undefined> {
    return this.transition(id, jobDecisions.recordWebhookAttempt(input));
  }

  async markWebhookEnqueued(id: string, eventId: string): Promise<boolean> {
    return this.transition(id, jobDecisions.markWebhookEnqueued(eventId));
  }

  async countActiveJobs(owner: string): Promise<number> {
    const snap = await this.jobs
      .where('owner', '==', owner)
      .where('status', 'in', ['awaiting_upload', 'awaiting_confirmation', 'queued', 'processing'])
      .count()
      .get();
    return snap.data().count;
  }

  async findConfirmationExpired(now: number, limit: number): Promise<Job[]> {
    return this.jobsOf(
      this.jobs
        .where('status', '==', 'awaiting_confirmation')
        .where('confirmDeadline', '<', now)
        .orderBy('confirmDeadline')
        .limit(limit),
    );
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

  async createAnalysis(analysis: Analysis, allowance: { limit: number }): Promise<CreateAnalysisOutcome> {
    const ref = this.analysisRef(analysis.id);
    const jobRef = this.jobRef(analysis.jobId);
    if (!ref) throw new Error(`invalid analysis id ${JSON.stringify(analysis.id)}`);
    if (!jobRef) return { outcome: 'job_not_ready' };
    // One allowance document per owner and month: calls taken one at a time in this process (as in markQueued).
    return this.inLane(`ai\u0000${analysis.owner}\u0000${analysis.chargeMonth}`, () =>
      this.firestore.runTransaction(
        async (tx): Promise<CreateAnalysisOutcome> => {
          const jobSnap = await tx.get(jobRef);
          const job = jobSnap.exists ? fromDoc(jobSnap.data()!) : undefined;
          if (!job || job.owner !== analysis.owner || job.status !== 'succeeded')
            return { outcome: 'job_not_ready', ...(job ? { job } : {}) };
          const q = await tx.get(this.aiQuota.doc(quotaDocId(analysis.owner, analysis.chargeMonth)));
          const used = q.exists ? ((q.data() as { calls?: number }).calls ?? 0) : 0;
          if (used + 1 > allowance.limit) return { outcome: 'refused', used };
          tx.create(ref, this.toAnalysisDoc(analysis));
          this.applyAiEffects(tx, analysis.owner, aiEffects(undefined, analysis));
          return { outcome: 'created', analysis };
        },
        { maxAttempts: 100 },
      ),
    );
  }

  async getAnalysis(id: string): Promise<Analysis | undefined> {
    const ref = this.analysisRef(id);
    if (!ref) return undefined;
    const snap = await ref.get();
    return snap.exists ? analysisFromDoc(snap.data()!) : undefined;
  }

  async listAnalyses(jobId: string, page: { limit: number; cursor?: string }): Promise<AnalysisPage> {
    const limit = Math.max(1, Math.min(100, page.limit));
    const after = page.cursor ? decodeCursor(page.cursor) : undefined;
    if (page.cursor && !after) throw new InvalidCursorError();
    // Index: jobId ASC, createdAt DESC, id DESC.
    let query = this.analyses.where('jobId', '==', jobId).orderBy('createdAt', 'desc').orderBy('id', 'desc');
    if (after) query = query.startAfter(after.createdAt, after.id);
    const all = await this.analysesOf(query.limit(limit + 1));
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
    const snap = await this.aiQuota.doc(quotaDocId(owner, month)).get();
    return { owner, month, calls: snap.exists ? ((snap.data() as { calls?: number }).calls ?? 0) : 0 };
  }

  async listAiUsageDays(owner: string, range: { from: string; to: string }): Promise<AiUsageDay[]> {
    // Index: owner ASC, day ASC.
    const snap = await this.aiUsageDays
      .where('owner', '==', owner)
      .where('day', '>=', range.from)
      .where('day', '<=', range.to)
      .orderBy('day')
      .get();
    const rows: AiUsageDay[] = [];
    for (const doc of snap.docs) {
      const d = doc.data() as { day: string; formats?: Record<string, { calls?: number }> };
      for (const format of Object.keys(d.formats ?? {}).sort()) {
        rows.push({ owner, day: d.day, format, calls: d.formats![format].calls ?? 0 });
      }
    }
    return rows;
  }

  async findAnalysesLeaseExpired(leaseExpiredBefore: number, limit: number): Promise<Analysis[]> {
    return this.analysesOf(
      this.analyses
        .where('status', '==', 'running')
        .where('leaseExpiresAt', '<', leaseExpiredBefore)
        .orderBy('leaseExpiresAt')
        .limit(limit),
    );
  }

  async findAnalysesQueuedBefore(updatedBefore: number, limit: number): Promise<Analysis[]> {
    return this.analysesOf(
      this.analyses
        .where('status', '==', 'queued')
        .where('updatedAt', '<', updatedBefore)
        .orderBy('updatedAt')
        .limit(limit),
    );
  }

  /** One analysis state change in a transaction, like `transition`: read, decide, write with its counters. */
  private async analysisTransition<T>(id: string, decide: Decide<Analysis, T>): Promise<T> {
    const ref = this.analysisRef(id);
    if (!ref) return decide(undefined)[0];
    return this.firestore.runTransaction(
      async (tx) => {
        const snap = await tx.get(ref);
        const before = snap.exists ? analysisFromDoc(snap.data()!) : undefined;
        const [result, next] = decide(before);
        if (next) {
          tx.set(ref, this.toAnalysisDoc(next));
          this.applyAiEffects(tx, next.owner, aiEffects(before, next));
        }
        return result;
      },
      { maxAttempts: 100 },
    );
  }

  /** Deletes the analyses in `tx` with their counter changes, summed per owner and month (one write each). */
  private deleteAnalyses(tx: Transaction, docs: QueryDocumentSnapshot[]): void {
    const released = new Map<string, { owner: string; month: string; calls: number }>();
    for (const doc of docs) {
      const a = analysisFromDoc(doc.data());
      tx.delete(doc.ref);
      const q = aiEffects(a, undefined).allowance;
      if (!q) continue;
      const key = `${a.owner}\u0000${q.month}`;
      const sum = released.get(key) ?? { owner: a.owner, month: q.month, calls: 0 };
      sum.calls += q.calls;
      released.set(key, sum);
    }
    for (const { owner, month, calls } of released.values())
      this.applyAiEffects(tx, owner, { allowance: { month, calls } });
  }

  private applyAiEffects(tx: Transaction, owner: string, effects: AiEffects): void {
    const q = effects.allowance;
    if (q) {
      tx.set(
        this.aiQuota.doc(quotaDocId(owner, q.month)),
        { owner, month: q.month, calls: FieldValue.increment(q.calls) },
        { merge: true },
      );
    }
    const u = effects.usage;
    if (u) {
      tx.set(
        this.aiUsageDays.doc(usageDayDocId(owner, u.day)),
        { owner, day: u.day, formats: { [u.format]: { calls: FieldValue.increment(u.calls) } } },
        { merge: true },
      );
    }
  }

  private async analysesOf(query: Query): Promise<Analysis[]> {
    const snap = await query.get();
    return snap.docs.map((d) => analysisFromDoc(d.data()));
  }

  /** Analyses expire with their job: the same TTL instant, from the job's creation time. */
  private toAnalysisDoc(a: Analysis): DocumentData {
    const doc = withoutUndefined(a) as DocumentData;
    if (this.ttlMs !== undefined) doc[TTL_FIELD] = Timestamp.fromMillis(a.jobCreatedAt + this.ttlMs);
    return doc;
  }

  private analysisRef(id: string) {
    return isPlainDocId(id) ? this.analyses.doc(id) : undefined;
  }

  async findWebhookOutbox(endedBefore: number, limit: number): Promise<Job[]> {
    // One inequality on one field: Firestore's automatic single-field index serves it (no composite index).
    return this.jobsOf(this.jobs.where('webhook.outboxAt', '<', endedBefore).orderBy('webhook.outboxAt').limit(limit));
  }

  async close(): Promise<void> {
    await this.firestore.terminate();
  }

  /**
   * Reads the job in a transaction, lets `decide` (a states.ts decision) return the answer and the record
   * to write, and writes that record in the same transaction. Firestore retries `decide` on contention, so
   * it is pure apart from the extra writes it adds to `tx` (the usage counter).
   */
  private async transition<T>(
    id: string,
    decide: (job: Job | undefined, tx: Transaction) => [T, Job | undefined],
  ): Promise<T> {
    const ref = this.jobRef(id);
    if (!ref) return decide(undefined, undefined as unknown as Transaction)[0];
    return this.firestore.runTransaction(
      async (tx) => {
        const snap = await tx.get(ref);
        const before = snap.exists ? fromDoc(snap.data()!) : undefined;
        const [result, decided] = decide(before, tx);
        // The webhook outbox entry goes in the write that ends the job (`withWebhookOutbox`).
        if (decided) this.writeJob(tx, before, withWebhookOutbox(before, decided));
        return result;
      },
      { maxAttempts: 100 },
    );
  }

  /** Writes the job and the counter changes of `before → next` in `tx` (increments: no read needed). */
  private writeJob(tx: Transaction, before: Job | undefined, next: Job): void {
    const ref = this.jobRef(next.id)!;
    tx.set(ref, this.toDoc(next));
    this.applyEffects(tx, next.owner, chargeEffects(before, next));
  }

  private applyEffects(tx: Transaction, owner: string, effects: ChargeEffects): void {
    const q = effects.quota;
    if (q) {
      tx.set(
        this.quota.doc(quotaDocId(owner, q.month)),
        { owner, month: q.month, used: FieldValue.increment(q.used), reserved: FieldValue.increment(q.reserved) },
        { merge: true },
      );
    }
    const u = effects.usage;
    if (u) {
      tx.set(
        this.usageDays.doc(usageDayDocId(owner, u.day)),
        {
          owner,
          day: u.day,
          formats: {
            [u.format]: {
              jobs: FieldValue.increment(u.jobs),
              failures: FieldValue.increment(u.failures),
              units: FieldValue.increment(u.units),
              pages: FieldValue.increment(u.pages),
            },
          },
        },
        { merge: true },
      );
    }
  }

  private async jobsOf(query: Query): Promise<Job[]> {
    const snap = await query.get();
    return snap.docs.map((d) => fromDoc(d.data()));
  }

  private toDoc(job: Job): DocumentData {
    const doc = withoutUndefined(job) as DocumentData;
    doc[NAME_TERMS_FIELD] = nameSearchTerms(job.filename);
    if (this.ttlMs !== undefined) doc[TTL_FIELD] = Timestamp.fromMillis(job.createdAt + this.ttlMs);
    return doc;
  }

  private jobRef(id: string) {
    return isPlainDocId(id) ? this.jobs.doc(id) : undefined;
  }
}

function fromDoc(data: DocumentData): Job {
  const { [TTL_FIELD]: _ttl, [NAME_TERMS_FIELD]: _terms, ...job } = data;
  return job as Job;
}

function analysisFromDoc(data: DocumentData): Analysis {
  const { [TTL_FIELD]: _ttl, ...a } = data;
  return a as Analysis;
}
