/**
 * The interfaces domain code talks to. GCP adapters implement them for production, local adapters for the
 * embedded default. The engine defines its own `Ocr` port (`shared/engine/ocr.ts`); it is re-exported here.
 */

export type { Ocr, OcrLine, OcrPage, OcrWord } from '../engine/ocr.ts';
import type { Analyzer } from '../analysis/port.ts';
import type { InstalledOcrLanguage } from '../engine/ocr-languages.ts';

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

export type JobStatus =
  | 'awaiting_upload'
  /** Counted and reserved; converts only after `POST /v1/jobs/{id}/confirm` (created with `confirm: true`). */
  | 'awaiting_confirmation'
  | 'queued'
  | 'processing'
  | 'succeeded'
  | 'failed'
  | 'expired';

/** What became of a job's billable units: reserved when counted, settled on success, released otherwise. */
export type ChargeState = 'reserved' | 'settled' | 'released';

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
/**
 * Conversion options a caller may set on a job (`POST /v1/jobs` `options`), passed to the engine as they are
 * (`ConvertOptions` in `shared/engine/types.ts` documents each). Only options that cannot reach outside the
 * document: no passwords are stored, no embedding of images.
 */
export interface JobConvertOptions {
  /** Charset of text input with none declared (a BOM still wins): a WHATWG or iconv-lite label. */
  charset?: string;
  /** Comments as an appendix of footnotes (DOCX, PPTX, XLSX threads). */
  comments?: boolean;
  /** DOCX tracked changes: `accept` (default) or `show`. */
  trackedChanges?: 'accept' | 'show';
  /** OCR languages (tesseract codes), from the installed set (`engine/ocr-languages.ts`). */
  ocrLanguages?: InstalledOcrLanguage[];
  /** `<!-- page N -->` before each PDF page or PPTX slide. */
  pageSeparators?: boolean;
  /** 1-based inclusive page range of a paged document. */
  pages?: { first: number; last: number };
}

/** Where a job's terminal event goes, and how its delivery went (`shared/service/webhooks/`). */
export interface JobWebhook {
  /** The callback URL (https; checked again, after DNS, at every delivery). */
  url: string;
  /** The id of the API key whose signing secret signs the event (`ApiKeyRecord.webhookSecret`). */
  keyId: string;
  /** `evt_…`, fixed at creation: every delivery attempt of the event carries the same id. */
  eventId: string;
  /** `pending` until delivered (2xx) or given up (`failed`: refused address, attempts exhausted, key revoked). */
  state: 'pending' | 'delivered' | 'failed';
  /** Delivery attempts made so far. */
  attempts: number;
  lastAttemptAt?: number;
  /** The HTTP status the receiver last answered. */
  lastStatus?: number;
  /** Why the last attempt did not succeed. */
  lastError?: JobError;
  deliveredAt?: number;
  /**
   * The transactional outbox entry: set to the instant the job ended IN THE SAME WRITE that makes it terminal
   * (while no attempt was enqueued), removed once the first attempt's task is enqueued
   * (`JobStore.markWebhookEnqueued`) or any attempt is recorded. Cleanup enqueues the events still here after a
   * grace period (`webhooks/outbox.ts`): a crash between the terminal write and the enqueue loses no event.
   */
  outboxAt?: number;
}

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
  /** Created with `confirm: true`: stops in `awaiting_confirmation` once its units are counted. */
  confirm?: boolean;
  /** The caller's spending cap in billable units: a job counted above it fails `spending_cap_exceeded`. */
  maxUnits?: number;
  /** Billable units counted from the upload (reserved); after success, the units charged (never more). */
  units?: number;
  charge?: ChargeState;
  /** The month (`YYYY-MM`, UTC) whose allowance the units count against: the month they were reserved in. */
  chargeMonth?: string;
  /** An `awaiting_confirmation` job not confirmed by then is expired by cleanup (epoch ms). */
  confirmDeadline?: number;
  /** Conversion options the caller set. */
  options?: JobConvertOptions;
  /** The callback notified when the job reaches a terminal state, and its delivery state. */
  webhook?: JobWebhook;
}

