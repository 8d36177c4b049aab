/**
 * The offline `Analyzer` (`analysis/offline.ts`) run away from the caller's event loop. The engine parses the
 * whole Markdown (micromark) and costs seconds a megabyte (an outline of 1 MB took about 20 s on a loaded
 * 2-core machine, mostly garbage collection); on the worker's own thread that stalled every other task of the
 * instance (lease heartbeats, other conversions) and, on the embedded default, every request of the server. A
 * document up to `INLINE_ANALYSIS_CHARS` is analysed in place (milliseconds, cheaper than starting a thread); a
 * larger one in a worker thread of its own with a heap ceiling and a time budget.
 */
import { Worker } from 'node:worker_threads';
import { analyzeOffline } from '../analysis/offline.ts';
import { AnalysisError, type Analyzer } from '../analysis/port.ts';
import type { AnalysisResult } from '../analysis/schema.ts';

/** Markdown up to this many UTF-16 code units is analysed on the calling thread. */
export const INLINE_ANALYSIS_CHARS = 64 * 1024;

/** V8 heap ceiling of the analysis thread, MB. */
const HEAP_MB = 2048;

const workerUrl = new URL(
  import.meta.url.endsWith('.ts') ? './offline-analyzer-worker.ts' : './offline-analyzer-worker.js',
  import.meta.url,
);

type Reply =
  { result: AnalysisResult } | { error: { code: AnalysisError['code']; message: string; retryable: boolean } };

/**
 * @param budgetMs time budget of one off-thread analysis, ms; past it the thread is stopped and the analysis fails
 * `invalid_request` (permanent: the same document would take as long again).
 * Errors: the engine's `AnalysisError`s unchanged; `invalid_request` when the thread runs out of heap or time;
 * an `Error` when the thread fails otherwise (retried as unexpected).
 */
export function createThreadedOfflineAnalyzer(budgetMs: number): Analyzer {
  return {
    engine: 'offline',
    async analyze(doc, request) {
      if (doc.markdown.length <= INLINE_ANALYSIS_CHARS) return analyzeOffline(doc, request);
      const worker = new Worker(workerUrl, {
        workerData: { doc, request },
        resourceLimits: { maxOldGenerationSizeMb: HEAP_MB },
      });
      try {
        const reply = await new Promise<Reply>((resolve, reject) => {
          const timer = setTimeout(
            () =>
              reject(
                new AnalysisError(
                  'invalid_request',
                  `the document is too large to analyse within ${Math.round(budgetMs / 1000)} s`,
                ),
              ),
            budgetMs,
          );
          const settle =
            <T>(f: (v: T) => void) =>
            (v: T) => {
              clearTimeout(timer);
              f(v);
            };
          worker.once('message', settle(resolve));
          worker.once(
            'error',
            settle((error: Error & { code?: string }) =>
              reject(
                error.code === 'ERR_WORKER_OUT_OF_MEMORY'
                  ? new AnalysisError('invalid_request', `the document is too large to analyse in ${HEAP_MB} MB`)
                  : error,
              ),
            ),
          );
          worker.once(
            'exit',
            settle((code: number) => reject(new Error(`the analysis thread exited (code ${code})`))),
          );
        });
        if ('error' in reply) throw new AnalysisError(reply.error.code, reply.error.message, reply.error.retryable);
        return reply.result;
      } finally {
        void worker.terminate();
      }
    },
  };
}
