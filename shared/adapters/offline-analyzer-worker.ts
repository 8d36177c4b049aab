/**
 * Worker-thread entry of `offline-analyzer-thread.ts`: runs the offline engine on the one document it is given
 * (`workerData`: `{doc, request}`) and posts `{result}`, or `{error: {code, message, retryable}}` for an
 * `AnalysisError` (a class does not cross threads; the host rebuilds it). No I/O.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { analyzeOffline } from '../analysis/offline.ts';
import { AnalysisError, type AnalysisRequest } from '../analysis/port.ts';
import type { AnalysisDocument } from '../analysis/document.ts';

const input = workerData as { doc: AnalysisDocument; request: AnalysisRequest };
try {
  parentPort?.postMessage({ result: analyzeOffline(input.doc, input.request) });
} catch (error) {
  if (!(error instanceof AnalysisError)) throw error;
  parentPort?.postMessage({ error: { code: error.code, message: error.message, retryable: error.retryable } });
}
