/**
 * The Document AI OCR adapter with the real @google-cloud/documentai client on its REST transport
 * (`fallback: true`), pointed at a loopback server that answers `:process` with a Document built here.
 */
import { DocumentProcessorServiceClient } from '@google-cloud/documentai';
import {
  createDocumentAiOcr,
  DocumentAiOcrError,
  type DocumentAiClientLike,
} from '../../../shared/adapters/gcp/document-ai-ocr.ts';
import { convert } from '../../../shared/engine/engine.ts';
import { startRecordingServer, type RecordingServer, type Reply } from './recording-server.ts';
import { STUB_ACCESS_TOKEN, stubAuthClient } from './stub-auth-client.ts';
import { pngHeader } from '../../fixtures/image-headers.ts';

const PROCESSOR = 'projects/mdraft-test/locations/eu/processors/0123456789abcdef';

interface CannedLine {
  /** Words with their pixel boxes on the page. */
  words: { text: string; x0: number; y0: number; x1: number; y1: number; confidence?: number }[];
  /** Starts a new paragraph. */
  paragraph?: boolean;
}

/**
 * A Document AI `Document` as the REST API sends it: the text once; lines, tokens and paragraphs pointing into
 * it by text anchors (int64 indexes as strings, a zero start index left out as proto3 JSON does) and onto the
 * page by normalized vertices.
 */
function cannedDocument(lines: CannedLine[], width: number, height: number) {
  let text = '';
  const tokens: unknown[] = [];
  const docLines: unknown[] = [];
  const paragraphs: { start: number; end: number }[] = [];
  const anchor = (start: number, end: number) => ({
    textSegments: [{ ...(start ? { startIndex: String(start) } : {}), endIndex: String(end) }],
  });
  const poly = (b: { x0: number; y0: number; x1: number; y1: number }) => ({
    normalizedVertices: [
      { x: b.x0 / width, y: b.y0 / height },
      { x: b.x1 / width, y: b.y0 / height },
      { x: b.x1 / width, y: b.y1 / height },
      { x: b.x0 / width, y: b.y1 / height },
    ],
  });
  for (const line of lines) {
    const lineStart = text.length;
    line.words.forEach((w, i) => {
      const start = text.length;
      text += w.text + (i < line.words.length - 1 ? ' ' : '\n');
      tokens.push({
        layout: {
          textAnchor: anchor(start, text.length),
          confidence: w.confidence ?? 0.98,
          boundingPoly: poly(w),
          orientation: 'PAGE_UP',
        },
      });
    });
    const box = {
      x0: Math.min(...line.words.map((w) => w.x0)),
      y0: Math.min(...line.words.map((w) => w.y0)),
      x1: Math.max(...line.words.map((w) => w.x1)),
      y1: Math.max(...line.words.map((w) => w.y1)),
    };
    docLines.push({
      layout: { textAnchor: anchor(lineStart, text.length), confidence: 0.97, boundingPoly: poly(box) },
    });
    if (line.paragraph || !paragraphs.length) paragraphs.push({ start: lineStart, end: text.length });
    else paragraphs[paragraphs.length - 1]!.end = text.length;
  }
  return {
    text,
    pages: [
      {
        pageNumber: 1,
        dimension: { width, height, unit: 'pixels' },
        layout: { textAnchor: anchor(0, text.length), confidence: 0.95 },
        paragraphs: paragraphs.map((p) => ({ layout: { textAnchor: anchor(p.start, p.end), confidence: 0.96 } })),
        lines: docLines,
        tokens,
      },
    ],
  };
}

/** A line of words laid left to right from x0, `w` pixels per character, 30 px tall at y0. */
function wordsAt(sentence: string, y0: number, x0 = 60, w = 14) {
  let x = x0;
  return sentence.split(' ').map((text) => {
    const word = { text, x0: x, y0, x1: x + text.length * w, y1: y0 + 30 };
    x += (text.length + 1) * w;
    return word;
  });
}

/** A PNG header (the engine reads the size before OCR); the recorded Document AI never decodes it. */
const PNG = pngHeader(1000, 1400);

