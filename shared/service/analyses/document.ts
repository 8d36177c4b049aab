/** A succeeded job's converted document as the analyses read it: its Markdown and pages, from its JSON result. */
import type { AnalysisDocument } from '../../analysis/document.ts';
import type { PageResult } from '../../engine/types.ts';
import type { Job } from '../ports.ts';
import type { PipelineDeps } from '../jobs/deps.ts';

/**
 * The Markdown and pages of `job`'s structured result (`result.json`, written by `run-conversion.ts`); the
 * same Markdown as `result.md`, so offsets into one are offsets into the other. Undefined when the job has no
 * result (not succeeded, or the object is gone).
 */
export async function readConvertedDocument(
  deps: Pick<PipelineDeps, 'results'>,
  job: Job,
): Promise<AnalysisDocument | undefined> {
  if (job.status !== 'succeeded' || !job.resultObjects) return undefined;
  const bytes = await deps.results.read(job.resultObjects.json);
  if (!bytes) return undefined;
  const parsed = JSON.parse(Buffer.from(bytes).toString('utf8')) as { markdown?: unknown; pages?: unknown };
  if (typeof parsed.markdown !== 'string') return undefined;
  return { markdown: parsed.markdown, ...(Array.isArray(parsed.pages) ? { pages: parsed.pages as PageResult[] } : {}) };
}
