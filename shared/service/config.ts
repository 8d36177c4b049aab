/**
 * Pipeline configuration: read once from the environment, validated with zod, then passed around as a
 * plain object. Every variable is listed in `functions/README.md`. Tests build a config with
 * `loadConfig({...})` instead of touching `process.env`.
 */
import { z } from 'zod';
import { parsePlans, type Plans } from './accounts/plans.ts';
import { classifyAddress } from './webhooks/address.ts';

const MB = 1024 * 1024;

const intFrom = (fallback: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const EnvSchema = z.object({
  MDRAFT_BACKEND: z.enum(['local', 'gcp']).default('local'),
  /** OCR for images and scanned pages: tesseract (local, offline), documentai, or off. Default: documentai
   * when a processor is configured on the gcp backend, tesseract otherwise. */
  MDRAFT_OCR: z.enum(['tesseract', 'documentai', 'off']).optional(),
  /** Gemini tidy-up of converted Markdown (gcp backend only); off by default. Its output is kept only if the
   * guard finds no content that was not in the input (`shared/service/jobs/llm-guard.ts`). */
  MDRAFT_LLM_TIDY: z.enum(['on', 'off']).default('off'),
  MDRAFT_LLM_MODEL: z.string().min(1).default('gemini-2.5-flash'),
  MDRAFT_LLM_LOCATION: z.string().min(1).default('us-central1'),
  /** The engine analyses run on (`POST /v1/jobs/{id}/analyses`): `offline` (default: no model, no network) or
   * `gemini` (Vertex AI in MDRAFT_GCP_PROJECT, MDRAFT_LLM_LOCATION; credentials from Application Default
   * Credentials), on either backend. */
  MDRAFT_ANALYZER: z.enum(['offline', 'gemini']).default('offline'),
  /** The Gemini model of analyses; default MDRAFT_LLM_MODEL. */
  MDRAFT_ANALYZER_MODEL: z.string().min(1).optional(),
  /** `projects/<p>/locations/<l>/processors/<id>` (set by Terraform). */
  MDRAFT_DOCUMENTAI_PROCESSOR: z
    .string()
    .regex(/^projects\/[^/]+\/locations\/[^/]+\/processors\/[^/]+$/)
    .optional(),
  PORT: intFrom(8080, 0, 65535),
  /** Interface the embedded server listens on; 0.0.0.0 inside a container. */
  MDRAFT_HOST: z.string().min(1).default('127.0.0.1'),
  MDRAFT_DATA_DIR: z.string().min(1).default('.mdraft'),
  /** The base URL clients reach the server on (signed URLs point there). Default http://127.0.0.1:PORT. */
  MDRAFT_PUBLIC_URL: z.url().optional(),
  /** HMAC key for the local signed URLs; generated and kept in the data directory when unset. */
  MDRAFT_SIGNING_SECRET: z.string().min(32).optional(),
  MDRAFT_UPLOADS_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/)
    .default('mdraft-uploads'),
  MDRAFT_RESULTS_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/)
    .default('mdraft-results'),
  /** Upload URLs live at most 15 minutes. */
  MDRAFT_UPLOAD_URL_TTL_S: intFrom(900, 10, 900),
  MDRAFT_DOWNLOAD_URL_TTL_S: intFrom(300, 10, 3600),
  /** A job never uploaded within this window is expired by cleanup. */
  MDRAFT_UPLOAD_WINDOW_S: intFrom(3600, 60, 7 * 86400),
  MDRAFT_LIMIT_PDF_MB: intFrom(25, 1, 1024),
  MDRAFT_LIMIT_OFFICE_MB: intFrom(20, 1, 1024),
  MDRAFT_LIMIT_TEXT_MB: intFrom(5, 1, 1024),
  MDRAFT_LIMIT_IMAGE_MB: intFrom(10, 1, 1024),
  MDRAFT_RETENTION_DAYS: intFrom(30, 1, 3650),
  /** Time budget of one conversion; the lease lasts this plus a margin. */
  MDRAFT_CONVERT_TIMEOUT_S: intFrom(540, 1, 3600),
  /** A worker's lease on a job; renewed by its heartbeat every third of it while the conversion is alive, so a
   * crashed worker's job is taken over about this long after the crash. */
  MDRAFT_LEASE_S: intFrom(60, 3, 3600),
  /** Heap ceiling of a conversion thread, and how many convert at once in one instance. */
  MDRAFT_CONVERT_MAX_MEMORY_MB: intFrom(1024, 64, 16384),
  MDRAFT_CONVERT_WORKERS: intFrom(1, 1, 32),
  // A child process per converter by default: its whole memory (native and WebAssembly) is held under the RSS
  // ceiling. `thread` starts faster but only caps the V8 heap.
  MDRAFT_CONVERT_ISOLATION: z.enum(['process', 'thread']).default('process'),
  MDRAFT_CONVERT_MAX_RSS_MB: intFrom(2048, 128, 65536),
  /** Decoded size cap of one image, megapixels (width × height from the header, checked before decoding). */
  MDRAFT_MAX_IMAGE_MEGAPIXELS: intFrom(50, 1, 1000),
  /** Absolute cap on one result's Markdown, MB; over it the job fails `too_large`. */
  MDRAFT_MAX_RESULT_MB: intFrom(64, 1, 1024),
  /** Cap on one result's Markdown as a multiple of its input's size (never under 1 MiB); over it: `too_large`. */
  MDRAFT_MAX_RESULT_RATIO: intFrom(100, 2, 100_000),
  /** Deliveries of one conversion task (Cloud Tasks `maxAttempts` must match). */
  MDRAFT_MAX_ATTEMPTS: intFrom(5, 1, 100),
  /** After a lease expired this long ago without a redelivery, cleanup fails the job. */
  MDRAFT_LOST_WORKER_GRACE_S: intFrom(3600, 1, 7 * 86400),
  /** A `queued` job untouched this long gets its task enqueued again (same name: harmless). */
  MDRAFT_REQUEUE_AFTER_S: intFrom(900, 1, 86400),
  /** Finalize events older than this are dropped (Eventarc retries for up to 24 h). */
  MDRAFT_EVENT_MAX_AGE_S: intFrom(3 * 3600, 60, 86400),
  MDRAFT_CORS_ORIGINS: z.string().default('*'),
  // Malware scanning (ClamAV's clamd): a unix socket, or a host (and port); off when neither is set.
  MDRAFT_CLAMD_SOCKET: z.string().min(1).optional(),
  MDRAFT_CLAMD_HOST: z.string().min(1).optional(),
  MDRAFT_CLAMD_PORT: intFrom(3310, 1, 65535),
  /** Or the HTTP scan bridge in front of clamd (the ClamAV service on Cloud Run). */
  MDRAFT_SCANNER_URL: z.url().optional(),
  /** Budget of one scan (connect, stream, verdict). */
  MDRAFT_SCAN_TIMEOUT_S: intFrom(120, 1, 3600),
  /** Where tasks are sent; default `<public url>/_tasks/convert`. */
  MDRAFT_WORKER_URL: z.url().optional(),
  MDRAFT_QUEUE_MIN_BACKOFF_MS: intFrom(1000, 1, 3600_000),
  MDRAFT_QUEUE_MAX_BACKOFF_MS: intFrom(60_000, 1, 3600_000),
  MDRAFT_QUEUE_DISPATCH_DEADLINE_S: intFrom(600, 1, 1800),
  MDRAFT_QUEUE_CONCURRENCY: intFrom(2, 1, 64),
  // Webhooks (shared/service/webhooks/): attempts per event, the backoff between them, one attempt's budget.
  MDRAFT_WEBHOOK_MAX_ATTEMPTS: intFrom(8, 1, 50),
  MDRAFT_WEBHOOK_MIN_BACKOFF_MS: intFrom(30_000, 1, 86_400_000),
  MDRAFT_WEBHOOK_MAX_BACKOFF_MS: intFrom(3_600_000, 1, 86_400_000),
  MDRAFT_WEBHOOK_TIMEOUT_S: intFrom(10, 1, 60),
  /** TESTS ONLY: IP addresses webhooks may reach although not public (and over http:); refused on gcp. */
  MDRAFT_WEBHOOK_TEST_ALLOW_HOSTS: z.string().optional(),
  // GCP backend (MDRAFT_BACKEND=gcp); checked together when the GCP adapters are created.
  MDRAFT_GCP_PROJECT: z.string().optional(),
  MDRAFT_FIRESTORE_DATABASE: z.string().default('(default)'),
  /** Prefixed to the Firestore collection names (`jobs`, `users`, `apiKeys`, `usage`). */
  MDRAFT_FIRESTORE_PREFIX: z.string().default(''),
  /** `projects/<project>/locations/<region>/queues/<queue>`. */
  MDRAFT_TASKS_QUEUE: z.string().optional(),
  /** The service account Cloud Tasks mints the worker's OIDC token for. */
  MDRAFT_TASKS_SERVICE_ACCOUNT: z.string().optional(),
  /** The OIDC audience; default MDRAFT_WORKER_URL. */
  MDRAFT_TASKS_AUDIENCE: z.url().optional(),
  /** Ask Firebase Auth whether an ID token's sessions were revoked (one backend call per request). */
  MDRAFT_FIREBASE_CHECK_REVOKED: z.enum(['true', 'false']).default('true'),
  /**
   * Embedded default: the Firebase Auth emulator (`host:port`, loopback), whose ID tokens are then accepted
   * (`npm run auth-emulator` starts one). firebase-admin reads the same variable.
   */
  FIREBASE_AUTH_EMULATOR_HOST: z
    .string()
    .regex(/^[^\s/:]+:\d{1,5}$|^\[[0-9a-fA-F:]+\]:\d{1,5}$/, 'must be host:port, like 127.0.0.1:9099')
    .optional(),
  /**
   * Firebase sign-in on the web page (gcp backend): the project's Web API key (public by design: it names the
   * project, it grants nothing) and its auth domain (default `<project>.firebaseapp.com`). Absent: the page
   * offers API-key sign-in only.
   */
  MDRAFT_FIREBASE_WEB_API_KEY: z
    .string()
    .regex(/^[\w-]{10,100}$/)
    .optional(),
  MDRAFT_FIREBASE_AUTH_DOMAIN: z
    .string()
    .regex(/^[a-z0-9.-]{3,253}$/)
    .optional(),
  // Billing (Stripe Billing Meters): off unless a key is set. Names match terraform/modules/mdraft/secrets.tf.
  STRIPE_SECRET_KEY: z
    .string()
    .regex(/^(sk|rk)_(test|live)_[A-Za-z0-9]+$/, 'must be a Stripe secret or restricted key')
    .optional(),
  STRIPE_WEBHOOK_SECRET: z
    .string()
    .regex(/^whsec_[A-Za-z0-9+/=]+$/, 'must be a Stripe webhook signing secret (whsec_…)')
    .optional(),
  /** The `event_name` of the Stripe meter that counts converted pages. */
  MDRAFT_STRIPE_METER_EVENT: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,100}$/)
    .default('mdraft_pages'),
  /** Another Stripe API origin (stripe-mock, a recording test server); default https://api.stripe.com. */
  MDRAFT_STRIPE_API_URL: z.url().optional(),
  // Plans, quotas, Checkout and administration (issue 9).
  /** The plans table as JSON (plan id → limits); absent = the defaults in shared/service/accounts/plans.ts. */
  MDRAFT_PLANS: z.string().optional(),
  /** A job created with `confirm: true` waits this long for `POST /v1/jobs/{id}/confirm`, then expires. */
  MDRAFT_CONFIRM_WINDOW_S: intFrom(86_400, 60, 30 * 86400),
  /** Where Stripe Checkout sends the customer after paying / after giving up (`{CHECKOUT_SESSION_ID}` allowed). */
  MDRAFT_BILLING_SUCCESS_URL: z.url().optional(),
  MDRAFT_BILLING_CANCEL_URL: z.url().optional(),
  /** Where the Customer Portal's "return" link goes; default the success URL's origin. */
  MDRAFT_BILLING_PORTAL_RETURN_URL: z.url().optional(),
  /** Days a user keeps the paid plan after a failed payment (Stripe retries meanwhile). */
  MDRAFT_BILLING_GRACE_DAYS: intFrom(7, 0, 60),
  /** Admin audit-log entries are kept this long (SQLite prunes on write; Firestore's TTL policy deletes). */
  MDRAFT_AUDIT_RETENTION_DAYS: intFrom(400, 1, 3650),
  /** Per-user and per-key request limits on the API (the plan's requestsPerMinute): `on` or `off`. Default: on
   * for the gcp backend, off for the embedded default (one operator on their own machine, whose CLI polls). */
  MDRAFT_RATE_LIMIT: z.enum(['on', 'off']).optional(),
  // Error reporting: Sentry is initialised only when a DSN is set.
  SENTRY_DSN: z.url().optional(),
  SENTRY_ENVIRONMENT: z.string().max(64).optional(),
});

