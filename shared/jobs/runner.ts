/**
 * How the worker turns bytes into a result. One function type so the in-process engine can be swapped
 * for the worker-thread sandbox (`shared/convert/sandbox.ts`) by changing `defaultRunner` only.
 */
import { convert } from '../convert/engine.ts';
import { ConversionError } from '../convert/errors.ts';
import type { ConvertResult } from '../convert/types.ts';

export type ConversionRunner = (bytes: Uint8Array, input: { fileName?: string; timeoutMs: number }) => Promise<ConvertResult>;

/**
 * In process, with a time budget. A timed-out conversion keeps running until it yields (no isolation):
 * the sandbox fixes that by terminating its worker thread.
 */
export const inProcessRunner: ConversionRunner = async (bytes, { fileName, timeoutMs }) => {
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

export const defaultRunner: ConversionRunner = inProcessRunner;
