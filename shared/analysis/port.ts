/**
 * The `Analyzer` port: one interface, two engines (`offline.ts` here; Gemini in
 * `shared/adapters/gcp/gemini-analyzer.ts`). An analysis is asked for by kind and gives back a result of the
 * shape in `schema.ts` whichever engine ran it, so callers (the CLI now, the job queue later) never branch
 * on the engine.
 */
import type { AnalysisDocument } from './document.ts';
import type { AnalysisResult } from './schema.ts';

export type AnalysisRequest =
  { kind: 'requirements' } | { kind: 'ask'; question: string } | { kind: 'summary' } | { kind: 'outline' };

export type AnalysisKind = AnalysisRequest['kind'];

export interface Analyzer {
  readonly engine: 'offline' | 'gemini';
  /**
   * Runs one analysis of `doc`.
   * @throws AnalysisError (`analysis-error.ts`) when the engine cannot produce a result at all (the model
   * refused every part, the quota is exhausted after retries); partial results come back with warnings.
   */
  analyze(doc: AnalysisDocument, request: AnalysisRequest): Promise<AnalysisResult>;
}

/** Typed failures of an analysis. `retryable` tells a queue whether another attempt may succeed. */
export class AnalysisError extends Error {
  readonly code: 'model_blocked' | 'model_unavailable' | 'model_output_invalid' | 'invalid_request';
  readonly retryable: boolean;
  constructor(code: AnalysisError['code'], message: string, retryable = false) {
    super(message);
    this.name = 'AnalysisError';
    this.code = code;
    this.retryable = retryable;
  }
}