export interface JobPage {
  jobs: Job[];
  nextCursor?: string;
}

/** One bounded pass of `JobStore.backfillNameTerms`: records read, records given their terms, whether all are done. */
export interface NameTermsBackfill {
  scanned: number;
  filled: number;
  /** True once every record has been read: later calls read nothing more. */
  done: boolean;
}

/** An analysis's state: `queued` → `running` (leased) → `succeeded` | `failed`; `running` → `queued` on a transient error. */
export type AnalysisStatus = 'queued' | 'running' | 'succeeded' | 'failed';

/** What an analysis computes (`shared/analysis/port.ts`). */
export type AnalysisKind = 'requirements' | 'ask' | 'summary' | 'outline';

/** Model use of an analysis the Gemini engine ran (absent for the offline engine). Cost in US dollars. */
export interface AnalysisUsage {
  model: string;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/**
 * An analysis of a succeeded job (`POST /v1/jobs/{id}/analyses`), run by the task queue like a conversion
 * (lease, attempts, retries). It counts one AI call against its owner's month (`chargeMonth`): reserved at
 * creation, settled on success, released on failure or when deleted unfinished
 * (`shared/service/analyses/counters.ts`). Times are epoch milliseconds.
 */
export interface Analysis {
  /** `ana_` + 22 base64url characters. */
  id: string;
  jobId: string;
  owner: string;
  kind: AnalysisKind;
  /** For `ask`: the question, as asked. */
  question?: string;
  status: AnalysisStatus;
  /** The engine chosen when the analysis was created (configuration: `MDRAFT_ANALYZER`). */
  engine: 'offline' | 'gemini';
  /** The analysed job's detected format: the usage row the call is counted under. */
  format: string;
  /** The job's creation time: analyses expire with their job (retention, Firestore TTL). */
  jobCreatedAt: number;
  createdAt: number;
  updatedAt: number;
  startedAt?: number;
  finishedAt?: number;
  attempts: number;
  leaseId?: string;
  leaseExpiresAt?: number;
  error?: JobError;
  lastError?: JobError;
  /** The result's warnings (codes of `shared/analysis/schema.ts`), set on success. */
  warnings: JobWarning[];
  /** Claims dropped because their quote is not in the document verbatim (Gemini engine). */
  droppedClaims?: number;
  usage?: AnalysisUsage;
  /** Object name of the result JSON in the results bucket, set on success. */
  resultObject?: string;
  /** `YYYY-MM` (UTC) of the AI allowance the call counts against. */
  chargeMonth: string;
  charge: ChargeState;
}

export interface AnalysisPage {
  analyses: Analysis[];
  nextCursor?: string;
}

export type CreateAnalysisOutcome =
  | { outcome: 'created'; analysis: Analysis }
  /** The job is gone or not `succeeded` (read in the same transaction): nothing was written. */
  | { outcome: 'job_not_ready'; job?: Job }
  /** The month's AI allowance is spent: nothing was written. `used` = calls counted this month. */
  | { outcome: 'refused'; used: number };

export type AnalysisClaimResult =
  | { ok: true; analysis: Analysis; lease: Lease }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'finished' | 'leased'; analysis: Analysis };

/** A user's AI calls counted in one month: reserved by unfinished analyses plus settled by succeeded ones. */
export interface AiQuotaState {
  owner: string;
  month: string;
  calls: number;
}

/** AI calls (succeeded analyses) of one user on one day (UTC), under the analysed document's format. */
export interface AiUsageDay {
  owner: string;
  day: string;
  format: string;
  calls: number;
}

