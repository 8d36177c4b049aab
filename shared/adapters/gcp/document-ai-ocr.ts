/**
 * OCR through a Document AI OCR processor (online `processDocument`), behind the same `Ocr` port as the local
 * tesseract adapter. Document AI answers with one `Document`: the full text once, and per page `lines`,
 * `tokens` and `paragraphs` whose layouts point into that text (text anchors) and onto the page (bounding
 * polygons, normalized 0..1 or in pixels). They are mapped to `OcrPage.lines[].words[]` in image pixels with
 * 0..100 confidences, the tesseract convention the layout engine (`formats/image/ocr-runs.ts`) reads.
 *
 * Quotas (about 600 online requests a minute) and short outages are normal: 429 / RESOURCE_EXHAUSTED,
 * 503 / UNAVAILABLE and DEADLINE_EXCEEDED are retried here with exponential backoff and jitter (the client's
 * own retry is switched off so the two do not multiply). Anything else, or the last failed attempt, is a
 * `DocumentAiOcrError` saying which kind of failure it was.
 */
import type { protos } from '@google-cloud/documentai';
import type { Ocr, OcrLine, OcrPage, OcrWord } from '../../service/ports.ts';
import { backoffDelay } from '../../service/backoff.ts';

type DocumentLike = protos.google.cloud.documentai.v1.IDocument;
type PageLike = protos.google.cloud.documentai.v1.Document.IPage;
type LayoutLike = protos.google.cloud.documentai.v1.Document.Page.ILayout;
type AnchorLike = protos.google.cloud.documentai.v1.Document.ITextAnchor;

/** What the adapter needs of `DocumentProcessorServiceClient` (a fake in unit tests, the real client otherwise). */
export interface DocumentAiClientLike {
  processDocument(
    request: protos.google.cloud.documentai.v1.IProcessRequest,
    options?: { retry?: null; timeout?: number },
  ): Promise<[protos.google.cloud.documentai.v1.IProcessResponse, ...unknown[]]>;
  close?(): Promise<void>;
}

/** `projects/<p>/locations/<l>/processors/<id>`, optionally `/processorVersions/<v>` (what Terraform's `id` is). */
export const PROCESSOR_NAME_PATTERN =
  /^projects\/[^/]+\/locations\/([a-z0-9-]+)\/processors\/[^/]+(?:\/processorVersions\/[^/]+)?$/;

export interface DocumentAiOcrOptions {
  client: DocumentAiClientLike;
  processorName: string;
  /** Calls per image, the first included. Default 5. */
  maxAttempts?: number;
  /** First backoff; doubles per retry up to `maxBackoffMs`. Defaults 1 s and 30 s. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Deadline of one call. Default 120 s. */
  timeoutMs?: number;
  /** Close the client with the adapter (default true). */
  ownsClient?: boolean;
}

export type DocumentAiOcrErrorKind = 'quota' | 'unavailable' | 'timeout' | 'invalid_input' | 'permission' | 'failed';

/** A Document AI call that did not produce a reading; `attempts` says how often it was tried. */
export class DocumentAiOcrError extends Error {
  readonly kind: DocumentAiOcrErrorKind;
  readonly attempts: number;
  /** The gRPC status code from the client, when there was one. */
  readonly grpcCode?: number;
  constructor(kind: DocumentAiOcrErrorKind, message: string, attempts: number, grpcCode?: number) {
    super(message);
    this.name = 'DocumentAiOcrError';
    this.kind = kind;
    this.attempts = attempts;
    if (grpcCode !== undefined) this.grpcCode = grpcCode;
  }

  /** Quota, outage and timeout clear up by themselves: the conversion is retried (see the `Ocr` port). */
  get transient(): boolean {
    return this.kind === 'quota' || this.kind === 'unavailable' || this.kind === 'timeout';
  }
}

// gRPC status codes (the REST transport maps HTTP statuses onto them).
const DEADLINE_EXCEEDED = 4;
const PERMISSION_DENIED = 7;
const RESOURCE_EXHAUSTED = 8;
const INVALID_ARGUMENT = 3;
const FAILED_PRECONDITION = 9;
const UNAVAILABLE = 14;
const UNAUTHENTICATED = 16;

