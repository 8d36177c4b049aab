/**
 * Errors the page shows: the API's error envelope (`{"error": {"code", "message", "requestId"}}`) with the
 * code put in words, and job failure codes in words. The codes are those listed in `functions/README.md`.
 */

/** A failed API call: HTTP status, stable code, the server's message and the request id to quote. */
export class ApiFailure extends Error {
  readonly status: number;
  readonly code: string;
  readonly requestId: string | undefined;
  constructor(status: number, code: string, message: string, requestId?: string) {
    super(message);
    this.name = 'ApiFailure';
    this.status = status;
    this.code = code;
    this.requestId = requestId;
  }
}

const API_CODES: Record<string, string> = {
  unauthenticated: 'You are not signed in, or your key or session is no longer valid.',
  signin_link_invalid: 'This sign-in link was used already or is not valid: restart the server for a new one.',
  quota_exceeded: "This month's conversion allowance of your plan is spent. Upgrade your plan or wait for next month.",
  account_suspended: 'This account is suspended.',
  too_many_jobs: 'Your plan allows only so many conversions at once: wait for some to finish.',
  rate_limited: 'Too many requests in a minute: wait a moment and try again.',
  too_large: 'The file is larger than your plan or its type allows.',
  unsupported_media_type: 'MDraft does not convert this type of file.',
  not_awaiting_confirmation: 'This job is no longer waiting for confirmation.',
  billing_not_configured: 'Payments are not set up on this server.',
  no_billing_account: 'You have no billing account yet: upgrade first.',
  unknown_plan: 'There is no such plan.',
  plan_not_for_sale: 'That plan cannot be bought.',
  forbidden: 'Only administrators may do this.',
  cannot_target_self: 'Administrators cannot do this to their own account.',
  not_found: 'Not found (it may have been deleted).',
  result_not_ready: 'The result is not ready yet.',
  job_failed: 'The conversion failed, so there is no result.',
  token_unsupported: 'This server does not accept Firebase sign-in.',
  token_expired: 'Your sign-in expired: sign in again.',
  token_revoked: 'Your sign-in was revoked: sign in again.',
  token_invalid: 'Your sign-in was refused: sign in again.',
  internal: 'Something went wrong on the server.',
  network: 'The server could not be reached.',
  download_failed: 'The result could not be downloaded: try again.',
  ai_quota_exceeded: "This month's AI allowance of your plan is spent: upgrade your plan or wait for next month.",
  analysis_rate_limited: 'Too many analyses in a minute: wait a moment and try again.',
  job_not_succeeded: 'Only a finished conversion can be analysed.',
  analysis_not_ready: 'The analysis has not finished yet.',
  analysis_failed: 'The analysis failed, so there is no result.',
  format_not_available: 'Only a requirements matrix can be downloaded as CSV.',
};

const JOB_CODES: Record<string, string> = {
  unsupported_format: 'The file is not in a format MDraft converts.',
  corrupt: 'The file is damaged and could not be read.',
  encrypted: 'The file is password-protected.',
  too_large: 'The document is too large (too many pages or too much content).',
  timeout: 'The conversion took too long and was stopped.',
  empty: 'The document has no text to convert.',
  internal: 'The converter failed unexpectedly.',
  type_mismatch: 'The file is not of the type its name or type says.',
  size_mismatch: 'The uploaded file is not the size that was announced.',
  upload_missing: 'The upload never arrived.',
  upload_expired: 'The file was not uploaded in time.',
  malware_detected: 'The malware scan found a known threat; the file was deleted.',
  attempts_exhausted: 'The conversion failed on every attempt.',
  worker_lost: 'The converter stopped responding.',
  quota_exceeded: "The document needs more units than are left in this month's allowance.",
};

/** Words for an API error code (falls back to the server's message). */
export function apiCodeInWords(code: string, fallback: string): string {
  return API_CODES[code] ?? fallback;
}

/** Words for a failed job's `error.code` (falls back to the job's own message). */
export function jobCodeInWords(code: string, fallback: string): string {
  return JOB_CODES[code] ?? fallback;
}

/** Any thrown value as an `ApiFailure` (network failures become `network`). */
export function asFailure(error: unknown): ApiFailure {
  if (error instanceof ApiFailure) return error;
  return new ApiFailure(0, 'network', error instanceof Error ? error.message : String(error));
}
