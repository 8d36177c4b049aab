/**
 * `GET /v1/jobs/{id}/result?format=chunks`: the converted Markdown in heading-aware chunks for retrieval
 * (`shared/analysis/chunks.ts`: never across a heading, never inside a table row or list item), each with its
 * heading path, pages and offsets into the job's Markdown (the offsets analyses cite).
 */
import { CHUNK_TOKEN_BOUNDS, DEFAULT_CHUNK_TOKENS, type Chunk } from '../../analysis/chunks.ts';
import { chunkOffThread } from './chunk-off-thread.ts';
import type { PipelineDeps } from '../jobs/deps.ts';
import { getOwnedJob } from '../jobs/queries.ts';
import { ResultNotReadyError } from '../jobs/errors.ts';
import { readConvertedDocument } from './document.ts';

/** Bounds and default of `targetTokens` (estimated tokens, 4 characters each: `analysis/tokens.ts`). */
export const CHUNK_TOKENS = { ...CHUNK_TOKEN_BOUNDS, default: DEFAULT_CHUNK_TOKENS } as const;

/**
 * Budget of one request's chunking, ms: under the 300 s request timeout of Node's HTTP server and of Cloud Run's
 * default, with room for a 64 MB result at targetTokens 8192 on an idle core.
 */
export const CHUNKING_BUDGET_MS = 240_000;

export interface JobChunks {
  jobId: string;
  targetTokens: number;
  /** Characters (UTF-16 code units) of the whole Markdown. */
  markdownLength: number;
  chunks: Chunk[];
}

/**
 * @param targetTokens within `CHUNK_TOKENS` (the route's schema enforces it).
 * @throws JobNotFoundError; ResultNotReadyError when the job has not succeeded; ChunkingTimeoutError past
 * `CHUNKING_BUDGET_MS`; Error when a succeeded job's result object is missing (storage lost it).
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
  // Off the event loop: parsing a large result takes seconds (`chunk-off-thread.ts`).
  const chunks = await chunkOffThread(doc, targetTokens, CHUNKING_BUDGET_MS);
  return { jobId, targetTokens, markdownLength: doc.markdown.length, chunks };
}
