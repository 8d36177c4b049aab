/** Errors the analysis use cases raise for the functions to map onto HTTP responses (`functions/routes/analyses.ts`). */

/** No such analysis of this job for this caller (another user's is reported the same way). HTTP 404. */
export class AnalysisNotFoundError extends Error {
  constructor(message = 'analysis not found') {
    super(message);
    this.name = 'AnalysisNotFoundError';
  }
}

/** The job has no result to analyse (not `succeeded`). HTTP 409 `job_not_succeeded`. */
export class JobNotSucceededError extends Error {
  readonly status: string;
  constructor(status: string) {
    super(`only a succeeded job can be analysed; this job is ${status}`);
    this.name = 'JobNotSucceededError';
    this.status = status;
  }
}

/** The plan's AI calls for the month are spent. HTTP 402 `ai_quota_exceeded` (like `quota_exceeded` for units). */
export class AiQuotaExceededError extends Error {
  readonly code = 'ai_quota_exceeded';
  readonly limit: number;
  readonly used: number;
  constructor(input: { limit: number; used: number; month: string }) {
    super(
      `your plan allows ${input.limit} AI calls (analyses) a month and ${input.used} were used in ${input.month}; ` +
        'upgrade the plan or wait for next month',
    );
    this.name = 'AiQuotaExceededError';
    this.limit = input.limit;
    this.used = input.used;
  }
}

/** The analysis has no result (yet, or it failed), or the result has no such format. HTTP 409. */
export class AnalysisResultUnavailableError extends Error {
  readonly code: 'analysis_not_ready' | 'analysis_failed' | 'format_not_available';
  constructor(code: AnalysisResultUnavailableError['code'], message: string) {
    super(message);
    this.name = 'AnalysisResultUnavailableError';
    this.code = code;
  }
}

/** Chunking a result on request took longer than its budget (`chunk-off-thread.ts`). HTTP 503 `chunking_timeout`. */
export class ChunkingTimeoutError extends Error {
  readonly code = 'chunking_timeout';
  constructor(timeoutMs: number) {
    super(`chunking the result took longer than ${Math.round(timeoutMs / 1000)} s; try a larger targetTokens later`);
    this.name = 'ChunkingTimeoutError';
  }
}
