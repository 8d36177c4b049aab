/** The conversion sandbox chooses its OCR engine from the pool options (Document AI or tesseract). */
import { createConverterPool } from '../../../shared/engine/sandbox.ts';
import { documentAiOcrFactory } from '../../../shared/adapters/ocr-factories.ts';

const probe = new URL('./document-ai-sandbox-engine.ts', import.meta.url);
// The worker loads OCR only for bytes that may need it: a PNG signature is enough for the probe engine.
const png = () => new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('sandbox OCR choice', () => {
  test('a Document AI factory gives the worker the Document AI OCR of the processor', async () => {
    const pool = createConverterPool({
      ocr: documentAiOcrFactory('projects/p-test/locations/eu/processors/abc'),
      engineModule: probe,
      timeoutMs: 30_000,
    });
    try {
      expect((await pool.convert(png())).markdown).toBe('DocumentAiOcrError:invalid_input');
    } finally {
      await pool.close();
    }
  });

  test('ocr: false gives no OCR engine; documentai without a processor is refused up front', async () => {
    const pool = createConverterPool({ ocr: false, engineModule: probe, timeoutMs: 30_000 });
    try {
      expect((await pool.convert(png())).markdown).toBe('no-ocr');
    } finally {
      await pool.close();
    }
    expect(() => documentAiOcrFactory('')).toThrow(/processor/);
  });

  test('a processor name that is not one fails the job instead of converting without OCR', async () => {
    const pool = createConverterPool({
      ocr: documentAiOcrFactory('processors/abc'),
      engineModule: probe,
      timeoutMs: 30_000,
    });
    try {
      await expect(pool.convert(png())).rejects.toMatchObject({
        code: 'internal',
        message: expect.stringMatching(/processor name/),
      });
    } finally {
      await pool.close();
    }
  });
});
