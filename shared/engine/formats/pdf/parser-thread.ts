/**
 * pdf.js's parser (its "worker": content streams, fonts, text content, operator lists) in a thread of its own,
 * so that parsing page N+1 overlaps with laying out page N on a second core. Profiles of long text PDFs put
 * about two thirds of the time in pdf.js's worker code and the rest in layout, garbage collection and message
 * copying on the calling thread; in one thread (pdf.js's in-process "fake worker") the two run one after the
 * other.
 *
 * One thread per engine thread, started on the first PDF and kept for the next. `startParserThread` starts it
 * before pdf.js's API is loaded on this side, so the thread's start-up (a Node environment, then pdf.js's worker
 * code read, patched and compiled: ~0.3 s on the 2-core benchmark machine) runs on the other core meanwhile
 * instead of after it. Its modules come from the process's compile cache (a thread does not inherit it). It is
 * referenced only while a document uses it, so an idle thread never keeps the process alive. Its heap is capped like this thread's own (the sandbox's
 * `resourceLimits`), so a hostile document costs at most one more ceiling. When the thread dies (memory
 * ceiling, crash) `failure` rejects with a typed error and the next document starts a new thread; pdf.js's
 * pending requests would otherwise wait forever.
 *
 * The thread's console is this thread's (piped stdio would keep the process alive while the stream waits for
 * data); pdf.js is told to print nothing but errors (`verbosity: 0`), as in `load.ts`.
 *
 * Used for text extraction only: pages rendered for OCR keep pdf.js's in-process worker (`load.ts`).
 */
import nodeModule from 'node:module';
import { MessageChannel, Worker, resourceLimits } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { ConversionError } from '../../errors.ts';
import { COLLECT_MESSAGE } from '../../collect-garbage.ts';

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
type PdfWorker = InstanceType<PdfJs['PDFWorker']>;

export interface ParserThread {
  /** The pdf.js worker handle to pass to `getDocument({ worker })`. */
  pdfWorker: PdfWorker;
  /** Rejects (with a `ConversionError`) when the thread dies; never resolves. */
  failure: Promise<never>;
  /** Keep the process alive while a document waits on the thread; `release` when the document is done. */
  hold(): void;
  release(): void;
  /** Ask the thread for a full collection (after a long document is destroyed: see collect-garbage.ts). */
  collect(): void;
}

// The thread runs from the same tree as this module: `.ts` from source (type stripping, jest), `.js` from dist/.
const threadUrl = new URL(import.meta.url.endsWith('.ts') ? './pdfjs-thread.ts' : './pdfjs-thread.js', import.meta.url);

/** What the thread gets in `workerData`. */
export interface ParserThreadData {
  /** pdf.js's end of the channel. */
  port: MessagePort;
  /** This process's compile cache directory (`module.getCompileCacheDir()`), when it has one. */
  compileCacheDir?: string;
}

let current: ParserThread | undefined;
/** A thread started ahead of pdf.js's API (`startParserThread`), not yet handed to pdf.js. */
let spawned: Spawned | undefined;

interface Spawned {
  worker: Worker;
  port: MessagePort;
  /** Rejects with a typed error when the thread dies, from its first moment (see `ParserThread.failure`). */
  failure: Promise<never>;
}

/**
 * Starts the parser thread now, if none is running or starting, without waiting for pdf.js's API: call it before
 * `loadPdfJs()` so both start-ups overlap. Idempotent; a runtime without worker threads just gets none (and
 * `parserThread` then returns undefined as before).
 */
export function startParserThread(): void {
  if (current || spawned) return;
  try {
    spawned = spawn();
  } catch {
    spawned = undefined;
  }
}

/** The running parser thread, started if there is none; undefined when threads cannot be started here. */
export function parserThread(pdfjs: PdfJs): ParserThread | undefined {
  if (current) return current;
  try {
    const thread = spawned ?? spawn();
    spawned = undefined;
    current = start(pdfjs, thread);
  } catch {
    current = undefined; // no worker threads (a restricted runtime): pdf.js's in-process worker does the work
  }
  return current;
}

function spawn(): Spawned {
  const { port1, port2 } = new MessageChannel();
  const compileCacheDir = nodeModule.getCompileCacheDir?.();
  const workerData: ParserThreadData = { port: port2, ...(compileCacheDir ? { compileCacheDir } : {}) };
  const worker = new Worker(threadUrl, {
    workerData,
    transferList: [port2],
    resourceLimits: {
      ...(resourceLimits.maxOldGenerationSizeMb
        ? { maxOldGenerationSizeMb: resourceLimits.maxOldGenerationSizeMb }
        : {}),
      ...(resourceLimits.maxYoungGenerationSizeMb
        ? { maxYoungGenerationSizeMb: resourceLimits.maxYoungGenerationSizeMb }
        : {}),
    },
  });
  // Idle until a document holds it: a thread started ahead must not keep the process alive either.
  worker.unref();
  port1.unref();
  let fail: (error: ConversionError) => void = () => undefined;
  const failure = new Promise<never>((_, reject) => (fail = reject));
  failure.catch(() => undefined); // observed by the documents that race against it
  const died = (error: ConversionError) => {
    if (spawned?.worker === worker) spawned = undefined;
    if (current?.failure === failure) current = undefined;
    fail(error);
    port1.close();
  };
  // Listened to from the start: a thread dying before pdf.js is handed it must not be an unhandled 'error'.
  worker.on('error', (error: Error & { code?: string }) =>
    died(
      error.code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? new ConversionError('too_large', 'the document needs more memory than the PDF parser is allowed')
        : new ConversionError('internal', `the PDF parser thread crashed: ${error.message}`),
    ),
  );
  worker.on('exit', (code) => died(new ConversionError('internal', `the PDF parser thread exited (code ${code})`)));
  return { worker, port: port1, failure };
}

function start(pdfjs: PdfJs, { worker, port, failure }: Spawned): ParserThread {
  const pdfWorker = new pdfjs.PDFWorker({ port: portAdapter(port) as never, verbosity: 0 });
  let holders = 0;
  const idle = () => {
    worker.unref();
    port.unref();
  };
  idle();
  return {
    pdfWorker,
    failure,
    hold() {
      if (holders++ === 0) {
        worker.ref();
        port.ref();
      }
    },
    release() {
      if (--holders === 0) idle();
    },
    collect() {
      worker.postMessage(COLLECT_MESSAGE);
    },
  };
}

type Listener = (event: { data: unknown }) => void;

/**
 * The port as pdf.js's message handlers see it (`postMessage`, `addEventListener` with an abort signal). Node
 * refs a MessagePort whenever a 'message' listener is added or removed, and pdf.js adds one per document: behind
 * this one listener of our own, the port's ref (whether it keeps the process alive) is ours to set.
 */
function portAdapter(port: MessagePort) {
  const listeners = new Set<Listener>();
  port.on('message', (data: unknown) => {
    for (const listener of [...listeners]) listener({ data });
  });
  return {
    postMessage(message: unknown, transfer?: Parameters<MessagePort['postMessage']>[1]) {
      port.postMessage(message, transfer);
    },
    addEventListener(_type: 'message', listener: Listener, options?: { signal?: AbortSignal }) {
      if (options?.signal?.aborted) return;
      listeners.add(listener);
      options?.signal?.addEventListener('abort', () => listeners.delete(listener), { once: true });
    },
    removeEventListener(_type: 'message', listener: Listener) {
      listeners.delete(listener);
    },
    terminate() {
      listeners.clear();
    },
  };
}
