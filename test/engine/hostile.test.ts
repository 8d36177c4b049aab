/**
 * Hostile documents, end to end through the sandbox: each must be refused with the right typed error
 * quickly, or converted; none may crash, hang or exhaust memory. ZIP limits are lowered for the test so a
 * bomb stays cheap to build; the converters must honour the limits they are given.
 */
import { createConverterPool, type ConverterPool } from '../../shared/engine/sandbox.ts';
import { ConversionError } from '../../shared/engine/errors.ts';
import { ZipArchive } from '../../shared/engine/zip.ts';
import { parseXml } from '../../shared/engine/xml.ts';
import {
  billionLaughsDocx,
  deeplyNestedDocx,
  deeplyNestedHtml,
  millionPagePdf,
  zipBombDocx,
  buildPdf,
} from '../fixtures/hostile.ts';

const MB = 1024 * 1024;
const LIMITS = { maxEntryBytes: 4 * MB, maxInflatedBytes: 16 * MB };
const QUICK_MS = 10_000;

let pool: ConverterPool;
beforeAll(async () => {
  pool = createConverterPool({ size: 1, timeoutMs: 30_000, maxMemoryMb: 512, ocr: false, limits: LIMITS });
  await pool.convert(new TextEncoder().encode('warm up'));
});
afterAll(() => pool.close());

/** Convert through the sandbox; return the typed error (or the result) and how long it took. */
async function attempt(bytes: Uint8Array, fileName: string) {
  const started = performance.now();
  try {
    const result = await pool.convert(bytes, { fileName });
    return { result, ms: performance.now() - started };
  } catch (error) {
    if (!(error instanceof ConversionError)) throw error;
    return { error, ms: performance.now() - started };
  }
}

describe('ZIP bombs', () => {
  const bomb = zipBombDocx(24 * MB);

  it('are a few KB that inflate past the entry cap', () => {
    expect(bomb.length).toBeLessThan(64 * 1024);
    const zip = new ZipArchive(bomb, LIMITS);
    expect(() => zip.read('word/document.xml')).toThrow(expect.objectContaining({ code: 'too_large' }));
  });

  it('as a DOCX → too_large, quickly', async () => {
    const { error, ms } = await attempt(bomb.slice(), 'bomb.docx');
    expect(error?.code).toBe('too_large');
    expect(ms).toBeLessThan(QUICK_MS);
  });

  it('lying about their size in the headers → too_large all the same', async () => {
    const liar = zipBombDocx(24 * MB, 2048);
    const { error, ms } = await attempt(liar, 'liar.docx');
    expect(error?.code).toBe('too_large');
    expect(ms).toBeLessThan(QUICK_MS);
  });

  it('stay within limits when small, so the same shape converts', async () => {
    const { result, error } = await attempt(zipBombDocx(64 * 1024), 'fine.docx');
    expect(error).toBeUndefined();
    expect(result?.format).toBe('docx');
    expect(result?.markdown).toMatch(/^a{1000}/);
  });
});

describe('XML entity expansion', () => {
  it('is refused by the XML reader (DOCTYPE)', () => {
    expect(() => parseXml('<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>')).toThrow(
      expect.objectContaining({ code: 'corrupt' }),
    );
  });

  it('billion laughs in word/document.xml → corrupt, quickly', async () => {
    const { error, ms } = await attempt(billionLaughsDocx(), 'lol.docx');
    expect(error?.code).toBe('corrupt');
    expect(error?.message).toMatch(/DOCTYPE/);
    expect(ms).toBeLessThan(QUICK_MS);
  });
});

describe('PDF page-count lies', () => {
  it('a PDF claiming a million pages → too_large, fast', async () => {
    const { error, ms } = await attempt(millionPagePdf(), 'million.pdf');
    expect(error?.code).toBe('too_large');
    expect(ms).toBeLessThan(QUICK_MS);
  });

  it('a page tree whose /Count lies over one real page → that page, or too_large; never a long walk', async () => {
    const { result, error, ms } = await attempt(buildPdf([['Only page.']], 1_000_000), 'liar.pdf');
    if (error) expect(error.code).toBe('too_large');
    else expect(result).toMatchObject({ pageCount: 1, markdown: 'Only page.\n' });
    expect(ms).toBeLessThan(QUICK_MS);
  });

  it('the same writer with an honest count converts', async () => {
    const { result, error } = await attempt(buildPdf([['First page text.'], ['Second page text.']]), 'two.pdf');
    expect(error).toBeUndefined();
    expect(result?.pageCount).toBe(2);
    expect(result?.markdown).toMatch(/First page text\.[\s\S]*Second page text\./);
  });
});

describe('deep nesting', () => {
  it.each([
    ['DOCX, 5,000 nested content controls', () => deeplyNestedDocx(5000), 'deep.docx'],
    ['DOCX, 1,500 nested content controls', () => deeplyNestedDocx(1500), 'deep1500.docx'],
    ['HTML, 20,000 nested elements', () => deeplyNestedHtml(20_000), 'deep.html'],
  ])('%s → a result or a typed error, no crash', async (_name, build, fileName) => {
    const { result, error, ms } = await attempt(build(), fileName);
    if (error) expect(['corrupt', 'too_large']).toContain(error.code);
    else expect(result?.markdown).toContain('deep');
    expect(ms).toBeLessThan(QUICK_MS * 2);
  });

  it('leaves the pool working afterwards', async () => {
    const { result } = await attempt(new TextEncoder().encode('still here'), 'ok.txt');
    expect(result?.markdown).toBe('still here\n');
  });
});