export type MarkQueuedOutcome =
  /** The transition happened now. */
  | { outcome: 'queued'; job: Job }
  /** The same upload already queued the job (a redelivered event): enqueueing again is harmless. */
  | { outcome: 'duplicate'; job: Job }
  /** The job is gone or in another state for another upload: ignore the event. */
  | { outcome: 'stale'; job?: Job }
  /** Counted and reserved; the job waits for the caller's confirmation (nothing to enqueue). */
  | { outcome: 'awaiting_confirmation'; job: Job }
  /** Over the month's allowance or the caller's cap: the job was failed in the same transaction. */
  | { outcome: 'refused'; job: Job };

/** A job's units to reserve when its upload is queued (`JobStore.markQueued`). */
export interface ChargeRequest {
  units: number;
  /** `YYYY-MM` (UTC) of the allowance. */
  month: string;
  /** The plan's monthly units: reserved + used + these may not pass it. */
  limit: number;
  /** For a job created with `confirm: true`: how long it waits for the confirmation (ms). */
  confirmWindowMs: number;
}

/** A user's allowance state for one month: units charged (settled) and units reserved by unfinished jobs. */
export interface QuotaState {
  owner: string;
  month: string;
  used: number;
  reserved: number;
}

/** One user's usage on one day (UTC) for one format, written in the transaction that ends each job. */
export interface UsageDay {
  owner: string;
  /** `YYYY-MM-DD` (UTC) the job ended. */
  day: string;
  /** Detected format (`pdf`, `docx`, …), `unknown` for jobs failed before detection. */
  format: string;
  /** Jobs that ended (succeeded or failed). */
  jobs: number;
  /** Of those, failed (never charged). */
  failures: number;
  /** Units charged. */
  units: number;
  pages: number;
}

export type ConfirmOutcome =
  { ok: true; job: Job } | { ok: false; reason: 'not_found' } | { ok: false; reason: 'not_awaiting'; job: Job };

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
  /** The callback URL jobs created with this key notify unless they name their own. */
  webhookUrl?: string;
  /**
   * The HMAC-SHA256 key that signs this key's webhook events (`mdwhsec_…`), stored as it is: signing needs the
   * secret itself, so it cannot be hashed like the API key (functions/README.md, "Webhooks", says why it is
   * not encrypted either). Absent on keys created before webhooks existed. Never returned by the API after
   * the creation response.
   */
  webhookSecret?: string;
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
  /**
   * `suspended`: every key and token of the user is refused at once (authentication reads this record on
   * every request). Absent = active. The one place a user's status lives: operators change it through
   * `UserAdminStore.setStatus`, which writes this same record.
   */
  status?: UserStatus;
  /** When the user was suspended (epoch ms), while suspended. */
  suspendedAt?: number;
  /**
   * May call `/v1/admin/*` with an API key (or the embedded default's session): the store's admin flag, set
   * by `UserAdminStore.setAdmin`. An ID token counts as admin by its own `admin` custom claim instead.
   * Absent = not an admin.
   */
  admin?: boolean;
  /** Set by billing webhooks: the Stripe customer this user is billed as. */
  stripeCustomerId?: string;
  /**
   * The plan id (a key of the plans table, `shared/service/accounts/plans.ts`); absent = `free`. Billing
   * webhooks set it from the subscription's price lookup key; an admin may set it.
   */
  plan?: string;
  /** Whether the subscription is active or trialing. */
  billingActive?: boolean;
  /** After a failed payment: the paid plan is kept until then (epoch ms), free afterwards (`effectivePlanId`). */
  graceUntil?: number;
}

/** The user fields that can be changed after creation. */
export interface UserPatch {
  displayName?: string;
  /** `active` also clears `suspendedAt`; `suspended` records `suspendedAt` when given (else keeps it). */
  status?: UserStatus;
  suspendedAt?: number;
  admin?: boolean;
  plan?: string;
  lastSeenAt?: number;
}

export interface UsageRecord {
  owner: string;
  /** `YYYY-MM` (UTC). */
  month: string;
  jobs: number;
  pages: number;
}

