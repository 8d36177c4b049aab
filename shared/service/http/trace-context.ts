/**
 * The trace an incoming request belongs to, from its headers, in the fields Cloud Logging joins log entries to
 * traces by (https://cloud.google.com/logging/docs/structured-logging#special-payload-fields):
 * `logging.googleapis.com/trace` (`projects/<project>/traces/<trace id>`), `logging.googleapis.com/spanId`
 * (16 hex digits) and `logging.googleapis.com/trace_sampled`.
 *
 * Headers read: W3C `traceparent` (`00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>`, W3C Trace Context
 * §3.2) first, then Google's `X-Cloud-Trace-Context` (`<32 hex trace id>/<decimal span id>;o=<0|1>`), which Cloud
 * Run and the Google front ends set. All-zero ids are invalid in both and ignored.
 */

export interface TraceContext {
  /** 32 lower-case hex digits. */
  traceId: string;
  /** 16 lower-case hex digits, when the header carried one. */
  spanId?: string;
  sampled: boolean;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const CLOUD_TRACE = /^([0-9a-fA-F]{32})(?:\/(\d{1,20}))?(?:;o=([01]))?$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

/** The trace of a request from its lower-cased headers, or undefined when it carries none (or a malformed one). */
export function traceFrom(headers: Record<string, string | undefined>): TraceContext | undefined {
  const parent = TRACEPARENT.exec(headers.traceparent?.trim().toLowerCase() ?? '');
  // Version ff is invalid (W3C Trace Context §3.2.2.1).
  if (parent && parent[1] !== 'ff' && parent[2] !== ZERO_TRACE && parent[3] !== ZERO_SPAN) {
    return { traceId: parent[2], spanId: parent[3], sampled: (parseInt(parent[4], 16) & 1) === 1 };
  }
  const cloud = CLOUD_TRACE.exec(headers['x-cloud-trace-context']?.trim() ?? '');
  if (cloud && cloud[1] !== ZERO_TRACE) {
    const traceId = cloud[1].toLowerCase();
    const span = cloud[2] ? BigInt(cloud[2]) : 0n;
    // The span id is an unsigned 64-bit decimal; Cloud Logging wants it as 16 hex digits.
    const spanId = span > 0n && span < 2n ** 64n ? span.toString(16).padStart(16, '0') : undefined;
    return { traceId, ...(spanId ? { spanId } : {}), sampled: cloud[3] === '1' };
  }
  return undefined;
}

/**
 * The Cloud Logging fields of `trace`. Without a project id the trace field is the bare trace id (Cloud
 * Logging then does not link it, but the entries still group by it).
 */
export function traceLogFields(trace: TraceContext, projectId?: string): Record<string, string | boolean> {
  return {
    'logging.googleapis.com/trace': projectId ? `projects/${projectId}/traces/${trace.traceId}` : trace.traceId,
    ...(trace.spanId ? { 'logging.googleapis.com/spanId': trace.spanId } : {}),
    'logging.googleapis.com/trace_sampled': trace.sampled,
  };
}
