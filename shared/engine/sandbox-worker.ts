/**
 * The sandboxed side of `sandbox.ts`, run as a worker thread or as a child process (`sandbox-hosts.ts`): loads
 * the engine once, then converts one job at a time. Everything heavy (pdf.js, tesseract) lives only here,
 * never in the thread that owns the pool.
 *
 * Protocol (structured-cloned messages):
 *   worker → parent  { type: 'ready' } once the engine is loaded
 *   parent → worker  { type: 'job', id, bytes, options }
 *   worker → parent  { type: 'result', id, result } | { type: 'error', id, error: { code, message } }
 *   parent → worker  { type: 'count', id, bytes, format }: pages/slides of a PDF/PPTX, nothing converted
 *   worker → parent  { type: 'counted', id, pages } (null: a format without pages) | { type: 'error', … }
 *   parent → worker  { type: 'close' } to shut down cleanly (OCR engine closed first)
 */
import nodeModule from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import type { ConvertLimits, ConvertOptions, ConvertResult } from './types.ts';
import type { CreateOcr, Ocr, OcrFactory } from './ocr.ts';
import { asConversionError } from './errors.ts';
import { mayNeedOcr } from './ocr-candidates.ts';

export interface SandboxWorkerData {
  /** The OCR engine to build for images and PDFs that need it; absent = no OCR. */
  ocr?: OcrFactory;
  /** Overrides of the engine's default limits (ZIP inflation, pages, cells). */
  limits?: Partial<ConvertLimits>;
  /** A module exporting `convert(bytes, options, deps)` to run instead of the engine (tests and tools). */
  engineModule?: string;
  /**
   * The pool's V8 compile cache directory (`module.getCompileCacheDir()`), when its process enabled one: the
   * worker then reads the engine's compiled code from it instead of compiling ~170 modules again.
   */
  compileCacheDir?: string;
}

export type ToWorker =
  | { type: 'job'; id: number; bytes: Uint8Array; options: ConvertOptions }
  | { type: 'count'; id: number; bytes: Uint8Array; format: string }
  | { type: 'close' };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'result'; id: number; result: ConvertResult }
  | { type: 'counted'; id: number; pages: number | null }
  | { type: 'error'; id: number; error: { code: string; message: string } };

type EngineConvert = (
  bytes: Uint8Array,
  options: ConvertOptions,
  deps: { ocr?: Ocr; limits?: Partial<ConvertLimits> },
) => Promise<ConvertResult>;

/** The channel to the pool: the thread's port, or the child process's IPC channel. */
interface Channel {
  post(message: FromWorker): void;
  onMessage(listener: (message: ToWorker) => void): void;
  close(): void;
}

function openChannel(): { channel: Channel; data: SandboxWorkerData } {
  const port = parentPort;
  if (port) {
    return {
      channel: {
        post: (m) => port.postMessage(m),
        onMessage: (l) => port.on('message', l),
        close: () => port.close(),
      },
      data: workerData as SandboxWorkerData,
    };
  }
  const send = process.send?.bind(process);
  if (!send) throw new Error('sandbox-worker must run in a worker thread or a forked process');
  // A child whose pool went away (the server crashed) must not live on as an orphan.
  process.on('disconnect', () => process.exit(0));
  return {
    channel: {
      post: (m) => void send(m),
      onMessage: (l) => process.on('message', (m) => l(m as ToWorker)),
      close: () => process.disconnect?.(),
    },
    data: JSON.parse(process.env.MDRAFT_SANDBOX_DATA ?? '{}') as SandboxWorkerData,
  };
}

const { channel, data } = openChannel();

// Before the engine is imported, so its modules come from the cache. A worker thread does not inherit the
// parent's cache (it is per V8 isolate); a directory that cannot be used just leaves the cache off.
if (data.compileCacheDir) nodeModule.enableCompileCache?.(data.compileCacheDir);

// pdf.js rejects internal promises nobody awaits when a damaged file breaks a stream mid-parse; that
// must not kill the worker. The job's own promise still settles, or the pool's time budget ends it.
process.on('unhandledRejection', () => {});

/** The engine's page counter (`count-pages.ts`); an `engineModule` may bring its own (tests). */
type EngineCountPages = (bytes: Uint8Array, format: string) => Promise<number | undefined>;

const engine: { convert: EngineConvert; countPages?: EngineCountPages } = data.engineModule
  ? await import(data.engineModule)
  : await import('./engine.ts');

let ocr: Promise<Ocr | undefined> | undefined;

/**
 * OCR is built on the first image or PDF only, so workers start fast. An optional engine that fails to load
 * means no OCR (pages get `needs_ocr`); a `required` one fails the job, and is tried again on the next job.
 */
function loadOcr(factory: OcrFactory): Promise<Ocr | undefined> {
  ocr ??= (async () => {
    const mod = (await import(factory.module)) as { createOcr?: CreateOcr };
    if (typeof mod.createOcr !== 'function') throw new Error(`OCR module ${factory.module} does not export createOcr`);
    return mod.createOcr(factory.options ?? {});
  })();
  if (factory.required) {
    ocr.catch(() => {
      ocr = undefined;
    });
    return ocr;
  }
  return ocr.catch(() => undefined);
}

async function runJob(bytes: Uint8Array, options: ConvertOptions): Promise<ConvertResult> {
  const wantOcr = data.ocr !== undefined && options.ocr !== false && mayNeedOcr(bytes);
  const ocrEngine = wantOcr && data.ocr ? await loadOcr(data.ocr) : undefined;
  return engine.convert(bytes, options, {
    ...(ocrEngine ? { ocr: ocrEngine } : {}),
    ...(data.limits ? { limits: data.limits } : {}),
  });
}

channel.onMessage((message: ToWorker) => {
  if (message.type === 'close') {
    void (async () => {
      const loaded = ocr ? await ocr.catch(() => undefined) : undefined;
      await loaded?.close?.().catch(() => undefined);
      channel.close();
      process.exit(0);
    })();
    return;
  }
  const { id } = message;
  const failed = (error: unknown) => {
    const typed = asConversionError(error, 'internal');
    channel.post({ type: 'error', id, error: { code: typed.code, message: typed.message } });
  };
  if (message.type === 'count') {
    countPages(message.bytes, message.format).then(
      (pages) => channel.post({ type: 'counted', id, pages: pages ?? null }),
      failed,
    );
    return;
  }
  runJob(message.bytes, message.options).then((result) => channel.post({ type: 'result', id, result }), failed);
});

async function countPages(bytes: Uint8Array, format: string): Promise<number | undefined> {
  const count = engine.countPages ?? (await import('./count-pages.ts')).countPages;
  return count(bytes, format);
}

channel.post({ type: 'ready' });
