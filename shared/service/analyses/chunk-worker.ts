/**
 * Worker-thread entry of `chunk-off-thread.ts`: chunks the one document it is given (`workerData`: `{doc,
 * targetTokens}`) and posts the chunks back. It does nothing else and has no I/O.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { chunkDocument } from '../../analysis/chunks.ts';
import type { AnalysisDocument } from '../../analysis/document.ts';

const input = workerData as { doc: AnalysisDocument; targetTokens: number };
parentPort?.postMessage(chunkDocument(input.doc, { targetTokens: input.targetTokens }));