describe('Document AI OCR against a loopback Document AI REST server', () => {
  let server: RecordingServer;
  let client: DocumentProcessorServiceClient;
  /** What the server answers next; each entry is used once, the last one repeats. */
  let replies: Reply[] = [];

  beforeAll(async () => {
    server = await startRecordingServer(() => (replies.length > 1 ? replies.shift()! : replies[0]!));
    client = new DocumentProcessorServiceClient({
      fallback: true,
      apiEndpoint: '127.0.0.1',
      port: server.port,
      protocol: 'http',
      authClient: stubAuthClient as never,
    });
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });
  beforeEach(() => {
    server.requests.length = 0;
  });

  const ocrOver = (maxAttempts = 3) =>
    createDocumentAiOcr({
      client: client as unknown as DocumentAiClientLike,
      processorName: PROCESSOR,
      maxAttempts,
      initialBackoffMs: 5,
      maxBackoffMs: 20,
      ownsClient: false,
    });

  test('sends the image as rawDocument to the processor and maps lines, words, boxes and confidences', async () => {
    const doc = cannedDocument(
      [
        {
          words: [
            { text: 'Invoice', x0: 100, y0: 50, x1: 240, y1: 80, confidence: 0.99 },
            { text: 'total', x0: 252, y0: 50, x1: 330, y1: 80, confidence: 0.5 },
          ],
        },
        { words: [{ text: '1,234.50', x0: 100, y0: 120, x1: 220, y1: 150 }], paragraph: true },
      ],
      1000,
      800,
    );
    replies = [{ status: 200, body: { document: doc } }];
    const page = await ocrOver().recognize(PNG);

    expect(server.requests).toHaveLength(1);
    const req = server.requests[0]!;
    expect(req.method).toBe('POST');
    expect(decodeURIComponent(req.url.split('?')[0]!)).toBe(`/v1/${PROCESSOR}:process`);
    expect(req.headers.authorization).toBe(`Bearer ${STUB_ACCESS_TOKEN}`);
    // The processor name travels in the URL path; the body carries the image.
    const sent = JSON.parse(req.body.toString('utf8')) as { rawDocument: { content: string; mimeType: string } };
    expect(sent.rawDocument.mimeType).toBe('image/png');
    expect(Buffer.from(sent.rawDocument.content, 'base64')).toEqual(Buffer.from(PNG));

    expect(page.width).toBe(1000);
    expect(page.height).toBe(800);
    expect(page.text).toBe('Invoice total\n\n1,234.50');
    expect(page.lines.map((l) => l.text)).toEqual(['Invoice total', '1,234.50']);
    const [first, second] = page.lines;
    expect(first!.words.map((w) => w.text)).toEqual(['Invoice', 'total']);
    expect(first!.words[0]!.bbox.x0).toBeCloseTo(100);
    expect(first!.words[0]!.bbox.y0).toBeCloseTo(50);
    expect(first!.words[0]!.bbox.x1).toBeCloseTo(240);
    expect(first!.words[0]!.bbox.y1).toBeCloseTo(80);
    expect(first!.words[1]!.bbox.x0).toBeCloseTo(252);
    expect(first!.bbox.x1).toBeCloseTo(330);
    expect(first!.words[0]!.confidence).toBeCloseTo(99);
    expect(first!.words[1]!.confidence).toBeCloseTo(50);
    expect(first!.confidence).toBeCloseTo(97);
    expect(second!.words.map((w) => w.text)).toEqual(['1,234.50']);
    expect(second!.bbox.y0).toBeCloseTo(120);
    expect(page.confidence).toBeCloseTo((99 + 50 + 98) / 3);
  });

  test('429 and 503 are retried with backoff; a success afterwards is the result', async () => {
    const doc = cannedDocument([{ words: wordsAt('Retried fine', 40) }], 600, 200);
    replies = [
      { status: 429, body: { error: { code: 429, message: 'Quota exceeded', status: 'RESOURCE_EXHAUSTED' } } },
      { status: 503, body: { error: { code: 503, message: 'try later', status: 'UNAVAILABLE' } } },
      { status: 200, body: { document: doc } },
    ];
    const page = await ocrOver(3).recognize(PNG);
    expect(server.requests).toHaveLength(3);
    expect(page.text).toBe('Retried fine');
  });

  test('quota still exhausted on the last attempt is a typed, transient error', async () => {
    replies = [
      { status: 429, body: { error: { code: 429, message: 'Quota exceeded', status: 'RESOURCE_EXHAUSTED' } } },
    ];
    const error = await ocrOver(2)
      .recognize(PNG)
      .catch((e: unknown) => e);
    expect(server.requests).toHaveLength(2);
    expect(error).toBeInstanceOf(DocumentAiOcrError);
    expect(error).toMatchObject({ kind: 'quota', attempts: 2, transient: true });
  });

  test('a permanent error is not retried', async () => {
    replies = [
      {
        status: 403,
        body: { error: { code: 403, message: 'Permission denied on processor', status: 'PERMISSION_DENIED' } },
      },
    ];
    const error = await ocrOver(4)
      .recognize(PNG)
      .catch((e: unknown) => e);
    expect(server.requests).toHaveLength(1);
    expect(error).toMatchObject({ name: 'DocumentAiOcrError', kind: 'permission', transient: false });
    expect((error as Error).message).toMatch(/Permission denied/);
  });

  test('bytes that are not an image are refused before any call', async () => {
    await expect(ocrOver().recognize(new TextEncoder().encode('hello'))).rejects.toMatchObject({
      kind: 'invalid_input',
    });
    expect(server.requests).toHaveLength(0);
  });

  test('an image through the engine with Document AI OCR becomes the expected Markdown', async () => {
    // A heading in large type, then two body paragraphs in the body size.
    const lines: CannedLine[] = [
      { words: wordsAt('Quarterly Report', 60, 60, 30).map((w) => ({ ...w, y1: w.y0 + 56 })), paragraph: true },
      { words: wordsAt('Revenue grew in every region this', 180), paragraph: true },
      { words: wordsAt('quarter and costs stayed flat.', 214) },
      { words: wordsAt('The outlook for next year is good.', 300), paragraph: true },
    ];
    replies = [{ status: 200, body: { document: cannedDocument(lines, 1000, 700) } }];
    const result = await convert(PNG, {}, { ocr: ocrOver() });
    expect(result.format).toBe('image');
    expect(result.ocrPages).toEqual([1]);
    expect(result.warnings).toEqual([]);
    expect(result.markdown).toBe(
      '# Quarterly Report\n\nRevenue grew in every region this quarter and costs stayed flat.\n\nThe outlook for next year is good.\n',
    );
  });
});