export interface SizeLimits {
  pdf: number;
  office: number;
  text: number;
  image: number;
}

export interface Config {
  backend: 'local' | 'gcp';
  port: number;
  host: string;
  dataDir: string;
  publicUrl: string;
  signingSecret?: string;
  buckets: { uploads: string; results: string };
  uploadUrlTtlMs: number;
  downloadUrlTtlMs: number;
  uploadWindowMs: number;
  sizeLimits: SizeLimits;
  retentionMs: number;
  convertTimeoutMs: number;
  convert: {
    maxMemoryMb: number;
    workers: number;
    isolation: 'process' | 'thread';
    maxRssMb: number;
    /** Engine limits from the environment (the rest of `ConvertLimits` keeps the engine's defaults). */
    limits: { maxImagePixels: number; maxResultBytes: number; maxResultRatio: number };
  };
  ocr: { engine: 'tesseract' | 'documentai' | 'off'; documentAiProcessor?: string };
  llm: { tidy: boolean; model: string; location: string };
  /** The analysis engine (`MDRAFT_ANALYZER`); `project` is set for `gemini`. */
  analysis: { engine: 'offline' | 'gemini'; model: string; location: string; project?: string };
  leaseMs: number;
  /** How often the worker's heartbeat renews its lease (a third of the lease: two renewals may fail in a row). */
  leaseRenewMs: number;
  maxAttempts: number;
  lostWorkerGraceMs: number;
  requeueAfterMs: number;
  eventMaxAgeMs: number;
  corsOrigins: string[];
  /** clamd's address when scanning is on (`MDRAFT_CLAMD_SOCKET` wins over `MDRAFT_CLAMD_HOST`); absent = off. */
  scanner: { clamd?: { socket: string } | { host: string; port: number }; url?: string; timeoutMs: number };
  workerUrl: string;
  queue: { minBackoffMs: number; maxBackoffMs: number; dispatchDeadlineMs: number; concurrency: number };
  /**
   * Webhook delivery: attempts per event, the backoff between attempts (`backoff.ts`, half jitter), one
   * attempt's time budget, and the test-only allow-list of non-public addresses (empty in production).
   */
  webhooks: {
    maxAttempts: number;
    minBackoffMs: number;
    maxBackoffMs: number;
    timeoutMs: number;
    testAllowHosts: string[];
  };
  /** Settings of the GCP adapters, validated by them (`shared/adapters/gcp/index.ts`) when selected. */
  gcp: {
    projectId?: string;
    firestoreDatabase: string;
    firestorePrefix: string;
    tasksQueue?: string;
    tasksServiceAccount?: string;
    tasksAudience?: string;
    checkRevoked: boolean;
    /** Whether MDRAFT_WORKER_URL was set (the local default makes no sense in the cloud). */
    workerUrlSet: boolean;
  };
  /** Stripe: usage goes to Stripe only with `stripeSecretKey`; the webhook is served only with `webhookSecret`. */
  billing: { stripeSecretKey?: string; webhookSecret?: string; meterEventName: string; apiUrl?: string };
  sentry: { dsn?: string; environment?: string };
  /** The plans table (`MDRAFT_PLANS`), validated at start; always has `free`. */
  plans: Plans;
  /** How long a job may stay `awaiting_confirmation` before cleanup expires it (ms). */
  confirmWindowMs: number;
  /** Checkout redirects (absent: `POST /v1/billing/checkout` answers 501) and the failed-payment grace. */
  checkout: { successUrl?: string; cancelUrl?: string; portalReturnUrl?: string; graceMs: number };
  auditRetentionMs: number;
  rateLimit: boolean;
  /**
   * The Firebase Auth emulator the embedded default verifies ID tokens against (`FIREBASE_AUTH_EMULATOR_HOST`);
   * its tokens name `projectId` (MDRAFT_GCP_PROJECT, default `demo-mdraft`: the `demo-` prefix is Firebase's
   * mark of an emulator-only project that reaches no real resources). Absent: ID tokens are refused locally.
   */
  authEmulator?: { host: string; projectId: string };
  /** Firebase sign-in offered by the web page (`MDRAFT_FIREBASE_WEB_API_KEY` with a GCP project). */
  firebaseWeb?: { apiKey: string; authDomain: string; projectId: string };
}