export function createDocumentAiOcr(options: DocumentAiOcrOptions): Ocr {
  if (!PROCESSOR_NAME_PATTERN.test(options.processorName)) {
    throw new Error(
      `not a Document AI processor name: ${options.processorName} (projects/<p>/locations/<l>/processors/<id>)`,
    );
  }
  const maxAttempts = Math.max(1, Math.floor(options.maxAttempts ?? 5));
  const initialBackoffMs = options.initialBackoffMs ?? 1000;
  const maxBackoffMs = options.maxBackoffMs ?? 30_000;
  const timeoutMs = options.timeoutMs ?? 120_000;

  return {
    async recognize(image) {
      const mimeType = imageMimeType(image);
      if (!mimeType)
        throw new DocumentAiOcrError('invalid_input', 'the image is not PNG, JPEG, GIF, WebP, TIFF, BMP or PDF', 0);
      const request = {
        name: options.processorName,
        rawDocument: { content: Buffer.from(image.buffer, image.byteOffset, image.byteLength), mimeType },
        skipHumanReview: true,
      };
      for (let attempt = 1; ; attempt++) {
        try {
          const [response] = await options.client.processDocument(request, { retry: null, timeout: timeoutMs });
          return ocrPageFromDocument(response.document ?? {});
        } catch (error) {
          const typed = classify(error, attempt);
          if (!typed.transient || attempt >= maxAttempts) throw typed;
          await sleep(backoffDelay(attempt, { initialMs: initialBackoffMs, maxMs: maxBackoffMs, jitter: 'half' }));
        }
      }
    },
    async close() {
      if (options.ownsClient !== false) await options.client.close?.();
    },
  };
}

/**
 * The production client for a processor: the regional endpoint (`eu-documentai.googleapis.com` for an `eu`
 * processor; the global endpoint only serves `us`), credentials from Application Default Credentials.
 */
export async function createDocumentAiOcrForProcessor(processorName: string): Promise<Ocr> {
  const location = PROCESSOR_NAME_PATTERN.exec(processorName)?.[1];
  if (!location) throw new Error(`not a Document AI processor name: ${processorName}`);
  const { DocumentProcessorServiceClient } = await import('@google-cloud/documentai');
  const client = new DocumentProcessorServiceClient({ apiEndpoint: `${location}-documentai.googleapis.com` });
  return createDocumentAiOcr({ client: client as unknown as DocumentAiClientLike, processorName });
}

/** The first page of a Document AI document as an `OcrPage` (an image is one page). */
export function ocrPageFromDocument(document: DocumentLike): OcrPage {
  const text = document.text ?? '';
  const page: PageLike = document.pages?.[0] ?? {};
  const width = page.dimension?.width ?? 0;
  const height = page.dimension?.height ?? 0;
  const tokens = (page.tokens ?? [])
    .map((t) => ({ range: rangeOf(t.layout?.textAnchor), layout: t.layout ?? {} }))
    .sort((a, b) => a.range.start - b.range.start);

  const lines: OcrLine[] = [];
  const lineRanges: { start: number; end: number; index: number }[] = [];
  for (const line of page.lines ?? []) {
    const layout = line.layout ?? {};
    const range = rangeOf(layout.textAnchor);
    const lineText = collapse(textOf(layout.textAnchor, text));
    if (!lineText) continue;
    const bbox = boxOf(layout, width, height);
    const confidence = percent(layout.confidence);
    const words: OcrWord[] = tokens
      .filter((t) => t.range.start >= range.start && t.range.start < range.end)
      .map((t) => ({
        text: collapse(textOf(t.layout.textAnchor, text)),
        confidence: percent(t.layout.confidence),
        bbox: boxOf(t.layout, width, height),
      }))
      .filter((w) => w.text !== '');
    lineRanges.push({ ...range, index: lines.length });
    lines.push({
      text: lineText,
      confidence,
      bbox,
      words: words.length ? words : spreadWords(lineText, bbox, confidence),
    });
  }

  const wordConfidences = lines.flatMap((l) => l.words.map((w) => w.confidence));
  const confidence = wordConfidences.length
    ? wordConfidences.reduce((a, b) => a + b, 0) / wordConfidences.length
    : percent(page.layout?.confidence);
  return { text: pageText(page, lines, lineRanges), lines, confidence, width, height };
}

/** Lines joined by `\n`, paragraphs (when Document AI gave them) by a blank line. */
function pageText(page: PageLike, lines: OcrLine[], ranges: { start: number; end: number; index: number }[]): string {
  const paragraphs = (page.paragraphs ?? []).map((p) => rangeOf(p.layout?.textAnchor));
  if (!paragraphs.length) return lines.map((l) => l.text).join('\n');
  const groups: string[][] = [];
  let current = -1;
  for (const r of ranges) {
    const para = paragraphs.findIndex((p) => r.start >= p.start && r.start < p.end);
    if (para !== current || para === -1 || !groups.length) groups.push([]);
    current = para;
    groups[groups.length - 1]!.push(lines[r.index]!.text);
  }
  return groups.map((g) => g.join('\n')).join('\n\n');
}

