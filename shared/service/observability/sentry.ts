/**
 * Error reporting to Sentry (`@sentry/google-cloud-serverless`). Initialised once per process, and only when
 * a DSN is configured: without `SENTRY_DSN` nothing is set up and every function here is a no-op.
 *
 * What is reported: unexpected errors (anything thrown that is not an `ApiError`, or an `ApiError` with a
 * 5xx status), tagged with the request id so an event can be found in the logs. Reporting never changes
 * behaviour: the error is rethrown, so the HTTP status (and hence Cloud Tasks / Eventarc retries) stay the
 * same. `beforeSend` scrubs what must never leave the process: signed URLs (query strings), API keys,
 * Stripe keys and webhook secrets, bearer tokens and credential headers.
 */
import * as Sentry from '@sentry/google-cloud-serverless';
import type { HttpHandler } from '../http/types.ts';
import type { NodeListener } from '../http/node.ts';
import { ApiError } from '../http/errors.ts';

export interface SentrySettings {
  dsn?: string;
  environment?: string;
  release?: string;
}

let enabled = false;

/** Initialises Sentry when `dsn` is set (once; later calls return the first outcome). True when enabled. */
export function initSentry(settings: SentrySettings): boolean {
  if (enabled || !settings.dsn) return enabled;
  Sentry.init({
    dsn: settings.dsn,
    ...(settings.environment ? { environment: settings.environment } : {}),
    // Cloud Run sets K_REVISION: events name the deployed revision.
    ...((settings.release ?? process.env.K_REVISION) ? { release: settings.release ?? process.env.K_REVISION } : {}),
    sendDefaultPii: false,
    tracesSampleRate: 0,
    beforeSend: (event) => scrubEvent(event),
    beforeBreadcrumb: (crumb) => scrubEvent(crumb),
  });
  enabled = true;
  return true;
}

export function sentryEnabled(): boolean {
  return enabled;
}

/** Whether an error is unexpected (reported) rather than a handled client error. */
export function isUnexpected(error: unknown): boolean {
  return !(error instanceof ApiError) || error.status >= 500;
}

/** Reports an unexpected error with the request id (and optional tags). No-op without Sentry. */
export function reportError(error: unknown, context: { requestId?: string; fn?: string } = {}): void {
  if (!enabled || !isUnexpected(error)) return;
  Sentry.withScope((scope) => {
    if (context.requestId) scope.setTag('request_id', context.requestId);
    if (context.fn) scope.setTag('function', context.fn);
    Sentry.captureException(error);
  });
}

/** Waits (bounded) for queued events to be sent: call before a CloudEvent function returns or rethrows. */
export async function flushSentry(timeoutMs = 2000): Promise<void> {
  if (enabled) await Sentry.flush(timeoutMs);
}

/** A handler that reports its unexpected errors, then rethrows them unchanged (the status stays the same). */
export function withErrorReporting(handler: HttpHandler, fn: string): HttpHandler {
  return async (req) => {
    try {
      return await handler(req);
    } catch (error) {
      reportError(error, { requestId: req.requestId, fn });
      throw error;
    }
  };
}

/**
 * The node/express listener wrapped with `Sentry.wrapHttpFunction` (per-request scope, flush before the
 * response ends, which matters on Cloud Run where CPU is throttled after the response). Unchanged without Sentry.
 */
export function wrapListener(listener: NodeListener): NodeListener {
  if (!enabled) return listener;
  return Sentry.wrapHttpFunction(
    listener as unknown as Parameters<typeof Sentry.wrapHttpFunction>[0],
  ) as unknown as NodeListener;
}

// --- Scrubbing -------------------------------------------------------------------------------------------

const FILTERED = '[Filtered]';

/** Keys whose values are credentials wherever they appear (headers, extra data, contexts). */
const SECRET_KEY =
  /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|stripe-signature|x-mdraft-internal|x-goog-signature|password|secret|token|api_?key|query_string)$/i;

const SECRET_PATTERNS: Array<[RegExp, string]> = [
  // Any URL's query string: V4 signed URLs (X-Goog-Signature…) and the local signed URLs carry their signature there.
  [/\b(https?:\/\/[^\s?#"'<>]+)\?[^\s"'<>#]*/gi, `$1?${FILTERED}`],
  [/\bmdk_[A-Za-z0-9_-]{10,}/g, `mdk_${FILTERED}`],
  [/\b(sk|rk)_(test|live)_[A-Za-z0-9]+/g, FILTERED],
  [/\bwhsec_[A-Za-z0-9+/=]+/g, FILTERED],
  [/\bBearer\s+[A-Za-z0-9._~+/=-]+/gi, `Bearer ${FILTERED}`],
  // JWTs (Firebase ID tokens) outside an Authorization header.
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, FILTERED],
];

export function scrubString(value: string): string {
  let out = value;
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** A deep copy of a Sentry event (or breadcrumb) with credentials removed. Request bodies are dropped whole. */
export function scrubEvent<T>(event: T): T {
  const scrubbed = scrubValue(event, 0) as T;
  const request = (scrubbed as { request?: Record<string, unknown> } | null)?.request;
  if (request && typeof request === 'object') {
    delete request.data;
    delete request.cookies;
  }
  return scrubbed;
}

function scrubValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return scrubString(value);
  if (depth > 20 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value))
    out[key] = SECRET_KEY.test(key) && v !== undefined ? FILTERED : scrubValue(v, depth + 1);
  return out;
}
