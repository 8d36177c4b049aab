/**
 * The interfaces domain code talks to. GCP adapters implement them for production, local adapters for the
 * embedded default. Converters see only `Ocr`.
 */

export interface OcrWord {
  text: string;
  confidence: number;
  bbox: { x0: number; y0: number; x1: number; y1: number };
}

export interface OcrLine {
  text: string;
  confidence: number;
  bbox: { x0: number; y0: number; x1: number; y1: number };
  words: OcrWord[];
}

export interface OcrPage {
  /** Plain text, lines separated by `\n`, paragraphs by a blank line. */
  text: string;
  lines: OcrLine[];
  /** Mean confidence 0..100. */
  confidence: number;
  width: number;
  height: number;
}

export interface Ocr {
  /** Recognize text in an encoded image (PNG, JPEG, WebP, BMP, TIFF, GIF). */
  recognize(image: Uint8Array, options?: { languages?: string[] }): Promise<OcrPage>;
  close?(): Promise<void>;
}
