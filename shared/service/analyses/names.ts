/** Analysis ids, result object names and task names. Ids are 128 random bits, like job ids. */
import { randomBytes } from 'node:crypto';

export function newAnalysisId(): string {
  return `ana_${randomBytes(16).toString('base64url')}`;
}

export function isAnalysisId(value: string): boolean {
  return /^ana_[A-Za-z0-9_-]{22}$/.test(value);
}

/**
 * The result JSON in the results bucket, under its job's prefix: deleting the job (or cleanup's sweep of a
 * dead job's objects, `jobs/orphan-sweep.ts`) removes it with the job's own results.
 */
export function analysisResultObject(jobId: string, analysisId: string): string {
  return `${jobId}/analyses/${analysisId}.json`;
}

/** The prefix of every analysis result of a job. */
export function analysisResultsPrefix(jobId: string): string {
  return `${jobId}/analyses/`;
}

/** One task per analysis: the id is a valid Cloud Tasks task id, so a re-enqueue is refused as a duplicate. */
export function analysisTaskName(analysisId: string): string {
  return analysisId;
}
