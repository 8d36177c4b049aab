/**
 * The interfaces domain code talks to. GCP adapters implement them for production, local adapters for the
 * embedded default. The engine defines its own `Ocr` port (`shared/engine/ocr.ts`); it is re-exported here.
 */

export type { Ocr, OcrLine, OcrPage, OcrWord } from '../engine/ocr.ts';

/**
 * An optional language-model clean-up of converted Markdown (off by default). It may only reformat: callers
 * check its output with `shared/service/jobs/llm-guard.ts` and keep the original when the output says anything new.
 */
export interface Llm {
  /** The same Markdown, tidied (headings, lists, broken lines); never new content. */
  tidy(markdown: string, context: { title?: string }): Promise<string>;
}

// ---------------------------------------------------------------------------------------------------------
// Pipeline ports: blob storage, the job and account stores, the task queue and caller identity. Each is small on
// purpose so that a Cloud Storage / Firestore / Cloud Tasks / Firebase Auth adapter and a local adapter
// (disk, node:sqlite, a sqlite-backed queue) can implement it with the same observable behaviour.
// ---------------------------------------------------------------------------------------------------------

/** A signed request a client performs as-is: every header listed must be sent with exactly this value. */
export interface SignedRequest {
  url: string;
  method: 'PUT' | 'GET';
  headers: Record<string, string>;
  /** ISO-8601 instant after which the URL is refused. */
  expiresAt: string;
}

export interface BlobStat {
  size: number;
  contentType: string;
  /** Opaque, increases with each write of the same name (GCS generation, as a decimal string). */
  generation: string;
}

/** Thrown by `BlobStore.write` when `ifGenerationMatch` does not hold (GCS answers 412). */
export class PreconditionFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PreconditionFailedError';
  }
}

/**
 * A store (database or blobs) has no room left (disk full, quota reached). Writes fail with it; reads and
 * deletes keep working. HTTP: 507 `insufficient_storage` (RFC 4918 §11.5).
 */
export class StorageFullError extends Error {
  readonly code = 'insufficient_storage';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageFullError';
  }
}

/** The store stayed locked (by another process) past its retries. HTTP: 503 `unavailable`, retry shortly. */
export class StoreBusyError extends Error {
  readonly code = 'unavailable';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreBusyError';
  }
}

/** One bucket (`uploads` or `results`). Object names are chosen by the server, never by the caller. */
export interface BlobStore {
  readonly bucket: string;
  /**
   * A create-only upload URL for exactly `size` bytes of `contentType`: it signs `Content-Type`,
   * `x-goog-content-length-range: <size>,<size>` and `x-goog-if-generation-match: 0`.
   */
  signUpload(input: { name: string; contentType: string; size: number; expiresAt: Date }): Promise<SignedRequest>;
  /** A download URL; `filename` becomes the Content-Disposition, `contentType` the response type. */
  signDownload(
    name: string,
    input: { expiresAt: Date; filename?: string; contentType?: string },
  ): Promise<SignedRequest>;
  /** The whole object, or undefined when it does not exist. */
  read(name: string): Promise<Uint8Array | undefined>;
  /** `ifGenerationMatch: 0` = create only (PreconditionFailedError when it exists). */
  write(
    name: string,
    bytes: Uint8Array,
    options: { contentType: string; ifGenerationMatch?: number },
  ): Promise<BlobStat>;
  stat(name: string): Promise<BlobStat | undefined>;
  /** Idempotent: deleting a missing object is not an error. */
  delete(name: string): Promise<void>;
  list(prefix: string): Promise<string[]>;
}

export type JobStatus = 'awaiting_upload' | 'queued' | 'processing' | 'succeeded' | 'failed' | 'expired';

export interface JobError {
  code: string;
  message: string;
}

export interface JobWarning {
  code: string;
  message: string;
  page?: number;
}

