/** Errors the use cases raise for the functions to map onto HTTP responses. */
export class JobNotFoundError extends Error {
  constructor(message = 'job not found') {
    super(message);
    this.name = 'JobNotFoundError';
  }
}

export class InvalidJobRequestError extends Error {
  readonly code:
    | 'unsupported_media_type'
    | 'too_large'
    | 'invalid_request'
    | 'quota_exceeded'
    | 'too_many_jobs'
    /** A webhook URL that is not an https URL (or has credentials, a fragment, …). */
    | 'invalid_webhook_url'
    /** A webhook was asked for but the credential has no signing secret (an ID token, a key older than webhooks). */
    | 'webhook_unavailable';
  constructor(code: InvalidJobRequestError['code'], message: string) {
    super(message);
    this.name = 'InvalidJobRequestError';
    this.code = code;
  }
}

export class ResultNotReadyError extends Error {
  readonly status: string;
  constructor(status: string, message: string) {
    super(message);
    this.name = 'ResultNotReadyError';
    this.status = status;
  }
}

/** A `cursor` that no `listJobs` call produced. */
export class InvalidCursorError extends Error {
  constructor() {
    super('the cursor is not valid');
    this.name = 'InvalidCursorError';
  }
}

/** `POST /v1/jobs/{id}/confirm` on a job that is not `awaiting_confirmation` (or whose deadline passed). */
export class NotAwaitingConfirmationError extends Error {
  readonly status: string;
  constructor(status: string) {
    super(`the job is ${status}, not awaiting confirmation`);
    this.name = 'NotAwaitingConfirmationError';
    this.status = status;
  }
}
