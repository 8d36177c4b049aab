import type { Root } from 'mdast';
import type { Ocr } from './ocr.ts';

/** Every format the engine knows. Detection from content maps bytes to one of these. */
export type Format =
  'pdf' | 'docx' | 'pptx' | 'xlsx' | 'xls' | 'html' | 'csv' | 'epub' | 'image' | 'text' | 'markdown' | 'json';

/** What detection learned about the bytes before any converter runs. */
export interface DetectedInput {
  format: Format;
  /** Best-known media type, e.g. `application/pdf`, `image/png`. */
  mediaType: string;
  /** For `csv`: the delimiter guessed from the content. */
  delimiter?: string;
}

export interface ConvertOptions {
  /** Emit `<!-- page N -->` markers before each page (PDF pages, PPTX slides). */
  pageSeparators?: boolean;
  /** Password for encrypted PDFs. */
  password?: string;
  /** 1-based inclusive page range for paged formats. */
  pages?: { first: number; last: number };
  /** OCR pages / images. Default true when an OCR engine is available. */
  ocr?: boolean;
  /** Include images as `data:` URIs instead of placeholders. Default false: no base64 blobs. */
  embedImages?: boolean;
  /** Original file name, used only as a hint for the title and for CSV vs TSV, never for format detection. */
  fileName?: string;
  /** Keep DOCX headers/footers (default false: they are running furniture). */
  includeHeadersFooters?: boolean;
  /**
   * Charset of text input (CSV, TSV, plain text, HTML without a declared charset), as a WHATWG or iconv-lite
   * label (`shift_jis`, `windows-1251`, `gb18030`…): overrides detection. A BOM still wins.
   */
  charset?: string;
  /** Append DOCX/PPTX/XLSX comments as an appendix linked from where they anchor. Default false. */
  comments?: boolean;
  /** DOCX tracked changes: `accept` (default) shows the document as if accepted; `show` marks insertions and deletions. */
  trackedChanges?: 'accept' | 'show';
  /** OCR languages (tesseract codes such as `eng`, `deu`, `jpn`); each needs its language data installed. */
  ocrLanguages?: string[];
}

export type WarningCode =
  | 'needs_ocr'
  | 'ocr_failed'
  | 'garbled_text'
  | 'table_dropped'
  | 'page_failed'
  | 'part_unreadable'
  | 'image_omitted'
  | 'truncated'
  | 'encoding_guessed'
  | 'unsupported_content'
  /** A page lost more than a small share of its text on the way to the Markdown (see `PageCompleteness`). */
  | 'content_dropped'
  /** A page's Markdown repeats text its source does not repeat (see `PageCompleteness`). */
  | 'content_repeated'
  /**
   * OCR's script detection found a script on the page (Cyrillic, Han, Arabic…) that none of the OCR languages
   * in use reads (`ocr-scripts.ts`): the page's text is likely wrong; the message names the script.
   */
  | 'uncovered_script'
  /** Set by the pipeline's optional LLM tidy-up, never by a converter. */
  | 'llm_rejected'
  | 'llm_failed';

export interface ConversionWarning {
  code: WarningCode;
  message: string;
  /** 1-based page (or slide) the warning is about, when it applies. */
  page?: number;
}

/** Limits every converter must respect. */
export interface ConvertLimits {
  /** Total bytes a ZIP container may inflate to. */
  maxInflatedBytes: number;
  /** Bytes a single ZIP entry may inflate to. */
  maxEntryBytes: number;
  /** Pages a paged document may have before it is refused. */
  maxPages: number;
  /** Cells a spreadsheet may emit before the rest is cut with a warning. */
  maxCells: number;
  /**
   * Decoded pixels (width × height, read from the image header before decoding: `image-header.ts`) one image
   * may have. A standalone image over it is `too_large`; an image inside a document rendered for OCR is left
   * out with an `image_omitted` warning.
   */
  maxImagePixels: number;
  /**
   * Absolute cap on the result's Markdown, bytes (UTF-8). Over it the conversion fails `too_large`: a result
   * that large is a decompression bomb's output, not a document anyone reads (see `result-cap.ts`).
   */
  maxResultBytes: number;
  /**
   * Cap on the result's Markdown relative to the input: at most this many times the input's size (never less
   * than `RESULT_FLOOR_BYTES`, so small inputs are not held to a tiny cap). Over it: `too_large`.
   */
  maxResultRatio: number;
}