/** The job record. Times are epoch milliseconds. */
export interface Job {
  id: string;
  owner: string;
  status: JobStatus;
  filename: string;
  /** What the caller declared when creating the job. */
  contentType: string;
  size: number;
  /** Object name in the uploads bucket. */
  inputObject: string;
  createdAt: number;
  updatedAt: number;
  /** A job still `awaiting_upload` after this instant is expired by cleanup. */
  uploadDeadline: number;
  uploadedAt?: number;
  startedAt?: number;
  finishedAt?: number;
  /** `bucket/name#generation` of the upload that queued the job (the idempotency key). */
  eventKey?: string;
  /** Format detected from the uploaded bytes. */
  format?: string;
  /** Claims so far (one per delivery that got the lease). */
  attempts: number;
  leaseId?: string;
  leaseExpiresAt?: number;
  error?: JobError;
  /** The last transient error, kept for diagnosis while the job is retried. */
  lastError?: JobError;
  warnings: JobWarning[];
  pages?: number;
  /** Object names in the results bucket, set on success. */
  resultObjects?: { markdown: string; json: string };
}

export interface JobPage {
  jobs: Job[];
  nextCursor?: string;
}

export type MarkQueuedOutcome =
  /** The transition happened now. */
  | { outcome: 'queued'; job: Job }
  /** The same upload already queued the job (a redelivered event): enqueueing again is harmless. */
  | { outcome: 'duplicate'; job: Job }
  /** The job is gone or in another state for another upload: ignore the event. */
  | { outcome: 'stale'; job?: Job };

export interface Lease {
  leaseId: string;
  expiresAt: number;
  /** The job's claim count including this one. */
  attempt: number;
}

export type ClaimResult =
  | { ok: true; job: Job; lease: Lease }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'finished' | 'not_ready' | 'leased'; job: Job };

export interface ApiKeyRecord {
  /** SHA-256 hex of the whole key: the only form stored. */
  id: string;
  owner: string;
  name: string;
  /** The first characters of the key, for people to recognise it in a list. */
  prefix: string;
  createdAt: number;
  revokedAt?: number;
}

export type UserStatus = 'active' | 'suspended';

export interface UserRecord {
  id: string;
  email?: string;
  /** What the person calls themselves (`PATCH /v1/me`); from the identity provider at first sign-in. */
  displayName?: string;
  createdAt: number;
  /** Last authenticated request (epoch ms), written at most once a minute. */
  lastSeenAt?: number;
  /** `suspended`: every key and token of the user is refused at once. Absent = active. */
  status?: UserStatus;
  /** Set by billing webhooks: the Stripe customer this user is billed as. */
  stripeCustomerId?: string;
  /**
   * The plan id (a key of the plans table, `shared/service/accounts/plans.ts`); absent = `free`. Billing
   * webhooks set it from the subscription's price lookup key; an admin may set it.
   */
  plan?: string;
  /** Whether the subscription is active or trialing. */
  billingActive?: boolean;
}

export interface UsageRecord {
  owner: string;
  /** `YYYY-MM` (UTC). */
  month: string;
  jobs: number;
  pages: number;
}

/**
 * The job records, nothing else. Every state change is one transaction that re-reads the record, asks
 * `shared/service/jobs/states.ts` whether the transition is allowed and what the record becomes, and writes
 * that, so concurrent or repeated calls are harmless. The decisions live in states.ts only; a store reads,
 * decides through it, and writes.
 */