/**
 * The job records, and the counters that must change with them: every transition applies
 * `chargeEffects(before, after)` (`shared/service/jobs/charges.ts`) to the owner's `QuotaState` and
 * `UsageDay` in its own transaction. Every state change is one transaction that re-reads the record, asks
 * `shared/service/jobs/states.ts` whether the transition is allowed and what the record becomes, and writes
 * that, so concurrent or repeated calls are harmless. The decisions live in states.ts only; a store reads,
 * decides through it, and writes.
 */
export interface JobStore {
  /** Fails if the id exists. */
  createJob(job: Job): Promise<void>;
  getJob(id: string): Promise<Job | undefined>;
  /**
   * Newest first, only `owner`'s jobs; `cursor` comes from the previous page (of the same search). `name`: only
   * jobs whose file name, or a word in it, begins with it, case-insensitively (the rule and its normalization:
   * `shared/adapters/job-store-keys.ts`); a `name` with no letter or digit filters nothing.
   */
  listJobs(owner: string, page: { limit: number; cursor?: string; name?: string }): Promise<JobPage>;
  /**
   * Gives records written before the store kept the name search's terms those terms, reading `limit` records
   * at the most per call and resuming after the last one read on the next call (the cleanup runs it): a record
   * that already has them, or is changed or deleted meanwhile, is left alone, so two calls at once are safe.
   * Absent: the store keeps nothing derived from the name (sqlite tests the name at query time).
   */
  backfillNameTerms?(limit: number): Promise<NameTermsBackfill>;
  /**
   * `awaiting_upload` → `queued` (or `awaiting_confirmation`), keyed on `bucket/name#generation` (decision:
   * `queueJob`). With `charge`, the job's units are reserved against the owner's month IN THE SAME
   * TRANSACTION that reads the allowance (`QuotaState`): over it, the job is failed `quota_exceeded` instead.
   */
  markQueued(
    id: string,
    input: { eventKey: string; format: string; now: number; charge?: ChargeRequest },
  ): Promise<MarkQueuedOutcome>;
  /** `awaiting_confirmation` → `queued` (decision: `confirmJob`). */
  confirm(id: string, input: { now: number }): Promise<ConfirmOutcome>;
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
    input: {
      warnings: JobWarning[];
      pages?: number;
      /** Billable units the conversion produced: the reservation is settled at min(these, reserved). */
      units?: number;
      resultObjects: { markdown: string; json: string };
      now: number;
    },
  ): Promise<boolean>;
  /**
   * → `failed` (decision: `failJob`). With `leaseId`: only for that lease holder. Without: from
   * `awaiting_upload`/`queued`, or from `processing` when the lease has expired (`now` past it) — never
   * from under a live worker.
   */
  fail(id: string, input: { error: JobError; now: number; leaseId?: string }): Promise<boolean>;
  /** `awaiting_upload`/`awaiting_confirmation` → `expired`, releasing a reservation (decision: `expireJob`). */
  expire(id: string, input: { now: number }): Promise<boolean>;
  /**
   * Removes the record and its analyses' records; a reservation (units, AI calls of unfinished analyses) they
   * still held is released in the same transaction.
   */
  deleteJob(id: string): Promise<boolean>;
  /**
   * Records webhook delivery attempt number `attempt` (decision: `recordWebhookAttempt` in
   * `shared/service/webhooks/state.ts`). Undefined when refused (no job or webhook, the attempt was recorded
   * already, the delivery is no longer pending); otherwise the job as written.
   */
  recordWebhookAttempt(id: string, input: WebhookAttempt): Promise<Job | undefined>;
  /**
   * The first webhook attempt of the job's event `eventId` is enqueued: removes `webhook.outboxAt` (decision:
   * `markWebhookEnqueued` in `shared/service/webhooks/state.ts`). False when there was nothing to remove (no
   * job, another event, already marked).
   */
  markWebhookEnqueued(id: string, eventId: string): Promise<boolean>;
  /** Jobs whose webhook event is still in the outbox (`webhook.outboxAt` before `endedBefore`), oldest first. */
  findWebhookOutbox(endedBefore: number, limit: number): Promise<Job[]>;
  /** How many of `owner`'s jobs are not finished (every state but succeeded/failed/expired). */
  countActiveJobs(owner: string): Promise<number>;
  /** `awaiting_confirmation` jobs whose confirmation deadline has passed. */
  findConfirmationExpired(now: number, limit: number): Promise<Job[]>;
  /** Jobs created before `createdBefore` (retention), oldest first. */
  findCreatedBefore(createdBefore: number, limit: number): Promise<Job[]>;
  /** `awaiting_upload` jobs whose upload deadline has passed. */
  findUploadExpired(now: number, limit: number): Promise<Job[]>;
  /** `processing` jobs whose lease expired before `leaseExpiredBefore`. */
  findLeaseExpired(leaseExpiredBefore: number, limit: number): Promise<Job[]>;
  /** `queued` jobs not touched since `updatedBefore` (their task may have been lost). */
  findQueuedBefore(updatedBefore: number, limit: number): Promise<Job[]>;

  // Analyses of succeeded jobs (decisions: `shared/service/analyses/states.ts`; counters:
  // `shared/service/analyses/counters.ts`, applied in each transition's transaction like `chargeEffects`).
  /**
   * Creates `analysis` (status `queued`, `charge: reserved`) IN THE TRANSACTION that reads its job (which must
   * exist, belong to `analysis.owner` and be `succeeded`) and the owner's AI calls of `allowance.month`: when
   * `calls + 1` would pass `allowance.limit` nothing is written (`refused`). Fails if the id exists.
   */
  createAnalysis(analysis: Analysis, allowance: { limit: number }): Promise<CreateAnalysisOutcome>;
  getAnalysis(id: string): Promise<Analysis | undefined>;
  /** The job's analyses, newest first (creation time, then id); `cursor` from the previous page. */
  listAnalyses(jobId: string, page: { limit: number; cursor?: string }): Promise<AnalysisPage>;
  /** `queued` (or `running` whose lease expired) → `running` with a fresh lease (decision: `claimAnalysis`). */
  claimAnalysis(id: string, input: { leaseMs: number; now: number }): Promise<AnalysisClaimResult>;
  /** The lease holder's heartbeat (decision: `renewAnalysisLease`); false when the lease no longer holds. */
  extendAnalysisLease(id: string, leaseId: string, input: { leaseMs: number; now: number }): Promise<boolean>;
  /** `running` → `queued` after a transient error, for the lease holder (decision: `releaseAnalysis`). */
  releaseAnalysis(id: string, leaseId: string, input: { error: JobError; now: number }): Promise<boolean>;
  /**
   * `running` → `succeeded` for the lease holder (decision: `completeAnalysis`): the AI call is settled and
   * counted in the owner's usage of the day IN THE SAME TRANSACTION.
   */
  completeAnalysis(
    id: string,
    leaseId: string,
    input: {
      warnings: JobWarning[];
      droppedClaims: number;
      usage?: AnalysisUsage;
      resultObject: string;
      now: number;
    },
  ): Promise<boolean>;
  /**
   * → `failed`, releasing the AI call (decision: `failAnalysis`). With `leaseId`: only for that holder;
   * without: from `queued`, or `running` whose lease expired.
   */
  failAnalysis(id: string, input: { error: JobError; now: number; leaseId?: string }): Promise<boolean>;
  /** The owner's AI calls counted in `month` (`YYYY-MM`); zero when none. */
  getAiQuota(owner: string, month: string): Promise<AiQuotaState>;
  /** The owner's AI usage rows with `from <= day <= to` (`YYYY-MM-DD`), by day then format. */
  listAiUsageDays(owner: string, range: { from: string; to: string }): Promise<AiUsageDay[]>;
  /** `running` analyses whose lease expired before `leaseExpiredBefore`. */
  findAnalysesLeaseExpired(leaseExpiredBefore: number, limit: number): Promise<Analysis[]>;
  /** `queued` analyses not touched since `updatedBefore` (their task may have been lost). */
  findAnalysesQueuedBefore(updatedBefore: number, limit: number): Promise<Analysis[]>;
  close?(): Promise<void>;
}