/** The project the embedded default's Firebase Auth emulator runs as (`scripts/auth-emulator.ts`). */
export const AUTH_EMULATOR_PROJECT = 'demo-mdraft';

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Validates an environment (only the variables above are read) into a `Config`. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = EnvSchema.safeParse(pickDefined(env));
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid configuration: ${detail}`);
  }
  const e = parsed.data;
  let plans: Plans;
  try {
    plans = parsePlans(e.MDRAFT_PLANS);
  } catch (error) {
    throw new ConfigError(`invalid configuration: ${(error as Error).message}`);
  }
  // A lost worker's job may only be failed once no redelivery can still come: the queue retries up to its
  // maximum backoff after a lease ran out, so a shorter grace would fail a job the queue is about to retry.
  const maxBackoffMs = Math.max(e.MDRAFT_QUEUE_MIN_BACKOFF_MS, e.MDRAFT_QUEUE_MAX_BACKOFF_MS);
  if (e.MDRAFT_LOST_WORKER_GRACE_S * 1000 < maxBackoffMs) {
    throw new ConfigError(
      `invalid configuration: MDRAFT_LOST_WORKER_GRACE_S (${e.MDRAFT_LOST_WORKER_GRACE_S} s) must be at least the queue's maximum backoff (${maxBackoffMs} ms)`,
    );
  }
  const testAllowHosts = (e.MDRAFT_WEBHOOK_TEST_ALLOW_HOSTS ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  if (testAllowHosts.length > 0 && e.MDRAFT_BACKEND === 'gcp') {
    throw new ConfigError(
      'invalid configuration: MDRAFT_WEBHOOK_TEST_ALLOW_HOSTS is for tests on the embedded default; the gcp backend refuses it',
    );
  }
  const badHost = testAllowHosts.find((h) => classifyAddress(h) === 'invalid');
  if (badHost !== undefined)
    throw new ConfigError(`invalid configuration: MDRAFT_WEBHOOK_TEST_ALLOW_HOSTS: ${badHost} is not an IP address`);
  const localHost = e.MDRAFT_HOST === '0.0.0.0' || e.MDRAFT_HOST === '::' ? '127.0.0.1' : e.MDRAFT_HOST;
  const publicUrl = (
    e.MDRAFT_PUBLIC_URL ?? `http://${localHost.includes(':') ? `[${localHost}]` : localHost}:${e.PORT}`
  ).replace(/\/+$/, '');
  return {
    backend: e.MDRAFT_BACKEND,
    port: e.PORT,
    host: e.MDRAFT_HOST,
    dataDir: e.MDRAFT_DATA_DIR,
    publicUrl,
    ...(e.MDRAFT_SIGNING_SECRET ? { signingSecret: e.MDRAFT_SIGNING_SECRET } : {}),
    buckets: { uploads: e.MDRAFT_UPLOADS_BUCKET, results: e.MDRAFT_RESULTS_BUCKET },
    uploadUrlTtlMs: e.MDRAFT_UPLOAD_URL_TTL_S * 1000,
    downloadUrlTtlMs: e.MDRAFT_DOWNLOAD_URL_TTL_S * 1000,
    uploadWindowMs: e.MDRAFT_UPLOAD_WINDOW_S * 1000,
    sizeLimits: {
      pdf: e.MDRAFT_LIMIT_PDF_MB * MB,
      office: e.MDRAFT_LIMIT_OFFICE_MB * MB,
      text: e.MDRAFT_LIMIT_TEXT_MB * MB,
      image: e.MDRAFT_LIMIT_IMAGE_MB * MB,
    },
    retentionMs: e.MDRAFT_RETENTION_DAYS * 86400_000,
    convertTimeoutMs: e.MDRAFT_CONVERT_TIMEOUT_S * 1000,
    convert: {
      maxMemoryMb: e.MDRAFT_CONVERT_MAX_MEMORY_MB,
      workers: e.MDRAFT_CONVERT_WORKERS,
      isolation: e.MDRAFT_CONVERT_ISOLATION,
      // The resident set always leaves room above the heap ceiling for pdf.js's and tesseract's native memory.
      maxRssMb: Math.max(e.MDRAFT_CONVERT_MAX_RSS_MB, e.MDRAFT_CONVERT_MAX_MEMORY_MB + 256),
      limits: {
        maxImagePixels: e.MDRAFT_MAX_IMAGE_MEGAPIXELS * 1_000_000,
        maxResultBytes: e.MDRAFT_MAX_RESULT_MB * MB,
        maxResultRatio: e.MDRAFT_MAX_RESULT_RATIO,
      },
    },
    ocr: ocrSettings(e),
    llm: { tidy: e.MDRAFT_LLM_TIDY === 'on', model: e.MDRAFT_LLM_MODEL, location: e.MDRAFT_LLM_LOCATION },
    analysis: analysisSettings(e),
    leaseMs: e.MDRAFT_LEASE_S * 1000,
    leaseRenewMs: Math.floor((e.MDRAFT_LEASE_S * 1000) / 3),
    maxAttempts: e.MDRAFT_MAX_ATTEMPTS,
    lostWorkerGraceMs: e.MDRAFT_LOST_WORKER_GRACE_S * 1000,
    requeueAfterMs: e.MDRAFT_REQUEUE_AFTER_S * 1000,
    eventMaxAgeMs: e.MDRAFT_EVENT_MAX_AGE_S * 1000,
    corsOrigins: e.MDRAFT_CORS_ORIGINS.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    scanner: {
      ...(e.MDRAFT_CLAMD_SOCKET
        ? { clamd: { socket: e.MDRAFT_CLAMD_SOCKET } }
        : e.MDRAFT_CLAMD_HOST
          ? { clamd: { host: e.MDRAFT_CLAMD_HOST, port: e.MDRAFT_CLAMD_PORT } }
          : {}),
      ...(e.MDRAFT_SCANNER_URL ? { url: e.MDRAFT_SCANNER_URL } : {}),
      timeoutMs: e.MDRAFT_SCAN_TIMEOUT_S * 1000,
    },
    workerUrl: e.MDRAFT_WORKER_URL ?? `${publicUrl}/_tasks/convert`,
    queue: {
      minBackoffMs: e.MDRAFT_QUEUE_MIN_BACKOFF_MS,
      maxBackoffMs: Math.max(e.MDRAFT_QUEUE_MIN_BACKOFF_MS, e.MDRAFT_QUEUE_MAX_BACKOFF_MS),
      dispatchDeadlineMs: e.MDRAFT_QUEUE_DISPATCH_DEADLINE_S * 1000,
      concurrency: e.MDRAFT_QUEUE_CONCURRENCY,
    },
    webhooks: {
      maxAttempts: e.MDRAFT_WEBHOOK_MAX_ATTEMPTS,
      minBackoffMs: e.MDRAFT_WEBHOOK_MIN_BACKOFF_MS,
      maxBackoffMs: Math.max(e.MDRAFT_WEBHOOK_MIN_BACKOFF_MS, e.MDRAFT_WEBHOOK_MAX_BACKOFF_MS),
      timeoutMs: e.MDRAFT_WEBHOOK_TIMEOUT_S * 1000,
      testAllowHosts,
    },
    gcp: {
      ...(e.MDRAFT_GCP_PROJECT ? { projectId: e.MDRAFT_GCP_PROJECT } : {}),
      firestoreDatabase: e.MDRAFT_FIRESTORE_DATABASE,
      firestorePrefix: e.MDRAFT_FIRESTORE_PREFIX,
      ...(e.MDRAFT_TASKS_QUEUE ? { tasksQueue: e.MDRAFT_TASKS_QUEUE } : {}),
      ...(e.MDRAFT_TASKS_SERVICE_ACCOUNT ? { tasksServiceAccount: e.MDRAFT_TASKS_SERVICE_ACCOUNT } : {}),
      ...(e.MDRAFT_TASKS_AUDIENCE ? { tasksAudience: e.MDRAFT_TASKS_AUDIENCE } : {}),
      checkRevoked: e.MDRAFT_FIREBASE_CHECK_REVOKED === 'true',
      workerUrlSet: e.MDRAFT_WORKER_URL !== undefined,
    },
    billing: {
      ...(e.STRIPE_SECRET_KEY ? { stripeSecretKey: e.STRIPE_SECRET_KEY } : {}),
      ...(e.STRIPE_WEBHOOK_SECRET ? { webhookSecret: e.STRIPE_WEBHOOK_SECRET } : {}),
      meterEventName: e.MDRAFT_STRIPE_METER_EVENT,
      ...(e.MDRAFT_STRIPE_API_URL ? { apiUrl: e.MDRAFT_STRIPE_API_URL } : {}),
    },
    sentry: {
      ...(e.SENTRY_DSN ? { dsn: e.SENTRY_DSN } : {}),
      ...(e.SENTRY_ENVIRONMENT ? { environment: e.SENTRY_ENVIRONMENT } : {}),
    },
    plans,
    confirmWindowMs: e.MDRAFT_CONFIRM_WINDOW_S * 1000,
    checkout: {
      ...(e.MDRAFT_BILLING_SUCCESS_URL ? { successUrl: e.MDRAFT_BILLING_SUCCESS_URL } : {}),
      ...(e.MDRAFT_BILLING_CANCEL_URL ? { cancelUrl: e.MDRAFT_BILLING_CANCEL_URL } : {}),
      ...((e.MDRAFT_BILLING_PORTAL_RETURN_URL ?? e.MDRAFT_BILLING_SUCCESS_URL)
        ? {
            portalReturnUrl: e.MDRAFT_BILLING_PORTAL_RETURN_URL ?? new URL(e.MDRAFT_BILLING_SUCCESS_URL!).origin + '/',
          }
        : {}),
      graceMs: e.MDRAFT_BILLING_GRACE_DAYS * 86400_000,
    },
    auditRetentionMs: e.MDRAFT_AUDIT_RETENTION_DAYS * 86400_000,
    rateLimit: (e.MDRAFT_RATE_LIMIT ?? (e.MDRAFT_BACKEND === 'gcp' ? 'on' : 'off')) === 'on',
    ...(e.FIREBASE_AUTH_EMULATOR_HOST
      ? {
          authEmulator: {
            host: e.FIREBASE_AUTH_EMULATOR_HOST,
            projectId: e.MDRAFT_GCP_PROJECT ?? AUTH_EMULATOR_PROJECT,
          },
        }
      : {}),
    ...(e.MDRAFT_FIREBASE_WEB_API_KEY && e.MDRAFT_GCP_PROJECT
      ? {
          firebaseWeb: {
            apiKey: e.MDRAFT_FIREBASE_WEB_API_KEY,
            authDomain: e.MDRAFT_FIREBASE_AUTH_DOMAIN ?? `${e.MDRAFT_GCP_PROJECT}.firebaseapp.com`,
            projectId: e.MDRAFT_GCP_PROJECT,
          },
        }
      : {}),
  };
}

