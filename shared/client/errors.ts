/**
 * Turning openapi-fetch answers into values or typed errors, for callers that prefer exceptions (the CLI):
 * `unwrap(await client.GET(…))` returns `data`, or throws `ApiClientError` carrying the error envelope's
 * `code`, `message` and `requestId` (`{"error": {code, message, requestId}}`, every API error), or
 * `http_<status>` when the body is not the envelope (a proxy's page, a bare 502). A failed connection is
 * fetch's own TypeError, thrown by openapi-fetch as it is.
 */

/** An error answer of the API. */
export class ApiClientError extends Error {
  /** The HTTP status. */
  readonly status: number;
  /** The envelope's stable code (`functions/README.md` lists them), or `http_<status>`. */
  readonly code: string;
  /** The request's `X-Request-Id` (from the envelope, else the response header). */
  readonly requestId: string | undefined;
  constructor(status: number, code: string, message: string, requestId?: string) {
    super(message);
    this.name = 'ApiClientError';
    this.status = status;
    this.code = code;
    this.requestId = requestId;
  }
}

/** What every openapi-fetch call resolves to. */
export interface FetchAnswer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The `ApiClientError` for an answer that is not a success. */
export function apiError(answer: { error?: unknown; response: Response }): ApiClientError {
  const { response } = answer;
  const envelope = (answer.error as { error?: { code?: unknown; message?: unknown; requestId?: unknown } } | undefined)
    ?.error;
  const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  return new ApiClientError(
    response.status,
    text(envelope?.code) ?? `http_${response.status}`,
    text(envelope?.message) ?? `HTTP ${response.status}`,
    text(envelope?.requestId) ?? response.headers.get('x-request-id') ?? undefined,
  );
}

/**
 * The success body of an openapi-fetch answer (undefined for 204).
 * @throws ApiClientError when the status is not 2xx.
 */
export function unwrap<T>(answer: FetchAnswer<T>): T {
  if (!answer.response.ok) throw apiError(answer);
  return answer.data as T;
}