/**
 * Users, their API keys, their monthly usage and their billing state. Backends keep it in the same
 * database as the jobs (one node:sqlite file, one Firestore database), because `JobStore.complete` writes
 * the usage counter this store reads in the job's own transaction.
 */
export interface AccountStore {
  /**
   * Creates the user when new (`displayName` is used only then); updates the email when one is given and
   * differs. Keeps every other field.
   */
  ensureUser(user: { id: string; email?: string; displayName?: string; now: number }): Promise<UserRecord>;
  /** Changes the given fields of an existing user; undefined when there is no such user. */
  updateUser(id: string, patch: UserPatch): Promise<UserRecord | undefined>;
  /**
   * Deletes the user record, its API keys and its link to a billing customer. Keeps the billing events,
   * the usage ledger and the quota/usage counters (accounting records; see `functions/README.md`).
   */
  deleteUser(id: string): Promise<boolean>;
  /** The owner's allowance state in `month` (written by the job store's transitions); zeros when none. */
  getQuota(owner: string, month: string): Promise<QuotaState>;
  /** The owner's usage rows with `from <= day <= to` (`YYYY-MM-DD`), by day then format. */
  listUsageDays(owner: string, range: { from: string; to: string }): Promise<UsageDay[]>;
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
  /** `invoice.payment_failed`: billing goes inactive and a grace period starts (`accounts/billing-state.ts`). */
  paymentFailed?: boolean;
  /** For events that end paid service (failed payment, past_due, unpaid): when a grace starting now ends (epoch ms). */
  graceUntil?: number;
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
  /** Whether the queue is reachable and dispatching (the admin health check); absent: not checkable. */
  ping?(): Promise<boolean>;
  close?(): Promise<void>;
}

