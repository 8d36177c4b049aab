/**
 * Owner-scoped reads of analyses: one, a job's list, its result (JSON) and, for a requirements matrix, the
 * result as CSV. Another owner's analysis (or one under another job id) behaves exactly like a missing one.
 */
import type { AnalysisResult } from '../../analysis/schema.ts';
import { CSV_COLUMNS, requirementCsvFields } from '../../analysis/requirements.ts';
import type { Analysis, AnalysisPage } from '../ports.ts';
import type { PipelineDeps } from '../jobs/deps.ts';
import { getOwnedJob } from '../jobs/queries.ts';
import { csvStream } from '../../common/csv.ts';
import { AnalysisNotFoundError, AnalysisResultUnavailableError } from './errors.ts';
import { isAnalysisId } from './names.ts';

/** @throws JobNotFoundError, AnalysisNotFoundError */
export async function getOwnedAnalysis(
  deps: PipelineDeps,
  owner: string,
  jobId: string,
  analysisId: string,
): Promise<Analysis> {
  await getOwnedJob(deps, owner, jobId);
  if (!isAnalysisId(analysisId)) throw new AnalysisNotFoundError();
  const a = await deps.jobs.getAnalysis(analysisId);
  if (!a || a.owner !== owner || a.jobId !== jobId) throw new AnalysisNotFoundError();
  return a;
}

/** The job's analyses, newest first. @throws JobNotFoundError, InvalidCursorError */
export async function listOwnedAnalyses(
  deps: PipelineDeps,
  owner: string,
  jobId: string,
  page: { limit: number; cursor?: string },
): Promise<AnalysisPage> {
  await getOwnedJob(deps, owner, jobId);
  return deps.jobs.listAnalyses(jobId, page);
}

/**
 * The result of a succeeded analysis (the shape of `shared/analysis/schema.ts`).
 * @throws AnalysisResultUnavailableError `analysis_not_ready` / `analysis_failed`; Error when a succeeded
 * analysis's result object is missing (storage lost it: a server fault, not the caller's).
 */
export async function readAnalysisResult(deps: PipelineDeps, analysis: Analysis): Promise<AnalysisResult> {
  if (analysis.status === 'failed')
    throw new AnalysisResultUnavailableError(
      'analysis_failed',
      `the analysis failed (${analysis.error?.code ?? 'unknown'}): no result`,
    );
  if (analysis.status !== 'succeeded' || !analysis.resultObject)
    throw new AnalysisResultUnavailableError('analysis_not_ready', `the analysis is ${analysis.status}: no result yet`);
  const bytes = await deps.results.read(analysis.resultObject);
  if (!bytes) throw new Error(`the result of analysis ${analysis.id} is missing from storage`);
  return JSON.parse(Buffer.from(bytes).toString('utf8')) as AnalysisResult;
}

/**
 * A requirements matrix as CSV records (RFC 4180 through `common/csv.ts`: CRLF, quoting, formula-safe), the
 * same columns and fields as `mdraft requirements --csv` (`CSV_COLUMNS`, `requirementCsvFields`).
 * @throws AnalysisResultUnavailableError `format_not_available` for any other kind.
 */
export function requirementsCsv(result: AnalysisResult): AsyncGenerator<string> {
  if (result.kind !== 'requirements')
    throw new AnalysisResultUnavailableError(
      'format_not_available',
      `CSV is available for requirements, not ${result.kind}`,
    );
  return csvStream(CSV_COLUMNS, result.requirements.map(requirementCsvFields));
}
