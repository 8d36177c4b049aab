/** Why a document could not be converted. Stable strings: the CLI, the API and the docs use them. */
export type ConversionErrorCode =
  'unsupported_format' | 'corrupt' | 'encrypted' | 'too_large' | 'timeout' | 'empty' | 'internal';

export class ConversionError extends Error {
  readonly code: ConversionErrorCode;
  /** True when trying again may succeed (only `internal` failures). */
  readonly transient: boolean;

  constructor(code: ConversionErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConversionError';
    this.code = code;
    this.transient = code === 'internal';
  }
}

export const unsupported = (message: string) => new ConversionError('unsupported_format', message);
export const corrupt = (message: string, cause?: unknown) => new ConversionError('corrupt', message, { cause });
export const encrypted = (message: string) => new ConversionError('encrypted', message);
export const tooLarge = (message: string) => new ConversionError('too_large', message);

/** Wrap anything a parser threw into a typed error; typed errors pass through untouched. */
export function asConversionError(error: unknown, fallback: 'corrupt' | 'internal' = 'corrupt'): ConversionError {
  if (error instanceof ConversionError) return error;
  if (error instanceof RangeError && /memory|allocation|Invalid (array|string) length/i.test(error.message)) {
    return new ConversionError('too_large', `document too large to process: ${error.message}`, { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ConversionError(fallback, message || 'conversion failed', { cause: error });
}

/** Recreate a typed error from its plain form (across a worker-thread boundary). */
export function conversionErrorFrom(plain: { code: ConversionErrorCode; message: string }): ConversionError {
  return new ConversionError(plain.code, plain.message);
}

/**
 * An OCR failure is a warning (the rest of the document still converts) unless the engine says it is only
 * temporarily unavailable: then the whole conversion fails as retryable, so the job is tried again later
 * rather than ending as a success with no text.
 */
export function throwIfTransientOcrFailure(error: unknown): void {
  if ((error as { transient?: unknown } | null)?.transient === true) {
    throw new ConversionError(
      'internal',
      `OCR is temporarily unavailable: ${(error as Error).message ?? String(error)}`,
      { cause: error },
    );
  }
}
