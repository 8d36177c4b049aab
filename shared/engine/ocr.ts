/**
 * The engine's one port: optical character recognition. The engine never chooses or imports an OCR adapter;
 * whoever builds the converter pool names one with an `OcrFactory`.
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
  /**
   * Recognize text in an encoded image (PNG, JPEG, WebP, BMP, TIFF, GIF). An engine that is only
   * temporarily unable to answer (quota, outage, timeout) throws an error with `transient: true`: the
   * conversion then fails as retryable instead of finishing with an `ocr_failed` warning and no text.
   */
  recognize(image: Uint8Array, options?: { languages?: string[] }): Promise<OcrPage>;
  /**
   * Orientation and script detection (OSD) of an encoded page image, without reading its text. Optional: an
   * engine without it (Document AI, which turns pages itself) leaves the reader to the ink profiles
   * (`formats/image/orientation.ts`). Each field of the answer is present only when the engine's own acceptance
   * rule holds (the adapter documents it); an image with too little text gives `{}`. Errors as `recognize`.
   */
  detect?(image: Uint8Array): Promise<OcrDetection>;
  /** The languages `recognize` reads when a call names none (tesseract codes), when the engine can tell. */
  readonly languages?: readonly string[];
  close?(): Promise<void>;
  /**
   * How many recognitions the engine runs at once (for tesseract: its worker count). A reader of many pages
   * keeps up to this many in flight (PDF scans: `formats/pdf/index.ts`). Absent: 1, one page at a time.
   */
  readonly concurrency?: number;
}

/** What orientation and script detection found on a page image (`Ocr.detect`). */
export interface OcrDetection {
  orientation?: {
    /** Clockwise turn (0, 90, 180, 270) that sets the text upright. */
    degrees: number;
    /** The engine's certainty, in its own units (tesseract: the margin of the best orientation's score). */
    confidence: number;
  };
  script?: {
    /**
     * The writing system as the engine names it (tesseract: `Latin`, `Cyrillic`, `Greek`, `Arabic`, `Hebrew`,
     * `Han`, `Japanese`, `Korean`, `Devanagari`, `Thai`…: `ocr-scripts.ts`).
     */
    name: string;
    /** The engine's certainty, in its own units. */
    confidence: number;
  };
}

/**
 * How a sandbox worker thread builds its OCR engine. Functions cannot cross into a worker thread, so the
 * factory is a module (URL or absolute path) that exports `createOcr(options)`, plus structured-cloneable
 * options. Built by the adapters (`shared/adapters/ocr-factories.ts`), loaded by the worker on the first
 * image or PDF.
 */
export interface OcrFactory {
  /** URL (`file:`) or absolute path of a module exporting `createOcr(options): Ocr | Promise<Ocr>`. */
  module: string;
  /** Passed to `createOcr`; must survive structured cloning. */
  options?: Record<string, unknown>;
  /**
   * The caller asked for this engine explicitly: a failed set-up fails the job (and is retried on the next one)
   * instead of converting without OCR.
   */
  required?: boolean;
}

/** What an OCR factory module exports. */
export type CreateOcr = (options: Record<string, unknown>) => Ocr | Promise<Ocr>;

/**
 * The OCR engine has no data for some requested languages (for tesseract: the `@tesseract.js-data/<code>` npm
 * package is not installed). Not transient: asking again will not help. The engine reports it per page as an
 * `ocr_failed` warning whose message names the languages.
 */
export class OcrLanguageUnavailable extends Error {
  readonly code = 'ocr_language_unavailable';
  /** The requested language codes that have no data. */
  readonly languages: string[];
  /** The language codes that are installed, when the engine can tell. */
  readonly installed: string[];

  constructor(languages: string[], installed: string[] = [], detail = '') {
    super(
      `OCR language data not installed for ${languages.map((l) => `"${l}"`).join(', ')}` +
        (detail ? ` (${detail})` : '') +
        (installed.length ? `; installed: ${installed.join(', ')}` : ''),
    );
    this.name = 'OcrLanguageUnavailable';
    this.languages = languages;
    this.installed = installed;
  }
}