let cached: Config | undefined;

/** The process configuration, read from `process.env` on first use. */
export function getConfig(): Config {
  cached ??= loadConfig(process.env);
  return cached;
}

function pickDefined(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(EnvSchema.shape)) {
    const v = env[key];
    if (v !== undefined && v !== '') out[key] = v;
  }
  return out;
}

function ocrSettings(e: z.output<typeof EnvSchema>): Config['ocr'] {
  const engine =
    e.MDRAFT_OCR ?? (e.MDRAFT_BACKEND === 'gcp' && e.MDRAFT_DOCUMENTAI_PROCESSOR ? 'documentai' : 'tesseract');
  if (engine === 'documentai' && !e.MDRAFT_DOCUMENTAI_PROCESSOR) {
    throw new ConfigError(
      'invalid configuration: MDRAFT_OCR=documentai needs MDRAFT_DOCUMENTAI_PROCESSOR (projects/<p>/locations/<l>/processors/<id>)',
    );
  }
  return { engine, ...(engine === 'documentai' ? { documentAiProcessor: e.MDRAFT_DOCUMENTAI_PROCESSOR } : {}) };
}

function analysisSettings(e: z.output<typeof EnvSchema>): Config['analysis'] {
  const model = e.MDRAFT_ANALYZER_MODEL ?? e.MDRAFT_LLM_MODEL;
  if (e.MDRAFT_ANALYZER === 'offline') return { engine: 'offline', model, location: e.MDRAFT_LLM_LOCATION };
  if (!e.MDRAFT_GCP_PROJECT)
    throw new ConfigError(
      'invalid configuration: MDRAFT_ANALYZER=gemini needs MDRAFT_GCP_PROJECT (the Vertex AI project)',
    );
  return { engine: 'gemini', model, location: e.MDRAFT_LLM_LOCATION, project: e.MDRAFT_GCP_PROJECT };
}