export const DEFAULT_LIMITS: ConvertLimits = {
  maxInflatedBytes: 512 * 1024 * 1024,
  maxEntryBytes: 256 * 1024 * 1024,
  maxPages: 5000,
  maxCells: 2_000_000,
  maxImagePixels: 50_000_000,
  maxResultBytes: 64 * 1024 * 1024,
  maxResultRatio: 100,
};

/** Handed to a converter: options, the OCR engine if any, and a sink for warnings. */
export interface ConvertContext {
  options: ConvertOptions;
  limits: ConvertLimits;
  ocr?: Ocr;
  warn(warning: ConversionWarning): void;
  /**
   * Bytes of Markdown this document may produce (`resultBudget` in `result-cap.ts`, from the input's size and
   * the limits). Readers may stop early once the text they have read alone is over it. Absent: no early stop.
   */
  resultBudget?: number;
}

/**
 * What a converter produces: one mdast tree. Paged formats put a `pageBreak` node before the content of
 * each page (including the first) so provenance survives into the result.
 */
export interface DocumentTree {
  root: Root;
  title?: string;
  pageCount?: number;
  /** Pages that were read through OCR (1-based). */
  ocrPages?: number[];
  /** Per page, the source text and what was removed on purpose: input of the completeness check. */
  pageSources?: PageSource[];
}

export interface ConvertInput {
  bytes: Uint8Array;
  detected: DetectedInput;
}

/** One converter per format family, registered in `registry.ts` (the markitdown shape). */
export interface Converter {
  readonly name: string;
  accepts(input: DetectedInput): boolean;
  convert(input: ConvertInput, ctx: ConvertContext): Promise<DocumentTree>;
}

/** What a converter hands over per page for the completeness check (`completeness.ts`). */
export interface PageSource {
  page: number;
  /** The page's source text as read (text layer or OCR), before any removal. */
  text: string;
  /**
   * Lines removed on purpose: running headers/footers, page numbers, margin line numbers, repeated table headers,
   * sideways stamps.
   */
  furnitureLines: string[];
  /**
   * Characters of glyphs drawn twice at (almost) the same spot ("fake bold") whose copies were read once on
   * purpose: part of `text`, never reached the Markdown by design, so they are no loss.
   */
  overprintCopies?: string;
  /** The script OCR's script detection found on the page (`PageResult.script`). */
  script?: string;
}

/**
 * How complete one page's Markdown is against its source (PDF text layer or OCR text), from
 * `completeness.ts`. Counts are characters after normalising both sides alike (NFKC, lower case, letters and
 * digits only: whitespace, punctuation and Markdown syntax do not count).
 */
export interface PageCompleteness {
  /** Characters in the page's source text (text layer, or OCR text), as read. */
  textLayerChars: number;
  /** Characters in the page's Markdown. */
  outputChars: number;
  /** Characters removed on purpose as furniture (part of `textLayerChars`). */
  furnitureChars: number;
  /**
   * The removed lines: running headers and footers, page numbers, margin line numbers, repeated table headers,
   * sideways stamps.
   */
  furnitureLines: string[];
  /**
   * Characters of overprinted glyph copies ("fake bold": each glyph drawn twice) read once on purpose (part of
   * `textLayerChars`, no loss); present only on pages that have them.
   */
  overprintChars?: number;
  /**
   * Source characters (furniture aside) found in neither this page's Markdown nor the surplus of the page before
   * (where a continued table is joined). Over 5% of the page's non-furniture characters (and at least 10):
   * `content_dropped`.
   */
  missingChars: number;
  /**
   * Share (0..1) of the Markdown's word 8-grams that are copies beyond what the source of this page and its
   * neighbours holds. Over 0.1 (and at least 3 copies): `content_repeated`.
   */
  repeatedShare: number;
}

export interface PageResult {
  page: number;
  markdown: string;
  /** For pages with a known source text (PDF pages, images). */
  completeness?: PageCompleteness;
  /**
   * The page's script as OCR's orientation and script detection named it (`Latin`, `Cyrillic`, `Han`…), for an
   * OCR'd page whose first reading was doubtful, when the engine has that detection and was sure.
   */
  script?: string;
}

export interface ConvertResult {
  format: Format;
  mediaType: string;
  markdown: string;
  title?: string;
  pageCount?: number;
  /** Per-page Markdown, for paged formats. */
  pages?: PageResult[];
  ocrPages?: number[];
  warnings: ConversionWarning[];
}