function textOf(anchor: AnchorLike | null | undefined, text: string): string {
  if (!anchor) return '';
  if (anchor.textSegments?.length) {
    return anchor.textSegments.map((s) => text.slice(toIndex(s.startIndex), toIndex(s.endIndex))).join('');
  }
  return anchor.content ?? '';
}

/** Where an anchor starts and ends in the document text (an absent start index is 0 in proto3 JSON). */
function rangeOf(anchor: AnchorLike | null | undefined): { start: number; end: number } {
  const segments = anchor?.textSegments ?? [];
  if (!segments.length) return { start: 0, end: 0 };
  return { start: toIndex(segments[0]!.startIndex), end: toIndex(segments[segments.length - 1]!.endIndex) };
}

function toIndex(value: number | string | { toString(): string } | null | undefined): number {
  if (value === null || value === undefined) return 0;
  const n = typeof value === 'number' ? value : Number(value.toString());
  return Number.isFinite(n) && n >= 0 ? n : 0;
}

/** The axis-aligned box of a layout in pixels: normalized vertices scaled by the page size, else pixel vertices. */
function boxOf(layout: LayoutLike, width: number, height: number): OcrWord['bbox'] {
  const normalized = layout.boundingPoly?.normalizedVertices ?? [];
  const points = normalized.length
    ? normalized.map((v) => ({ x: (v.x ?? 0) * width, y: (v.y ?? 0) * height }))
    : (layout.boundingPoly?.vertices ?? []).map((v) => ({ x: v.x ?? 0, y: v.y ?? 0 }));
  if (!points.length) return { x0: 0, y0: 0, x1: 0, y1: 0 };
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  return { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) };
}

/** A line without tokens: its words share the line box by their length (a space counts as one character). */
function spreadWords(text: string, bbox: OcrWord['bbox'], confidence: number): OcrWord[] {
  const unit = (bbox.x1 - bbox.x0) / Math.max(1, text.length);
  let x = bbox.x0;
  return text.split(' ').map((w) => {
    const word = { text: w, confidence, bbox: { x0: x, y0: bbox.y0, x1: x + w.length * unit, y1: bbox.y1 } };
    x += (w.length + 1) * unit;
    return word;
  });
}

const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();
const percent = (c: number | null | undefined) => Math.max(0, Math.min(100, (c ?? 0) * 100));

function classify(error: unknown, attempts: number): DocumentAiOcrError {
  if (error instanceof DocumentAiOcrError) return error;
  const e = error as { code?: unknown; message?: unknown } | undefined;
  const code = typeof e?.code === 'number' ? e.code : undefined;
  const message = `Document AI OCR failed${attempts > 1 ? ` after ${attempts} attempts` : ''}: ${typeof e?.message === 'string' ? e.message : String(error)}`;
  switch (code) {
    case RESOURCE_EXHAUSTED:
    case 429:
      return new DocumentAiOcrError('quota', message, attempts, code);
    case UNAVAILABLE:
    case 503:
      return new DocumentAiOcrError('unavailable', message, attempts, code);
    case DEADLINE_EXCEEDED:
    case 504:
      return new DocumentAiOcrError('timeout', message, attempts, code);
    case INVALID_ARGUMENT:
    case FAILED_PRECONDITION:
    case 400:
      return new DocumentAiOcrError('invalid_input', message, attempts, code);
    case PERMISSION_DENIED:
    case UNAUTHENTICATED:
    case 401:
    case 403:
      return new DocumentAiOcrError('permission', message, attempts, code);
    default:
      return new DocumentAiOcrError('failed', message, attempts, code);
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The media type Document AI needs, from the magic bytes (never from a name). */
export function imageMimeType(bytes: Uint8Array): string | undefined {
  const at = (sig: number[], offset = 0) => sig.every((v, i) => bytes[offset + i] === v);
  if (at([0x89, 0x50, 0x4e, 0x47])) return 'image/png';
  if (at([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (at([0x47, 0x49, 0x46, 0x38])) return 'image/gif';
  if (at([0x52, 0x49, 0x46, 0x46]) && at([0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp';
  if (at([0x49, 0x49, 0x2a, 0x00]) || at([0x4d, 0x4d, 0x00, 0x2a])) return 'image/tiff';
  if (at([0x42, 0x4d])) return 'image/bmp';
  if (at([0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf';
  return undefined;
}

/** The sandbox's OCR factory entry point (`shared/adapters/ocr-factories.ts`): `{ processor }`. */
export function createOcr(options: Record<string, unknown>): Promise<Ocr> {
  return createDocumentAiOcrForProcessor(String(options.processor ?? ''));
}
