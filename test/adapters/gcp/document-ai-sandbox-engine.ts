/**
 * A stand-in engine for the sandbox tests: reports which OCR engine the worker handed it, without any network.
 * Document AI refuses bytes that are not an image before calling anything, with a `DocumentAiOcrError`.
 */
import type { Ocr } from '../../../shared/service/ports.ts';

export async function convert(bytes: Uint8Array, _options: unknown, deps: { ocr?: Ocr }) {
  let markdown = 'no-ocr';
  if (deps.ocr) {
    try {
      await deps.ocr.recognize(new TextEncoder().encode('not an image'));
      markdown = 'recognized';
    } catch (error) {
      markdown = `${(error as Error).name}:${(error as { kind?: string }).kind ?? ''}`;
    }
  }
  return { format: 'text', mediaType: 'text/plain', markdown, warnings: [] };
}
