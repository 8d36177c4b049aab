/** The public shape of an analysis (what the API returns); lease and allowance bookkeeping stay inside. */
import type { AnalysisResult } from '../../analysis/schema.ts';
import type { Analysis } from '../ports.ts';

export interface AnalysisView {
  id: string;
  jobId: string;
  kind: Analysis['kind'];
  question?: string;
  status: Analysis['status'];
  /** `offline` or `gemini`. */
  engine: Analysis['engine'];
  createdAt: string;
  updatedAt: string;
  startedAt?: string;
  finishedAt?: string;
  attempts: number;
  error?: { code: string; message: string };
  warnings: { code: string; message: string }[];
  droppedClaims?: number;
  /** Tokens and cost, when the Gemini engine ran. */
  usage?: Analysis['usage'];
  /** The result (single reads of a succeeded analysis only). */
  result?: AnalysisResult;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function toAnalysisView(a: Analysis, result?: AnalysisResult): AnalysisView {
  return {
    id: a.id,
    jobId: a.jobId,
    kind: a.kind,
    ...(a.question !== undefined ? { question: a.question } : {}),
    status: a.status,
    engine: a.engine,
    createdAt: iso(a.createdAt),
    updatedAt: iso(a.updatedAt),
    ...(a.startedAt !== undefined ? { startedAt: iso(a.startedAt) } : {}),
    ...(a.finishedAt !== undefined ? { finishedAt: iso(a.finishedAt) } : {}),
    attempts: a.attempts,
    ...(a.error ? { error: a.error } : {}),
    warnings: a.warnings.map((w) => ({ code: w.code, message: w.message })),
    ...(a.droppedClaims !== undefined ? { droppedClaims: a.droppedClaims } : {}),
    ...(a.usage ? { usage: a.usage } : {}),
    ...(result ? { result } : {}),
  };
}
