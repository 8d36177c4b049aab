/**
 * Structured logs: one JSON object per line on stdout, the shape Cloud Logging reads (`severity`,
 * `message`, extra fields become `jsonPayload`). One named function per event in `logs` so call sites
 * read as what happened and the fields stay consistent. Signed URLs and keys are never logged.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export type Severity = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR';

/** Fields every entry logged within a request carries (its trace fields: `http/trace-context.ts`). */
const requestFields = new AsyncLocalStorage<Record<string, unknown>>();

/**
 * Runs `fn` with `fields` added to every entry it (and whatever it awaits) logs: the request's trace, so Cloud
 * Logging shows a request's entries together under its trace.
 */
export function withLogFields<T>(fields: Record<string, unknown>, fn: () => T): T {
  return requestFields.run({ ...requestFields.getStore(), ...fields }, fn);
}

const ORDER: Record<Severity | 'SILENT', number> = { DEBUG: 10, INFO: 20, WARNING: 30, ERROR: 40, SILENT: 100 };

let threshold: keyof typeof ORDER | undefined;

/** Overrides `MDRAFT_LOG_LEVEL` (debug | info | warning | error | silent). */
export function setLogLevel(level: string): void {
  threshold = normalize(level);
}

function normalize(level: string | undefined): keyof typeof ORDER {
  const up = (level ?? 'INFO').toUpperCase();
  return up in ORDER ? (up as keyof typeof ORDER) : 'INFO';
}

export function log(severity: Severity, message: string, fields: Record<string, unknown> = {}): void {
  const level = threshold ?? normalize(process.env.MDRAFT_LOG_LEVEL);
  if (ORDER[severity] < ORDER[level]) return;
  // The event name and severity are written last: a field called `message` can never overwrite them.
  const entry = { ...requestFields.getStore(), ...fields, severity, message, time: new Date().toISOString() };
  process.stdout.write(`${safeJson(entry)}\n`);
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v) =>
      v instanceof Error ? { name: v.name, message: v.message, stack: v.stack } : v,
    );
  } catch {
    return JSON.stringify({ severity: 'ERROR', message: 'unserializable log entry' });
  }
}

interface Ctx {
  requestId?: string;
}

