/**
 * How the worker turns bytes into a result. One function type so tests can inject a runner, and the
 * production one runs the engine in the worker-thread sandbox (heap ceiling, wall-clock budget, a
 * crashed or runaway conversion costs one thread, never the function instance).
 */
import { ConversionError } from '../../engine/errors.ts';
import { createConverterPool, type ConverterPoolOptions } from '../../engine/sandbox.ts';
import type { ConvertResult } from '../../engine/types.ts';
import type { OcrFactory } from '../../engine/ocr.ts';
import type { Config } from '../config.ts';

export type ConversionRunner = (
  bytes: Uint8Array,
  input: { fileName?: string; timeoutMs: number },
) => Promise<ConvertResult>;

export interface SandboxRunner {
  runner: ConversionRunner;
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
  };
}

/** The production runner: a pool of sandboxed converter threads, created on first use. */
export function createSandboxRunner(options: ConverterPoolOptions = {}): SandboxRunner {
  let pool: ReturnType<typeof createConverterPool> | undefined;
  return {
    runner: (bytes, { fileName, timeoutMs }) => {
      pool ??= createConverterPool(options);
      // The pool may move the bytes to its thread; give it a private copy so the caller's stay intact.
      return pool.convert(new Uint8Array(bytes), fileName ? { fileName } : {}, { timeoutMs });
    },
    close: async () => {
      await pool?.close();
      pool = undefined;
    },
  };
}

/**
 * In process, with a time budget but no isolation (a timed-out conversion keeps running until it
 * yields). For tests and tools that must not start threads. The engine is imported on first use so a
 * server using the sandbox never loads pdf.js and the converters on its main thread.
 */
export const inProcessRunner: ConversionRunner = async (bytes, { fileName, timeoutMs }) => {
  const { convert } = await import('../../engine/engine.ts');
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ConversionError('timeout', `conversion exceeded ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([convert(bytes, fileName ? { fileName } : {}), timeout]);
  } finally {
    clearTimeout(timer);
  }
};
