/**
 * `GET /v1/jobs/{id}/result?format=chunks`: the converted Markdown in heading-aware chunks for retrieval
 * (`shared/analysis/chunks.ts`: never across a heading, never inside a table row or list item), each with its
 * heading path, pages and offsets into the job's Markdown (the offsets analyses cite).
 */
import { CHUNK_TOKEN_BOUNDS, chunkDocument, DEFAULT_CHUNK_TOKENS, type Chunk } from '../../analysis/chunks.ts';
import type { PipelineDeps } from '../jobs/deps.ts';
import { getOwnedJob } from '../jobs/queries.ts';
import { ResultNotReadyError } from '../jobs/errors.ts';
import { readConvertedDocument } from './document.ts';

/** Bounds and default of `targetTokens` (estimated tokens, 4 characters each: `analysis/tokens.ts`). */
export const CHUNK_TOKENS = { ...CHUNK_TOKEN_BOUNDS, default: DEFAULT_CHUNK_TOKENS } as const;

export interface JobChunks {
  jobId: string;
  targetTokens: number;
  /** Characters (UTF-16 code units) of the whole Markdown. */
  markdownLength: number;
  chunks: Chunk[];
}

/**
 * @param targetTokens within `CHUNK_TOKENS` (the route's schema enforces it).
 * @throws JobNotFoundError; ResultNotReadyError when the job has not succeeded; Error when a succeeded job's
 * result object is missing (storage lost it).
 */
export async function jobChunks(
  deps: PipelineDeps,
  owner: string,
  jobId: string,
  targetTokens: number,
): Promise<JobChunks> {
  const job = await getOwnedJob(deps, owner, jobId);
  if (job.status !== 'succeeded') {
    const why =
      job.status === 'failed' ? `the job failed (${job.error?.code ?? 'unknown'})` : `the job is ${job.status}`;
    throw new ResultNotReadyError(job.status, `no result: ${why}`);
  }
  const doc = await readConvertedDocument(deps, job);
  if (!doc) throw new Error(`the result of job ${job.id} is missing from storage`);
  return { jobId, targetTokens, markdownLength: doc.markdown.length, chunks: chunkDocument(doc, { targetTokens }) };
}