export interface JobStore {
  /** Fails if the id exists. */
  createJob(job: Job): Promise<void>;
  getJob(id: string): Promise<Job | undefined>;
  /** Newest first, only `owner`'s jobs; `cursor` comes from the previous page. */
  listJobs(owner: string, page: { limit: number; cursor?: string }): Promise<JobPage>;
  /** `awaiting_upload` → `queued`, keyed on `bucket/name#generation` (decision: `queueJob`). */
  markQueued(id: string, input: { eventKey: string; format: string; now: number }): Promise<MarkQueuedOutcome>;
  /** `queued` (or `processing` whose lease expired) → `processing` with a fresh lease (decision: `claimJob`). */
  claim(id: string, input: { leaseMs: number; now: number }): Promise<ClaimResult>;
  /**
   * The lease holder's heartbeat: `leaseExpiresAt` becomes `now + leaseMs` (decision: `renewLease`). False
   * when `leaseId` no longer holds the job (taken over, finished, deleted): the caller's work is superseded.
   */
  extendLease(id: string, leaseId: string, input: { leaseMs: number; now: number }): Promise<boolean>;
  /**
   * Gives a lease back after a transient error: `processing` → `queued` (decision: `releaseJob`). False if
   * the lease was lost.
   */
  release(id: string, leaseId: string, input: { error: JobError; now: number }): Promise<boolean>;
  /**
   * `processing` → `succeeded` for the current lease holder only (decision: `completeJob`). Adds the job and
   * its pages to the owner's monthly usage counter (read through `AccountStore.getUsage`) IN THE SAME
   * TRANSACTION: a succeeded job and its usage must never disagree, so neither a crash between two writes
   * nor a redelivered task can leave a success uncounted or counted twice.
   */
  complete(
    id: string,
    leaseId: string,
    input: { warnings: JobWarning[]; pages?: number; resultObjects: { markdown: string; json: string }; now: number },
  ): Promise<boolean>;
  /**
   * → `failed` (decision: `failJob`). With `leaseId`: only for that lease holder. Without: from
   * `awaiting_upload`/`queued`, or from `processing` when the lease has expired (`now` past it) — never
   * from under a live worker.
   */
  fail(id: string, input: { error: JobError; now: number; leaseId?: string }): Promise<boolean>;
  /** `awaiting_upload` → `expired` (decision: `expireJob`). */
  expire(id: string, input: { now: number }): Promise<boolean>;
  deleteJob(id: string): Promise<boolean>;
  /** Jobs created before `createdBefore` (retention), oldest first. */
  findCreatedBefore(createdBefore: number, limit: number): Promise<Job[]>;
  /** `awaiting_upload` jobs whose upload deadline has passed. */
  findUploadExpired(now: number, limit: number): Promise<Job[]>;
  /** `processing` jobs whose lease expired before `leaseExpiredBefore`. */
  findLeaseExpired(leaseExpiredBefore: number, limit: number): Promise<Job[]>;
  /** `queued` jobs not touched since `updatedBefore` (their task may have been lost). */
  findQueuedBefore(updatedBefore: number, limit: number): Promise<Job[]>;
  close?(): Promise<void>;
}

/**
 * Users, their API keys, their monthly usage and their billing state. Backends keep it in the same
 * database as the jobs (one node:sqlite file, one Firestore database), because `JobStore.complete` writes
 * the usage counter this store reads in the job's own transaction.
 */
export interface AccountStore {
  /** Creates the user when new; updates the email when one is given and differs. Keeps billing fields. */
  ensureUser(user: { id: string; email?: string; now: number }): Promise<UserRecord>;
  /** The user with billing fields, or undefined. */
  getUser(id: string): Promise<UserRecord | undefined>;
  /** Fails if the id (the key's SHA-256 hex) exists. */
  createApiKey(key: ApiKeyRecord): Promise<void>;
  findApiKeyByHash(id: string): Promise<ApiKeyRecord | undefined>;
  /** Oldest first (creation time, then id), revoked keys included. */
  listApiKeys(owner: string): Promise<ApiKeyRecord[]>;
  /** Owner-scoped; false when the key is not the owner's or is already revoked. */
  revokeApiKey(owner: string, id: string, now: number): Promise<boolean>;
  /** The counters `JobStore.complete` wrote for `owner` in `month` (`YYYY-MM`, UTC); zeros when none. */
  getUsage(owner: string, month: string): Promise<UsageRecord>;
  /**
   * Applies one billing webhook event and records its id, in one transaction: a redelivered event id is a
   * `duplicate` and changes nothing; an event older than the last one applied to that user is `stale`.
   */
  applyBillingEvent(event: BillingEvent): Promise<BillingEventOutcome>;
  close?(): Promise<void>;
}

/** What a Stripe webhook event means for a user, already parsed out of the event. */
export interface BillingEvent {
  /** The Stripe event id (`evt_…`): the de-duplication key. */
  eventId: string;
  type: string;
  /** Event creation time (epoch ms): older events never overwrite newer state (delivery is out of order). */
  createdAt: number;
  customerId: string;
  /** Our user id when the event names it (Checkout `client_reference_id`, subscription metadata): links the customer. */
  userId?: string;
  /** Subscription state to set, when the event carries one. */
  subscription?: { plan?: string; active: boolean };
  now: number;
}

