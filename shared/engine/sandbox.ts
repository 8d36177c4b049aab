/**
 * The engine under limits: each conversion runs in a worker thread with a V8 heap ceiling and a wall-clock
 * budget, so a hostile or pathological document costs one worker, never the process. Workers are pooled and
 * reused; one that times out, runs out of memory or crashes is thrown away and replaced on demand.
 *
 * This module is light on purpose (no engine import): the CLI and servers load it at start-up, and only the
 * workers load pdf.js, tesseract and the converters.
 */
import { Worker } from 'node:worker_threads';
import type { ConvertLimits, ConvertOptions, ConvertResult } from './types.ts';
import { ConversionError, conversionErrorFrom, type ConversionErrorCode } from './errors.ts';
import type { FromWorker, SandboxWorkerData, ToWorker } from './sandbox-worker.ts';
import type { OcrFactory } from './ocr.ts';

export interface SandboxLimits {
  /** Wall-clock budget per document, from the moment a ready worker receives it. Default 120 s. */
  timeoutMs?: number;
  /** V8 old-generation heap ceiling per worker. Default 1024 MB. */
  maxMemoryMb?: number;
  /** V8 young-generation ceiling per worker. Default 64 MB. */
  maxYoungMemoryMb?: number;
  /** Stack size per worker. Default 4 MB (Node's own default). */
  stackSizeMb?: number;
}

export interface ConverterPoolOptions extends SandboxLimits {
  /** Workers converting at once. Default 1. */
  size?: number;
  /**
   * The OCR engine the workers build on their first image or PDF (`shared/adapters/ocr-factories.ts` makes
   * these); absent or `false`: no OCR, pages without text get `needs_ocr`.
   */
  ocr?: OcrFactory | false;
  /** Engine limits (ZIP inflation, pages, cells) passed to every conversion. */
  limits?: Partial<ConvertLimits>;
  /** A module (URL or absolute path) exporting `convert(bytes, options, deps)` to run instead of the engine: tests and tools. */
  engineModule?: string | URL;
}

export interface JobOptions {
  /** Budget for this document only, overriding the pool's. */
  timeoutMs?: number;
  /**
   * Move the bytes to the worker instead of copying them (default true). Only done when the array spans its
   * whole buffer, so pooled Node Buffers are copied; a transferred array is detached (length 0) afterwards.
   */
  transfer?: boolean;
}

export interface ConverterPool {
  convert(bytes: Uint8Array, options?: ConvertOptions, job?: JobOptions): Promise<ConvertResult>;
  /** Finish nothing new: pending jobs are rejected, workers shut down. */
  close(): Promise<void>;
}

export const DEFAULT_TIMEOUT_MS = 120_000;
export const DEFAULT_MAX_MEMORY_MB = 1024;

// The worker runs from the same tree as this module: `.ts` from source (Node's type stripping, jest), `.js` from dist/.
const workerUrl = new URL(
  import.meta.url.endsWith('.ts') ? './sandbox-worker.ts' : './sandbox-worker.js',
  import.meta.url,
);

interface Job {
  id: number;
  bytes: Uint8Array;
  options: ConvertOptions;
  timeoutMs: number;
  transfer: boolean;
  resolve(result: ConvertResult): void;
  reject(error: ConversionError): void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  job?: Job;
  timer?: NodeJS.Timeout;
  /** Set once the worker is being discarded, so its late events are ignored. */
  dead: boolean;
}

