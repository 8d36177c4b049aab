/**
 * API errors: a stable `code`, an HTTP status and a message safe to show. Every error body is
 * `{"error": {"code", "message", "requestId"}}`; the codes are listed in `functions/README.md`.
 */
import type { HttpResponse } from './types.ts';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly headers: Record<string, string>;
  constructor(status: number, code: string, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

export const badRequest = (code: string, message: string) => new ApiError(400, code, message);
export const unauthenticated = (message = 'missing or invalid credentials', code = 'unauthenticated') =>
  new ApiError(401, code, message, { 'WWW-Authenticate': 'Bearer' });
/** Used for another user's resources too: their existence is not revealed. */
export const notFound = (what = 'resource') => new ApiError(404, 'not_found', `${what} not found`);
export const conflict = (code: string, message: string) => new ApiError(409, code, message);

export function errorResponse(
  status: number,
  code: string,
  message: string,
  requestId: string,
  headers: Record<string, string> = {},
): HttpResponse {
  return { status, headers, body: { error: { code, message, requestId } } };
}

export function toErrorResponse(error: ApiError, requestId: string): HttpResponse {
  return errorResponse(error.status, error.code, error.message, requestId, error.headers);
}