export const logs = {
  /**
   * One entry per request, with Cloud Logging's `httpRequest` object (https://cloud.google.com/logging/docs/
   * reference/v2/rest/v2/LogEntry#HttpRequest): sizes as decimal strings (int64 in JSON), latency as a duration
   * string (`"0.012s"`). The URL is the path only: query strings may carry tokens.
   */
  requestDone: (
    c: Ctx & {
      method: string;
      path: string;
      status: number;
      ms: number;
      userAgent?: string;
      remoteIp?: string;
      responseSize?: number;
      protocol?: string;
    },
  ) =>
    log(c.status >= 500 ? 'ERROR' : 'INFO', 'request done', {
      requestId: c.requestId,
      method: c.method,
      path: c.path,
      status: c.status,
      ms: c.ms,
      httpRequest: {
        requestMethod: c.method,
        requestUrl: c.path,
        status: c.status,
        latency: `${(c.ms / 1000).toFixed(3)}s`,
        ...(c.userAgent ? { userAgent: c.userAgent } : {}),
        ...(c.remoteIp ? { remoteIp: c.remoteIp } : {}),
        ...(c.responseSize !== undefined ? { responseSize: String(c.responseSize) } : {}),
        ...(c.protocol ? { protocol: c.protocol } : {}),
      },
    }),
  requestFailed: (c: Ctx, error: unknown) => log('ERROR', 'request failed with an unexpected error', { ...c, error }),
  jobCreated: (c: Ctx & { jobId: string; owner: string; contentType: string; size: number }) =>
    log('INFO', 'job created', { ...c }),
  jobDeleted: (c: Ctx & { jobId: string }) => log('INFO', 'job deleted', { ...c }),
  webhookAttempted: (
    c: Ctx & { jobId: string; attempt: number; state: string; status?: number; code?: string; detail?: string },
  ) => log(c.state === 'failed' ? 'WARNING' : 'INFO', 'webhook attempt', { ...c }),
  webhookEnqueueFailed: (c: Ctx & { jobId: string; error: string }) =>
    log('ERROR', 'webhook could not be enqueued', { ...c }),
  eventIgnored: (c: Ctx & { reason: string; bucket?: string; name?: string; eventId?: string }) =>
    log('INFO', 'finalize event ignored', { ...c }),
  uploadRejected: (c: Ctx & { jobId: string; code: string; detail: string }) =>
    log('WARNING', 'upload rejected', { ...c }),
  jobQueued: (c: Ctx & { jobId: string; eventKey: string; taskName: string; created: boolean; duplicate: boolean }) =>
    log('INFO', 'job queued', { ...c }),
  claimRefused: (c: Ctx & { jobId: string; reason: string }) => log('INFO', 'conversion claim refused', { ...c }),
  takeoverScheduled: (
    c: Ctx & { jobId: string; analysisId?: string; taskName: string; at: string; created: boolean },
  ) => log('INFO', 'takeover scheduled', { ...c }),
  analysisCreated: (c: Ctx & { jobId: string; analysisId: string; kind: string; engine: string }) =>
    log('INFO', 'analysis created', { ...c }),
  analysisQueued: (c: Ctx & { analysisId: string; taskName: string; created: boolean }) =>
    log('INFO', 'analysis queued', { ...c }),
  analysisClaimRefused: (c: Ctx & { analysisId: string; reason: string }) =>
    log('INFO', 'analysis claim refused', { ...c }),
  analysisSucceeded: (c: Ctx & { analysisId: string; ms: number; warnings: number; recorded: boolean }) =>
    log('INFO', 'analysis succeeded', { ...c }),
  analysisFailed: (c: Ctx & { analysisId: string; code: string; detail: string; final: boolean }) =>
    log(c.final ? 'WARNING' : 'ERROR', 'analysis failed', { ...c }),
  conversionStarted: (c: Ctx & { jobId: string; attempt: number }) => log('INFO', 'conversion started', { ...c }),
  conversionSucceeded: (c: Ctx & { jobId: string; ms: number; warnings: number; recorded: boolean }) =>
    log('INFO', 'conversion succeeded', { ...c }),
  conversionFailed: (c: Ctx & { jobId: string; code: string; detail: string; final: boolean }) =>
    log(c.final ? 'WARNING' : 'ERROR', 'conversion failed', { ...c }),
  usageReported: (c: Ctx & { jobId: string; billing: string; recorded: boolean; reason?: string }) =>
    log('INFO', 'usage reported', { ...c }),
  usageReportFailed: (c: Ctx & { jobId: string; billing: string; error: string; final: boolean }) =>
    log(c.final ? 'ERROR' : 'WARNING', 'usage report failed', { ...c }),
  adminAction: (c: Ctx & { actor: string; action: string; target: string; details?: object }) =>
    log('INFO', 'admin action', {
      ...c.details,
      requestId: c.requestId,
      actor: c.actor,
      action: c.action,
      target: c.target,
    }),
  billingPriceUnmatched: (c: { priceKey: string }) => log('WARNING', 'subscription price matches no plan', { ...c }),
  billingEventIgnored: (c: Ctx & { eventId: string; type: string }) => log('INFO', 'billing event ignored', { ...c }),
  billingEventApplied: (c: Ctx & { eventId: string; type: string; outcome: string }) =>
    log(c.outcome === 'unmatched' ? 'WARNING' : 'INFO', 'billing event', { ...c }),
  storageEventIgnored: (c: { eventId?: string; type: string }) =>
    log('INFO', 'finalize function got another event type', { ...c }),
  storageEventMalformed: (c: { eventId?: string; issues: unknown[] }) =>
    log('ERROR', 'malformed storage event', { ...c }),
  cleanupDone: (c: Ctx, counts: object) => log('INFO', 'cleanup done', { ...c, ...counts }),
  nameTermsBackfilled: (c: Ctx & { scanned: number; filled: number; done: boolean }) =>
    log('INFO', 'job name terms backfilled', { ...c }),
  apiKeyCreated: (c: Ctx & { owner: string; keyId: string }) =>
    log('INFO', 'api key created', { ...c, keyId: c.keyId.slice(0, 12) }),
  accountDeleted: (c: Ctx & { owner: string; jobs: number }) => log('INFO', 'account deleted', { ...c }),
  jobConfirmed: (c: Ctx & { jobId: string; units: number }) => log('INFO', 'job confirmed', { ...c }),
  jobRefused: (c: Ctx & { jobId: string; code: string; units: number }) => log('INFO', 'job refused', { ...c }),
  apiKeyRevoked: (c: Ctx & { owner: string; keyId: string }) =>
    log('INFO', 'api key revoked', { ...c, keyId: c.keyId.slice(0, 12) }),
  taskDispatchFailed: (c: { task: string; attempt: number; status?: number; error?: string; final: boolean }) =>
    log(c.final ? 'ERROR' : 'WARNING', 'task dispatch failed', { ...c }),
  eventDeliveryFailed: (c: { name: string; attempt: number; error: string }) =>
    log('WARNING', 'finalize event delivery failed', { ...c }),
  serverStarted: (c: { url: string; dataDir: string }) => log('INFO', 'server started', { ...c }),
  leaseLost: (c: Ctx & { jobId: string }) => log('WARNING', 'lease lost while converting', { ...c }),
  leaseRenewalFailed: (c: Ctx & { jobId: string; error: string }) => log('WARNING', 'lease renewal failed', { ...c }),
  resultsDiscarded: (c: Ctx & { jobId: string; reason: string }) =>
    log('INFO', 'conversion results discarded', { ...c }),
  orphansSwept: (c: Ctx & { bucket: string; deleted: number }) => log('INFO', 'orphaned objects swept', { ...c }),
  queueBookkeepingFailed: (c: { step: string; error: string; final: boolean }) =>
    log(c.final ? 'ERROR' : 'WARNING', 'task queue bookkeeping failed', { ...c }),
  startupKeyFailed: (c: { error: string }) => log('ERROR', 'could not issue the startup API key', { ...c }),
  scannerOff: (c: { reason: string }) => log('WARNING', 'malware scanning is off', { ...c }),
  scannerOn: (c: { scanner: string; address: string }) => log('INFO', 'malware scanning is on', { ...c }),
  uploadScanned: (c: Ctx & { jobId: string; scanner: string; verdict: string; signature?: string; ms: number }) =>
    log(c.verdict === 'infected' ? 'WARNING' : 'INFO', 'upload scanned', { ...c }),
};