export function createConverterPool(options: ConverterPoolOptions = {}): ConverterPool {
  const size = Math.max(1, Math.floor(options.size ?? 1));
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxMemoryMb = options.maxMemoryMb ?? DEFAULT_MAX_MEMORY_MB;
  const workerData: SandboxWorkerData = {
    ...(options.ocr ? { ocr: { ...options.ocr, module: toModuleUrl(options.ocr.module) } } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.engineModule ? { engineModule: toModuleUrl(options.engineModule) } : {}),
  };
  const slots = new Set<Slot>();
  const queue: Job[] = [];
  let nextId = 1;
  let closed = false;

  function spawn(): Slot {
    const worker = new Worker(workerUrl, {
      workerData,
      resourceLimits: {
        maxOldGenerationSizeMb: maxMemoryMb,
        maxYoungGenerationSizeMb: options.maxYoungMemoryMb ?? 64,
        stackSizeMb: options.stackSizeMb ?? 4,
      },
      // The worker's stdout/stderr are the CLI's: keep library chatter (pdf.js, tesseract) out of them.
      stdout: true,
      stderr: true,
    });
    worker.stdout.resume();
    worker.stderr.resume();
    const slot: Slot = { worker, ready: false, dead: false };
    slots.add(slot);
    worker.on('message', (message: FromWorker) => onMessage(slot, message));
    worker.on('error', (error: Error & { code?: string }) => {
      if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        discard(
          slot,
          new ConversionError('too_large', `the document needs more than the ${maxMemoryMb} MB memory ceiling`),
        );
      } else {
        discard(slot, new ConversionError('internal', `conversion worker crashed: ${error.message}`));
      }
    });
    worker.on('exit', (code) =>
      discard(slot, new ConversionError('internal', `conversion worker exited unexpectedly (code ${code})`)),
    );
    return slot;
  }

  function onMessage(slot: Slot, message: FromWorker): void {
    if (slot.dead) return;
    if (message.type === 'ready') {
      slot.ready = true;
      if (slot.job) start(slot, slot.job);
      else slot.worker.unref();
      pump();
      return;
    }
    const job = slot.job;
    if (!job || job.id !== message.id) return;
    clearTimeout(slot.timer);
    slot.job = undefined;
    slot.worker.unref();
    if (message.type === 'result') job.resolve(message.result);
    else job.reject(conversionErrorFrom(message.error as { code: ConversionErrorCode; message: string }));
    pump();
  }

  /** Hand the job to a ready worker and start its clock. */
  function start(slot: Slot, job: Job): void {
    slot.worker.ref();
    slot.timer = setTimeout(() => {
      discard(slot, new ConversionError('timeout', `conversion did not finish within ${formatSeconds(job.timeoutMs)}`));
    }, job.timeoutMs);
    const message: ToWorker = { type: 'job', id: job.id, bytes: job.bytes, options: job.options };
    // A realm-neutral check: arrays made in another context (jest's vm) are not `instanceof` this ArrayBuffer.
    const whole =
      job.transfer &&
      job.bytes.byteOffset === 0 &&
      job.bytes.byteLength === job.bytes.buffer.byteLength &&
      Object.prototype.toString.call(job.bytes.buffer) === '[object ArrayBuffer]';
    slot.worker.postMessage(message, whole ? [job.bytes.buffer as ArrayBuffer] : []);
  }

  /** Throw a worker away (timeout, OOM, crash); its job, if any, fails with `error`. */
  function discard(slot: Slot, error: ConversionError): void {
    if (slot.dead) return;
    slot.dead = true;
    clearTimeout(slot.timer);
    slots.delete(slot);
    const job = slot.job;
    slot.job = undefined;
    void slot.worker.terminate().catch(() => undefined);
    job?.reject(error);
    pump();
  }

  /** Give queued jobs to idle workers, spawning up to `size`. */
  function pump(): void {
    if (closed) return;
    while (queue.length > 0) {
      // A worker still starting already holds the job it was spawned for.
      let slot = [...slots].find((s) => s.ready && !s.job);
      if (!slot) {
        if (slots.size >= size) return;
        slot = spawn();
      }
      const job = queue.shift()!;
      slot.job = job;
      if (slot.ready) start(slot, job);
    }
  }

  return {
    convert(bytes, convertOptions = {}, job = {}) {
      if (closed) return Promise.reject(new ConversionError('internal', 'the converter pool is closed'));
      return new Promise<ConvertResult>((resolve, reject) => {
        queue.push({
          id: nextId++,
          bytes,
          options: convertOptions,
          timeoutMs: job.timeoutMs ?? timeoutMs,
          transfer: job.transfer ?? true,
          resolve,
          reject,
        });
        pump();
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const job of queue.splice(0)) job.reject(new ConversionError('internal', 'the converter pool was closed'));
      await Promise.all(
        [...slots].map(async (slot) => {
          slot.dead = true;
          clearTimeout(slot.timer);
          slot.job?.reject(new ConversionError('internal', 'the converter pool was closed'));
          slot.job = undefined;
          slots.delete(slot);
          await closeWorker(slot.worker);
        }),
      );
    },
  };
}

/** Convert one document in a fresh worker under limits, then shut the worker down. */
export async function convertInSandbox(
  bytes: Uint8Array,
  options: ConvertOptions = {},
  limits: SandboxLimits & Pick<ConverterPoolOptions, 'ocr' | 'limits' | 'engineModule'> = {},
): Promise<ConvertResult> {
  const pool = createConverterPool({ ...limits, size: 1 });
  try {
    return await pool.convert(bytes, options);
  } finally {
    await pool.close();
  }
}

/** Ask for a clean exit (the worker closes its OCR engine), then force it after a grace period. */
async function closeWorker(worker: Worker): Promise<void> {
  if (worker.threadId === -1) return; // already exited
  worker.ref(); // idle workers are unref'd; keep the process alive until this one has really gone
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  try {
    worker.postMessage({ type: 'close' } satisfies ToWorker);
  } catch {
    /* already gone */
  }
  const grace = setTimeout(() => void worker.terminate().catch(() => undefined), 2000);
  grace.unref();
  await exited;
  clearTimeout(grace);
}

function toModuleUrl(module: string | URL): string {
  if (module instanceof URL) return module.href;
  return /^[a-z][a-z0-9+.-]*:/i.test(module)
    ? module
    : new URL(`file://${module.startsWith('/') ? '' : '/'}${module}`).href;
}

function formatSeconds(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