/** One webhook delivery attempt's outcome (`JobStore.recordWebhookAttempt`). */
export interface WebhookAttempt {
  /** 1-based. */
  attempt: number;
  now: number;
  /** The receiver answered 2xx. */
  delivered: boolean;
  /** The HTTP status, when the receiver answered at all. */
  status?: number;
  error?: JobError;
  /** No retry may help (a refused address, a revoked key): the delivery fails now. */
  permanent?: boolean;
  /** The attempt budget: a failed attempt with this number is the last. */
  maxAttempts: number;
}

/** An address a host name resolved to. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Why a webhook POST got no HTTP answer; `code` is `timeout` or `connection_failed`. */
export class WebhookTransportError extends Error {
  readonly code: 'timeout' | 'connection_failed';
  constructor(code: WebhookTransportError['code'], message: string) {
    super(message);
    this.name = 'WebhookTransportError';
    this.code = code;
  }
}

/**
 * The network side of webhook delivery. The use case decides WHERE it may connect (`webhooks/address.ts`); this
 * port resolves names and sends one POST to exactly the address it is given.
 */
export interface WebhookTransport {
  /** Every address `host` resolves to now (A and AAAA). Rejects when the name does not resolve. */
  resolve(host: string): Promise<ResolvedAddress[]>;
  /**
   * One POST of `body` to `url`, connected to `address` (the host name is kept for TLS SNI, certificate
   * checks and the Host header, but never resolved again: DNS rebinding cannot swap the address). No redirect
   * is followed; at most `maxResponseBytes` of the answer are read; the whole exchange is abandoned after
   * `timeoutMs`. Rejects with `WebhookTransportError` when no HTTP answer came.
   */
  post(input: {
    url: string;
    address: ResolvedAddress;
    headers: Record<string, string>;
    body: string;
    timeoutMs: number;
    maxResponseBytes: number;
  }): Promise<{ status: number }>;
}

