/**
 * Chunking a converted document away from the caller's event loop. `chunkDocument` parses the whole Markdown
 * (micromark) and costs seconds a megabyte (about 19 s for 1 MB on a loaded 2-core machine, mostly garbage
 * collection): on the API's own thread that froze every other request of the instance, and on the embedded
 * default every function of the server. A document under `INLINE_CHUNK_CHARS` is chunked in place (milliseconds,
 * cheaper than starting a thread); a larger one in a worker thread of its own, with a heap ceiling and a time
 * budget past which the thread is stopped.
 */
import { Worker } from 'node:worker_threads';
import { chunkDocument, type Chunk } from '../../analysis/chunks.ts';
import type { AnalysisDocument } from '../../analysis/document.ts';
import { ChunkingTimeoutError } from './errors.ts';

/** Markdown up to this many UTF-16 code units is chunked on the calling thread (a few ms). */
export const INLINE_CHUNK_CHARS = 64 * 1024;

/** V8 heap ceiling of the chunking thread, MB: a 64 MB result (the largest `MDRAFT_MAX_RESULT_MB` default) fits. */
const HEAP_MB = 2048;

const workerUrl = new URL(import.meta.url.endsWith('.ts') ? './chunk-worker.ts' : './chunk-worker.js', import.meta.url);

/**
 * The chunks of `doc` (`chunkDocument`'s, unchanged).
 * @param targetTokens estimated tokens per chunk (`CHUNK_TOKEN_BOUNDS`)
 * @param timeoutMs budget of an off-thread chunking, ms; past it the thread is terminated
 * @throws ChunkingTimeoutError over the budget; Error when the thread fails (its heap ceiling, a crash)
 */
export async function chunkOffThread(doc: AnalysisDocument, targetTokens: number, timeoutMs: number): Promise<Chunk[]> {
  if (doc.markdown.length <= INLINE_CHUNK_CHARS) return chunkDocument(doc, { targetTokens });
  const worker = new Worker(workerUrl, {
    workerData: { doc, targetTokens },
    resourceLimits: { maxOldGenerationSizeMb: HEAP_MB },
  });
  try {
    return await new Promise<Chunk[]>((resolve, reject) => {
      const timer = setTimeout(() => reject(new ChunkingTimeoutError(timeoutMs)), timeoutMs);
      const settle =
        <T>(f: (v: T) => void) =>
        (v: T) => {
          clearTimeout(timer);
          f(v);
        };
      worker.once('message', settle(resolve));
      worker.once('error', settle(reject));
      worker.once(
        'exit',
        settle((code: number) => reject(new Error(`the chunking thread exited (code ${code})`))),
      );
    });
  } finally {
    void worker.terminate();
  }
}
