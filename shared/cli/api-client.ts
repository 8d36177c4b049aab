/**
 * A typed client of the MDraft API, derived from the same route table the server dispatches on and the
 * OpenAPI document is generated from (`shared/service/http/schemas/index.ts`): `call('getJob', { params: { id
 * } })` knows the method, the path, the body's and the query's input types and the success body's type
 * (`z.output` of the documented response schema). Errors come back as `ApiClientError` carrying the envelope's
 * `code`, message and request id. Credentials: an API key, sent as `X-API-Key`.
 *
 * Why not generated from `/v1/openapi.json` with openapi-typescript + openapi-fetch: those packages are not
 * installed in this repository yet; the types here come from the zod schemas the document itself is made of.
 */
import type { z } from 'zod';
import { API_ROUTES, type ApiRoutes, type OperationId } from '../service/http/schemas/index.ts';

type Spec<K extends OperationId> = ApiRoutes[K];

/** `{id}` names in a path template, as a union of string literals. */
type PathParamNames<P> = P extends `${string}{${infer N}}${infer Rest}` ? N | PathParamNames<Rest> : never;

type SuccessBody<S> = S extends { responses: infer R }
  ? {
      [St in keyof R]: St extends 200 | 201 | 204 | 302
        ? R[St] extends { schema: infer Z extends z.ZodType }
          ? z.output<Z>
          : void
        : never;
    }[keyof R]
  : never;

/** What a call of operation K takes: path parameters, query and body, each only when the route has them. */
export type CallInput<K extends OperationId> = ([PathParamNames<Spec<K>['path']>] extends [never]
  ? { params?: undefined }
  : { params: Record<PathParamNames<Spec<K>['path']>, string> }) &
  (Spec<K> extends { query: infer Q extends z.ZodType }
    ? { query?: { [F in keyof z.input<Q>]?: string | number } }
    : { query?: undefined }) &
  (Spec<K> extends { body: infer B extends z.ZodType } ? { body: z.input<B> } : { body?: undefined });

/** The success body of operation K (`void` for 204), typed by its documented response schema. */
export type CallResult<K extends OperationId> = SuccessBody<Spec<K>>;

/** An error answer: `code` from the envelope (`http_<status>` when the body is not the envelope). */
export class ApiClientError extends Error {
  readonly status: number;
  readonly code: string;
  readonly requestId: string | undefined;
  constructor(status: number, code: string, message: string, requestId?: string) {
    super(message);
    this.name = 'ApiClientError';
    this.status = status;
    this.code = code;
    this.requestId = requestId;
  }
}

export interface ApiClientOptions {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:8080`. */
  baseUrl: string;
  apiKey: string;
  fetch?: typeof fetch;
}

export class ApiClient {
  readonly #base: string;
  readonly #key: string;
  readonly #fetch: typeof fetch;
  constructor(options: ApiClientOptions) {
    this.#base = options.baseUrl.replace(/\/+$/, '');
    this.#key = options.apiKey;
    this.#fetch = options.fetch ?? fetch;
  }

  /** The URL of operation K with these inputs (path parameters percent-encoded, query appended). */
  url<K extends OperationId>(operation: K, input: CallInput<K>): string {
    const spec = API_ROUTES[operation];
    const params = (input.params ?? {}) as Record<string, string>;
    const path = spec.path.replace(/\{(\w+)\}/g, (_, name: string) => {
      if (params[name] === undefined) throw new TypeError(`${operation}: path parameter ${name} is missing`);
      return encodeURIComponent(params[name]);
    });
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries((input.query ?? {}) as Record<string, unknown>))
      if (v !== undefined) query.set(k, String(v));
    const qs = query.toString();
    return `${this.#base}${path}${qs ? `?${qs}` : ''}`;
  }

  /**
   * Calls operation K. Redirects are not followed (`getJobResult` answers 302 with the signed URL in its body).
   * @returns the parsed JSON body (text for non-JSON answers such as the CSV export; undefined for 204).
   * @throws ApiClientError for any status ≥ 400; TypeError (from fetch) when the server cannot be reached.
   */
  async call<K extends OperationId>(operation: K, input: CallInput<K>): Promise<CallResult<K>> {
    const spec = API_ROUTES[operation];
    const headers: Record<string, string> = { 'X-API-Key': this.#key };
    const init: RequestInit = { method: spec.method, headers, redirect: 'manual' };
    if (input.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(input.body);
    }
    const res = await this.#fetch(this.url(operation, input), init);
    const text = await res.text();
    const isJson = /^application\/(.+\+)?json\b/i.test(res.headers.get('content-type') ?? '');
    let body: unknown = text;
    if (isJson && text) {
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
    }
    if (res.status >= 400) {
      const envelope = (body as { error?: { code?: string; message?: string; requestId?: string } } | undefined)?.error;
      throw new ApiClientError(
        res.status,
        envelope?.code ?? `http_${res.status}`,
        envelope?.message ?? `HTTP ${res.status}`,
        envelope?.requestId ?? res.headers.get('x-request-id') ?? undefined,
      );
    }
    return (res.status === 204 ? undefined : body) as CallResult<K>;
  }
}
