/**
 * A framework-neutral request/response pair. Handlers are plain async functions over these, so the same
 * handler serves functions-framework (express) in the cloud and `node:http` in the embedded default.
 */
export interface HttpRequest {
  method: string;
  /** Path without the query string, e.g. `/v1/jobs/abc`. */
  path: string;
  query: URLSearchParams;
  /** Lower-cased header names. */
  headers: Record<string, string | undefined>;
  body: Buffer;
  requestId: string;
}

export interface HttpResponse {
  status: number;
  headers?: Record<string, string>;
  /**
   * An object is sent as JSON; a string or bytes as they are; an `AsyncIterable` of strings or bytes is streamed
   * chunk by chunk (chunked transfer encoding), for exports that should not be held whole in memory.
   */
  body?: unknown;
}

export type HttpHandler = (req: HttpRequest) => Promise<HttpResponse>;

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse => ({
  status,
  body,
  headers,
});
