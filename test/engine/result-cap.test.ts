/**
 * The cap on a result's size (`result-cap.ts`): the budget from the input's size and the limits, a DOCX whose
 * one entry expands hugely refused `too_large` before its part is parsed, a result over the cap refused after
 * serialization, and an ordinary document well inside it.
 */
import { convert } from '../../shared/engine/engine.ts';
import { RESULT_FLOOR_BYTES, resultBudget } from '../../shared/engine/result-cap.ts';
import { DEFAULT_LIMITS } from '../../shared/engine/types.ts';
import { loadConfig } from '../../shared/service/config.ts';
import { docxWith, zipBombDocx } from '../fixtures/hostile.ts';

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

/** A DOCX of `paragraphs` paragraphs, each the same sentence (deflates well, like a real repetitive report). */
function repetitiveDocx(paragraphs: number, sentence: string): Uint8Array {
  const body = `<w:p><w:r><w:t>${sentence}</w:t></w:r></w:p>`.repeat(paragraphs);
  return docxWith(
    `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="${W}"><w:body>${body}</w:body></w:document>`,
  );
}

describe('resultBudget', () => {
  test('a multiple of the input, never under the floor, never over the absolute cap', () => {
    expect(resultBudget(1000, DEFAULT_LIMITS)).toBe(RESULT_FLOOR_BYTES);
    expect(resultBudget(256 * 1024, DEFAULT_LIMITS)).toBe(100 * 256 * 1024);
    expect(resultBudget(10 * 1024 * 1024, DEFAULT_LIMITS)).toBe(64 * 1024 * 1024);
    expect(resultBudget(1000, { maxResultBytes: 10, maxResultRatio: 100 })).toBe(10);
  });

  test('configured from the environment and validated', () => {
    const config = loadConfig({
      MDRAFT_MAX_RESULT_MB: '8',
      MDRAFT_MAX_RESULT_RATIO: '20',
      MDRAFT_MAX_IMAGE_MEGAPIXELS: '10',
    });
    expect(config.convert.limits).toEqual({
      maxResultBytes: 8 * 1024 * 1024,
      maxResultRatio: 20,
      maxImagePixels: 10_000_000,
    });
    expect(loadConfig({}).convert.limits).toEqual({
      maxResultBytes: DEFAULT_LIMITS.maxResultBytes,
      maxResultRatio: DEFAULT_LIMITS.maxResultRatio,
      maxImagePixels: DEFAULT_LIMITS.maxImagePixels,
    });
    expect(() => loadConfig({ MDRAFT_MAX_RESULT_MB: '0' })).toThrow(/MDRAFT_MAX_RESULT_MB/);
    expect(() => loadConfig({ MDRAFT_MAX_RESULT_RATIO: '1' })).toThrow(/MDRAFT_MAX_RESULT_RATIO/);
    expect(() => loadConfig({ MDRAFT_MAX_IMAGE_MEGAPIXELS: 'lots' })).toThrow(/MDRAFT_MAX_IMAGE_MEGAPIXELS/);
  });
});

describe('the cap in the engine', () => {
  test('a DOCX whose one entry inflates to 40 MB of text is too_large, refused before its part is parsed', async () => {
    const bomb = zipBombDocx(40 * 1024 * 1024);
    expect(bomb.length).toBeLessThan(100 * 1024);
    const started = performance.now();
    await expect(convert(bomb)).rejects.toMatchObject({
      code: 'too_large',
      message: expect.stringMatching(/word\/document\.xml .*result cap/),
    });
    // Parsing 40 MB of XML into a tree and serializing it takes far longer than the one counting pass.
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  test('a DOCX whose text alone is over a smaller cap is refused the same way', async () => {
    // 3000 paragraphs of 100 characters: about 300 KB of Markdown from a few KB of DOCX.
    const docx = repetitiveDocx(3000, 'x'.repeat(100));
    await expect(convert(docx, {}, { limits: { maxResultBytes: 200 * 1024 } })).rejects.toMatchObject({
      code: 'too_large',
    });
    // The same document within the default cap (the floor of 1 MiB for a small input).
    const result = await convert(docx);
    expect(result.markdown.length).toBeGreaterThan(300_000);
  });

  test('a result over the cap is refused after serialization when no reader stopped early', async () => {
    const text = new TextEncoder().encode('A line of plain text.\n'.repeat(20_000));
    await expect(
      convert(text, { fileName: 'notes.txt' }, { limits: { maxResultBytes: 200 * 1024 } }),
    ).rejects.toMatchObject({
      code: 'too_large',
      message: expect.stringMatching(/result would be .* over the 200 KB cap/),
    });
  });

  test('a text file, whose Markdown is about its own size, is far inside the ratio', async () => {
    const text = new TextEncoder().encode('A line of a long plain text file.\n'.repeat(40_000));
    const result = await convert(
      text,
      { fileName: 'long.txt' },
      { limits: { maxResultBytes: 64 * 1024 * 1024, maxResultRatio: 2 } },
    );
    expect(result.markdown.length).toBeGreaterThan(1_300_000);
  });
});
