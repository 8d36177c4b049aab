/**
 * A route of the public API as data: method, path template, the zod schemas its handler parses the query and
 * body with, the responses it answers with and who may call it. The router (`functions/api.ts`) dispatches on
 * these, and the OpenAPI document (`openapi.ts`) is derived from the same objects (and the typed client,
 * `shared/client/`, from the document), so a route and its description cannot drift apart unnoticed.
 */
import type { z } from 'zod';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * `none`: no credentials (health, the API description); `user`: an API key, a Firebase ID token or the
 * embedded default's session cookie; `admin`: the same, from an administrator (else 403 `forbidden`).
 */
export type RouteAuth = 'none' | 'user' | 'admin';

export interface ResponseSpec {
  description: string;
  /** The body's schema (its output side); absent = no body (204, HEAD). */
  schema?: z.ZodType;
  /** Default `application/json`. */
  contentType?: string;
  /** Response headers worth documenting: name → description. */
  headers?: Readonly<Record<string, string>>;
}

export interface RouteSpec {
  /** Unique, camelCase: the OpenAPI `operationId` and the typed client's method name. */
  operationId: string;
  method: HttpMethod;
  /** OpenAPI path template: literal segments and whole-segment `{name}` parameters, e.g. `/v1/jobs/{id}`. */
  path: string;
  summary: string;
  description?: string;
  /** Groups operations in the document (OpenAPI `tags`). */
  tag: string;
  auth: RouteAuth;
  /** The query string, parsed as an object of strings (`Object.fromEntries(query)`) by this schema. */
  query?: z.ZodObject;
  /** The JSON body, parsed by `parseJsonBody` with this schema. */
  body?: z.ZodType;
  /** The success responses, by status. */
  responses: Readonly<Record<number, ResponseSpec>>;
  /**
   * Errors this route answers beyond those every route of its kind does (`errorStatuses`): status → the
   * error codes (`error.code` of the envelope) it can carry.
   */
  errors?: Readonly<Record<number, readonly string[]>>;
}

/** Path parameter names in order, e.g. `['id']` for `/v1/jobs/{id}/result`. */
export function pathParams(path: string): string[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
}

/**
 * The regular expression the router matches a request path with: each `{name}` is one non-empty segment
 * (captured, URI-decoded by the router), everything else literal.
 */
export function pathPattern(path: string): RegExp {
  const source = path
    .split(/(\{\w+\})/)
    .map((part) => (/^\{\w+\}$/.test(part) ? '([^/]+)' : part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}

/**
 * Every error status a route can answer, with its codes: those of its kind (credentials, rate limit, body,
 * query, path parameters, administration), then its own (`RouteSpec.errors`). The sources are the places
 * that throw them: `functions/api.ts` (401/403 `account_suspended`, 404 `not_found`), `rate-limits.ts` (429),
 * `body.ts` (400), `node.ts` (413 `payload_too_large`, 500 `internal`), `routes/admin.ts` (403, 501).
 */
export function errorStatuses(spec: RouteSpec): Map<number, string[]> {
  const out = new Map<number, Set<string>>();
  const add = (status: number, codes: readonly string[]) => {
    const set = out.get(status) ?? new Set<string>();
    for (const c of codes) set.add(c);
    out.set(status, set);
  };
  if (spec.body) {
    add(400, ['invalid_json', 'invalid_content_type', 'invalid_request']);
    add(413, ['payload_too_large']);
  }
  if (spec.query) add(400, ['invalid_query']);
  if (spec.auth !== 'none') {
    add(401, ['unauthenticated', 'token_expired', 'token_invalid', 'token_revoked', 'token_unsupported']);
    add(403, ['account_suspended']);
    add(429, ['rate_limited']);
  }
  if (spec.auth === 'admin') {
    add(403, ['forbidden']);
    add(501, ['admin_not_configured']);
  }
  if (pathParams(spec.path).length > 0) add(404, ['not_found']);
  for (const [status, codes] of Object.entries(spec.errors ?? {})) add(Number(status), codes);
  add(500, ['internal']);
  return new Map([...out].sort(([a], [b]) => a - b).map(([s, codes]) => [s, [...codes]]));
}