export interface VerifiedIdentity {
  uid: string;
  email?: string;
  /** The name the identity provider knows (Firebase `name` claim). */
  name?: string;
  /** The token carries the custom claim `admin: true` (set through `IdentityAdmin.setAdminClaim`). */
  admin?: boolean;
}

/** Why a credential was refused; `code` is a stable API error code. */
export class AuthError extends Error {
  readonly code:
    | 'unauthenticated'
    | 'token_expired'
    | 'token_invalid'
    | 'token_revoked'
    | 'token_unsupported'
    /** The credential is valid but its user is suspended (answered 403, not 401: signing in again does not help). */
    | 'account_suspended';
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
  /** Whether the scanner answers (clamd `PING`, the bridge's `/healthz`), for the admin health check. */
  ping?(): Promise<boolean>;
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
  /** The engine analyses run on (`MDRAFT_ANALYZER`); absent = the offline engine. */
  analyzer?: Analyzer;
  /** Per-user and per-key request limits across instances; absent = no limits. */
  rateLimiter?: RateLimiter;
  /** Operator search and changes on the user records (`/v1/admin/*`); absent = no administration. */
  userAdmin?: UserAdminStore;
  /** Where admin actions are recorded; admin routes refuse to act without it. */
  audit?: AuditLog;
  /** Stripe Checkout and Customer Portal (a "not configured" adapter without Stripe). */
  checkout?: Checkout;
  /** Firebase Auth's admin operations (local: the store's flag only). */
  identityAdmin?: IdentityAdmin;
  /** Malware scanning of every upload before conversion; absent = off (a notice is logged at start). */
  scanner?: Scanner;
  /** Webhook delivery (DNS and HTTP); absent = every delivery fails `webhooks_unavailable`. */
  webhooks?: WebhookTransport;
}

// ---------------------------------------------------------------------------------------------------------
// Account administration ports: rate limiting, the admin view of users, the audit log, Stripe Checkout and
// the identity provider's admin operations. Each has a node:sqlite and a Firestore adapter (Checkout: Stripe
// and a local "not configured" one; IdentityAdmin: firebase-admin and a local no-op), on the same database
// as the `AccountStore`.
// ---------------------------------------------------------------------------------------------------------

/** One counter decision of a `RateLimiter`. */
export interface RateLimitDecision {
  allowed: boolean;
  /** The quota of the window (requests). */
  limit: number;
  /** Requests left in the current window after this one (0 when refused). */
  remaining: number;
  /** Whole seconds until the current window ends (at least 1). */
  resetSeconds: number;
}

/**
 * Fixed-window request counters shared by every instance (they live in the store, not in memory). `hit`
 * counts one request against `key` in the window of `windowMs` that contains `now` (windows start at
 * multiples of `windowMs` since the epoch) and says whether it is within `limit`. Refused requests count
 * too. Under concurrency a backend may refuse a request it could have allowed, never allow more than
 * `limit` in one window.
 */
export interface RateLimiter {
  hit(key: string, input: { limit: number; windowMs: number; now: number }): Promise<RateLimitDecision>;
  /** Drops windows that ended before `before` (epoch ms); returns how many counters went. */
  prune?(before: number): Promise<number>;
}

/** A user as an administrator sees it: the `UserRecord` with status and admin flag spelled out. */
export interface AdminUserView extends UserRecord {
  status: UserStatus;
  admin: boolean;
}

export interface AdminUserPage {
  users: AdminUserView[];
  nextCursor?: string;
}

/**
 * Operator operations on users, beside the `AccountStore` and on the SAME user records (same database, same
 * row/document): what it sets (status, admin flag, plan) is what `AccountStore.getUser` reads, which is what
 * authentication and `/v1/me` use. User ids and emails are matched by prefix (case-sensitive ids, lower-cased
 * emails); pages are ordered by id.
 */
