/**
 * The body of the pdf.js worker thread (see `parser-thread.ts`): pdf.js's own worker code (parsing, fonts,
 * content streams) answering the main thread's pdf.js API over the MessagePort it is handed in `workerData`.
 * Nothing else runs here; the thread lives as long as the engine thread that started it.
 */
import nodeModule from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import type { ParserThreadData } from './parser-thread.ts';
import { COLLECT_MESSAGE, collectGarbage } from '../../collect-garbage.ts';
import { patchPdfjsWorkerOnLoad } from './pdfjs-patches.ts';

interface WorkerModule {
  WorkerMessageHandler: { initializeFromPort(port: MessagePort): void };
}

// pdf.js rejects internal promises nobody awaits when a damaged file breaks a stream mid-parse (the request
// itself is still answered, with an error). As in the sandbox worker (sandbox-worker.ts), that must not kill the
// thread and with it the document.
process.on('unhandledRejection', () => {});

// The worker module ships without type declarations; only its WorkerMessageHandler export is used.
const workerModule: string = 'pdfjs-dist/legacy/build/pdf.worker.mjs';
const data = workerData as ParserThreadData;
// Before pdf.js's worker code is loaded: its ~2.4 MB then come from the compile cache (kept per source hash, so
// the patched source is cached as such) instead of being compiled again on every run.
if (data.compileCacheDir) nodeModule.enableCompileCache?.(data.compileCacheDir);
patchPdfjsWorkerOnLoad();
const { WorkerMessageHandler } = (await import(workerModule)) as WorkerModule;
WorkerMessageHandler.initializeFromPort(data.port);

// Control messages from the engine thread (parser-thread.ts) arrive on the thread's own port, apart from pdf.js's.
// Unreferenced: the thread lives as long as pdf.js's port, as before.
parentPort?.on('message', (message: unknown) => {
  if (message === COLLECT_MESSAGE) collectGarbage();
});
parentPort?.unref();