export type BillingEventOutcome = 'applied' | 'duplicate' | 'stale' | 'unmatched';

/** One succeeded job's usage, reported to billing after the job store recorded it. */
export interface UsageReport {
  jobId: string;
  owner: string;
  /** The same page count the job store's usage record got (0 for documents without pages). */
  pages: number;
  /** When the job succeeded (epoch ms). */
  at: number;
}

/**
 * Usage-based billing. `recordUsage` is idempotent by `jobId`: a repeated call for the same job (a
 * redelivered task re-reporting after a failed report) never bills twice. `recorded: false` says the usage
 * was not forwarded (`no_customer`: the owner has no billing account; `duplicate`: seen before).
 */
export interface Billing {
  readonly kind: 'stripe' | 'ledger';
  recordUsage(usage: UsageReport): Promise<{ recorded: boolean; reason?: 'no_customer' | 'duplicate' }>;
}

export interface EnqueueRequest {
  /** De-duplicates: a second task with the same name is not created. */
  name: string;
  url: string;
  body: unknown;
  scheduleTime?: Date;
  /**
   * Whose task it is (the job's owner). The local queue dispatches round-robin across keys, so one key's
   * backlog never holds another's task back by more than the tasks already in flight. Cloud Tasks ignores it
   * (fairness there comes from queue configuration: `functions/README.md`).
   */
  fairnessKey?: string;
}

export interface TaskQueue {
  /** `created: false` when a task of that name exists or existed recently (ALREADY_EXISTS is success). */
  enqueue(task: EnqueueRequest): Promise<{ created: boolean }>;
  close?(): Promise<void>;
}

export interface VerifiedIdentity {
  uid: string;
  email?: string;
}

/** Why a credential was refused; `code` is a stable API error code. */
export class AuthError extends Error {
  readonly code: 'unauthenticated' | 'token_expired' | 'token_invalid' | 'token_revoked' | 'token_unsupported';
  constructor(code: AuthError['code'], message: string) {
    super(message);
    this.name = 'AuthError';
    this.code = code;
  }
}

export interface Identity {
  /** Verifies a Firebase ID token; throws `AuthError` when it is not acceptable. */
  verifyIdToken(token: string): Promise<VerifiedIdentity>;
}

/** What a malware scan found. `signature` is the scanner's name for what it matched (ClamAV's virus name). */
export type ScanVerdict = { status: 'clean' } | { status: 'infected'; signature: string };

/**
 * The scanner could not give a verdict (not reachable, timed out, answered an error or something unparsable).
 * Transient for the pipeline: the conversion is retried, never run unscanned.
 */
export class ScannerUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ScannerUnavailableError';
  }
}

/**
 * A malware scanner (ClamAV's clamd in `shared/adapters/clamav/`). `scan` takes the whole object's bytes or a
 * stream of chunks; it resolves with a verdict or rejects with `ScannerUnavailableError`.
 */
export interface Scanner {
  /** For logs: `clamd` … */
  readonly kind: string;
  scan(input: Uint8Array | AsyncIterable<Uint8Array>): Promise<ScanVerdict>;
  close?(): Promise<void>;
}

/** The ports the pipeline's use cases run on; both backends (local, gcp) provide exactly this set. */
export interface PipelinePorts {
  jobs: JobStore;
  /** Users, API keys, usage, billing state: the same database as `jobs`. */
  accounts: AccountStore;
  uploads: BlobStore;
  results: BlobStore;
  tasks: TaskQueue;
  identity: Identity;
  /** Usage reporting after a job succeeds; absent = billing off. */
  billing?: Billing;
  /** Optional LLM tidy-up of the converted Markdown, guarded against added content; absent = off. */
  llm?: Llm;
  /** Malware scanning of every upload before conversion; absent = off (a notice is logged at start). */
  scanner?: Scanner;
}