export interface UserAdminStore {
  getUserView(userId: string): Promise<AdminUserView | undefined>;
  /**
   * Users whose id starts with `idPrefix` or (when given instead) whose email starts with `emailPrefix`;
   * neither = everyone. `cursor` is the previous page's `nextCursor` (an opaque string).
   */
  searchUsers(input: {
    idPrefix?: string;
    emailPrefix?: string;
    limit: number;
    cursor?: string;
  }): Promise<AdminUserPage>;
  /** False when no such user. Suspending records `now` as `suspendedAt`; reactivating clears it. */
  setStatus(userId: string, status: UserStatus, now: number): Promise<boolean>;
  /** False when no such user. */
  setAdmin(userId: string, admin: boolean): Promise<boolean>;
  /** Sets the plan id (validated by the caller against the plans table). False when no such user. */
  setPlan(userId: string, plan: string): Promise<boolean>;
}

/** One administrative action, as recorded. Times are epoch ms. */
export interface AuditEntry {
  /** Unique, sortable by time (`<time, 13 digits>_<random>`). */
  id: string;
  at: number;
  /** The admin's user id. */
  actor: string;
  /** e.g. `user.suspend`, `user.plan.set`. */
  action: string;
  /** The user acted on. */
  target: string;
  requestId: string;
  /** Action-specific facts (the new plan, how many keys were revoked). */
  details?: Record<string, string | number | boolean>;
}

export interface AuditPage {
  entries: AuditEntry[];
  nextCursor?: string;
}

/** Append-only record of admin actions; newest first when read. Retention: see the adapters (TTL). */
export interface AuditLog {
  append(entry: AuditEntry): Promise<void>;
  /** Newest first; only entries about `target` when given. */
  list(input: { limit: number; cursor?: string; target?: string }): Promise<AuditPage>;
}

/** A URL the caller is sent to (Stripe Checkout or Customer Portal). */
export interface RedirectSession {
  id: string;
  url: string;
}

/** Billing is not set up on this deployment (no Stripe key): the routes answer 501 `billing_not_configured`. */
export class BillingNotConfiguredError extends Error {
  constructor(message = 'billing is not configured on this server') {
    super(message);
    this.name = 'BillingNotConfiguredError';
  }
}

/** The plan's price lookup key matches no active price at the provider. */
export class PriceNotFoundError extends Error {
  constructor(lookupKey: string) {
    super(`no active price has the lookup key ${JSON.stringify(lookupKey)}`);
    this.name = 'PriceNotFoundError';
  }
}

/** Starting a subscription and managing it, through the payment provider's hosted pages. */
export interface Checkout {
  /**
   * A subscription Checkout Session for the price whose lookup key is `priceLookupKey`;
   * `client_reference_id` = `userId`; the customer is reused when `customerId` is known (else the email is
   * prefilled). Throws `PriceNotFoundError`, `BillingNotConfiguredError`.
   */
  createCheckoutSession(input: {
    userId: string;
    email?: string;
    customerId?: string;
    priceLookupKey: string;
    plan: string;
    successUrl: string;
    cancelUrl: string;
  }): Promise<RedirectSession>;
  /** A Customer Portal session for `customerId`. Throws `BillingNotConfiguredError`. */
  createPortalSession(input: { customerId: string; returnUrl: string }): Promise<RedirectSession>;
}

/** The identity provider's administrative operations (Firebase Auth on Google Cloud). */
export interface IdentityAdmin {
  /** Ends every session: ID tokens minted before now are refused (with the revocation check on). */
  revokeRefreshTokens(uid: string): Promise<void>;
  /** Sets or removes the `admin: true` custom claim (effective on the user's next token refresh). */
  setAdminClaim(uid: string, admin: boolean): Promise<void>;
}
