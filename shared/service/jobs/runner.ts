/**
 * How the worker turns bytes into a result. One function type so tests can inject a runner, and the
 * production one runs the engine in the worker-thread sandbox (heap ceiling, wall-clock budget, a
 * crashed or runaway conversion costs one thread, never the function instance).
 */
import { ConversionError } from '../../engine/errors.ts';
import { createConverterPool, type ConverterPoolOptions } from '../../engine/sandbox.ts';
import type { ConvertOptions, ConvertResult } from '../../engine/types.ts';
import type { JobConvertOptions } from '../ports.ts';
import type { OcrFactory } from '../../engine/ocr.ts';
import type { Config } from '../config.ts';

export type ConversionRunner = (
  bytes: Uint8Array,
  input: { fileName?: string; timeoutMs: number; options?: JobConvertOptions },
) => Promise<ConvertResult>;

/**
 * Pages (PDF) or slides (PPTX) of an upload, counted in the sandbox within `timeoutMs` (stopped, not
 * abandoned, past it); undefined for formats without pages. Rejects when the document cannot be counted
 * (unreadable, over the budget or the memory ceiling): the caller falls back to the size rule.
 */
export type PageCounter = (
  bytes: Uint8Array,
  format: string,
  input: { timeoutMs: number },
) => Promise<number | undefined>;

export interface SandboxRunner {
  runner: ConversionRunner;
  countPages: PageCounter;
  /** Start the converters and the page counter now rather than on first use (`ConverterPool.warm`). */
  warm(): void;
  close(): Promise<void>;
}

/**
 * Pool settings from configuration (thread count, heap ceiling, time budget) and the OCR engine the
 * composition root chose (`ocrFactoryFromConfig` in `shared/adapters/ocr-factories.ts`).
 */
export function sandboxOptionsFrom(config: Config, ocr: OcrFactory | false): ConverterPoolOptions {
  return {
    size: config.convert.workers,
    maxMemoryMb: config.convert.maxMemoryMb,
    maxRssMb: config.convert.maxRssMb,
    isolation: config.convert.isolation,
    timeoutMs: config.convertTimeoutMs,
    ocr,
    limits: config.convert.limits,
  };
}

/**
 * The production runner: a pool of sandboxed converters, created on first use, and one more converter for
 * page counts (same limits, its own pool: a count must not wait behind a conversion of several minutes).
 */
export function createSandboxRunner(options: ConverterPoolOptions = {}): SandboxRunner {
  let pool: ReturnType<typeof createConverterPool> | undefined;
  let counter: ReturnType<typeof createConverterPool> | undefined;
  return {
    runner: (bytes, { fileName, timeoutMs, options: jobOptions }) => {
      pool ??= createConverterPool(options);
      // The pool may move the bytes to its thread; give it a private copy so the caller's stay intact.
      return pool.convert(new Uint8Array(bytes), convertOptionsOf(fileName, jobOptions), { timeoutMs });
    },
    countPages: (bytes, format, { timeoutMs }) => {
      counter ??= createConverterPool({ ...options, size: 1 });
      return counter.countPages(new Uint8Array(bytes), format, { timeoutMs });
    },
    warm: () => {
      pool ??= createConverterPool(options);
      counter ??= createConverterPool({ ...options, size: 1 });
      pool.warm();
      counter.warm();
    },
    close: async () => {
      await Promise.all([pool?.close(), counter?.close()]);
      pool = undefined;
      counter = undefined;
    },
  };
}

/**
 * In process, with a time budget but no isolation (a timed-out conversion keeps running until it
 * yields). For tests and tools that must not start threads. The engine is imported on first use so a
 * server using the sandbox never loads pdf.js and the converters on its main thread.
 */
export const inProcessRunner: ConversionRunner = async (bytes, { fileName, timeoutMs, options }) => {
  const { convert } = await import('../../engine/engine.ts');
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ConversionError('timeout', `conversion exceeded ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([convert(bytes, convertOptionsOf(fileName, options)), timeout]);
  } finally {
    clearTimeout(timer);
  }
};

/** The engine's options for a job: its file name (a hint for titles and CSV vs TSV) and the caller's options. */
function convertOptionsOf(fileName: string | undefined, options: JobConvertOptions | undefined): ConvertOptions {
  return { ...(options ?? {}), ...(fileName ? { fileName } : {}) };
}
