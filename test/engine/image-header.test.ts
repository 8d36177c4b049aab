/**
 * Decoded image size from the header, before decoding: crafted headers of all six formats, real encoder output
 * (Skia through @napi-rs/canvas) read back, malformed and looping headers, and the caps in the engine: a
 * standalone image over the limit is `too_large` without reaching OCR; a PDF page rendered for OCR leaves an
 * oversized embedded image out with an `image_omitted` warning.
 */
import { createCanvas } from '@napi-rs/canvas';
import { deflateSync } from 'node:zlib';
import { imageDimensions, DEFAULT_MAX_IMAGE_PIXELS } from '../../shared/engine/image-header.ts';
import { oversizedImages } from '../../shared/engine/formats/pdf/image-sizes.ts';
import { convert } from '../../shared/engine/engine.ts';
import { DEFAULT_LIMITS } from '../../shared/engine/types.ts';
import type { Ocr } from '../../shared/engine/ocr.ts';
import {
  bmpHeader,
  gifHeader,
  jpegHeader,
  pngBomb,
  pngHeader,
  tiffHeader,
  webpHeader,
} from '../fixtures/image-headers.ts';

describe('imageDimensions from crafted headers', () => {
  test.each([
    ['png', pngHeader(30000, 30000), 30000, 30000],
    ['jpeg baseline', jpegHeader(4000, 3000), 4000, 3000],
    ['jpeg progressive', jpegHeader(65535, 65535, 0xc2), 65535, 65535],
    ['gif', gifHeader(320, 200), 320, 200],
    ['webp lossy', webpHeader('VP8 ', 16383, 16383), 16383, 16383],
    ['webp lossless', webpHeader('VP8L', 16384, 9000), 16384, 9000],
    ['webp extended', webpHeader('VP8X', 1 << 24, 2), 1 << 24, 2],
    ['tiff little-endian', tiffHeader([{ width: 2480, height: 3508 }]), 2480, 3508],
    ['tiff big-endian', tiffHeader([{ width: 100000, height: 70000 }], { littleEndian: false }), 100000, 70000],
    ['bmp', bmpHeader(50000, 40000), 50000, 40000],
    ['bmp top-down', bmpHeader(800, -600), 800, 600],
  ])('%s', (_name, bytes, width, height) => {
    expect(imageDimensions(bytes)).toMatchObject({ width, height });
  });

  test('a GIF frame larger than its logical screen counts (decoders allocate the frame)', () => {
    expect(imageDimensions(gifHeader(10, 10, { width: 40000, height: 40000 }))).toMatchObject({
      width: 40000,
      height: 40000,
    });
  });

  test('the largest page of a multi-page TIFF counts; a looping IFD chain ends', () => {
    const pages = [
      { width: 100, height: 100 },
      { width: 30000, height: 30000 },
      { width: 200, height: 200 },
    ];
    expect(imageDimensions(tiffHeader(pages))).toMatchObject({ width: 30000, height: 30000 });
    const started = performance.now();
    expect(imageDimensions(tiffHeader(pages, { loop: true }))).toMatchObject({ width: 30000, height: 30000 });
    expect(performance.now() - started).toBeLessThan(50);
  });

  test('truncated, zero-sized and unknown headers give undefined, never a throw', () => {
    const png = pngHeader(100, 100);
    for (let cut = 0; cut < 24; cut++) expect(imageDimensions(png.subarray(0, cut))).toBeUndefined();
    expect(imageDimensions(pngHeader(0, 100))).toBeUndefined();
    expect(imageDimensions(jpegHeader(100, 100).subarray(0, 20))).toBeUndefined();
    expect(imageDimensions(tiffHeader([{ width: 10, height: 10 }]).subarray(0, 14))).toBeUndefined();
    expect(imageDimensions(new TextEncoder().encode('just some text, no image'))).toBeUndefined();
  });

  test('what a real encoder writes reads back', async () => {
    const canvas = createCanvas(123, 45);
    canvas.getContext('2d').fillRect(0, 0, 10, 10);
    for (const bytes of [
      await canvas.encode('png'),
      await canvas.encode('jpeg', 90),
      await canvas.encode('webp', 100),
      await canvas.encode('webp', 50),
    ]) {
      expect(imageDimensions(new Uint8Array(bytes))).toMatchObject({ width: 123, height: 45 });
    }
  });
});

describe('the cap in the engine', () => {
  const neverCalled: Ocr = {
    recognize: () => Promise.reject(new Error('OCR must not see an image over the cap')),
  };

  test.each([
    ['png', pngBomb(30000, 30000)],
    ['jpeg', jpegHeader(20000, 20000)],
    ['gif', gifHeader(8000, 8000)],
    ['webp', webpHeader('VP8X', 12000, 12000)],
    ['tiff', tiffHeader([{ width: 10000, height: 10000 }])],
    ['bmp', bmpHeader(9000, -9000)],
  ])('a standalone %s over %i pixels is too_large before decoding', async (_name, bytes) => {
    const started = performance.now();
    await expect(convert(bytes, {}, { ocr: neverCalled })).rejects.toMatchObject({
      code: 'too_large',
      message: expect.stringMatching(/pixels .*the limit is 50 MP/),
    });
    // Decoding 30000×30000 would take seconds and gigabytes; the header check takes neither.
    expect(performance.now() - started).toBeLessThan(1000);
  });

  test('the cap is the configured limit, and OCR off does not skip it', async () => {
    const bytes = pngHeader(2000, 2000);
    await expect(convert(bytes, { ocr: false }, { limits: { maxImagePixels: 1_000_000 } })).rejects.toMatchObject({
      code: 'too_large',
    });
    expect(DEFAULT_LIMITS.maxImagePixels).toBe(DEFAULT_MAX_IMAGE_PIXELS);
  });

  test('an image whose header cannot be read is corrupt', async () => {
    const broken = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 1, 2, 3, 4]);
    await expect(convert(broken, {}, { ocr: neverCalled })).rejects.toMatchObject({ code: 'corrupt' });
  });
});

/** A one-page PDF without text whose page draws one image XObject of `width × height` (1-bit, all zero). */
function pdfWithImage(width: number, height: number): Uint8Array {
  const data = deflateSync(Buffer.alloc(Math.ceil(width / 8) * height));
  const content = `q ${612} 0 0 ${792} 0 0 cm /Im1 Do Q`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /XObject << /Im1 4 0 R >> >> /Contents 5 0 R >>',
    null,
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
  ];
  const chunks: Buffer[] = [Buffer.from('%PDF-1.4\n')];
  const offsets: number[] = [];
  let length = chunks[0].length;
  const push = (b: Buffer) => {
    chunks.push(b);
    length += b.length;
  };
  objects.forEach((o, i) => {
    offsets.push(length);
    if (o !== null) return push(Buffer.from(`${i + 1} 0 obj\n${o}\nendobj\n`));
    push(
      Buffer.from(
        `${i + 1} 0 obj\n<< /Type /XObject /Subtype /Image /Width ${width} /Height ${height} /ColorSpace /DeviceGray ` +
          `/BitsPerComponent 1 /Filter /FlateDecode /Length ${data.length} >>\nstream\n`,
      ),
    );
    push(data);
    push(Buffer.from('\nendstream\nendobj\n'));
  });
  const xref = length;
  let tail = `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) tail += `${String(o).padStart(10, '0')} 00000 n \n`;
  tail += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  push(Buffer.from(tail));
  return new Uint8Array(Buffer.concat(chunks));
}

describe('images embedded in a PDF rendered for OCR', () => {
  const seen: number[] = [];
  const ocr: Ocr = {
    async recognize(image) {
      seen.push(image.length);
      return { text: '', lines: [], confidence: 0, width: 0, height: 0 };
    },
  };

  test('the dictionary scan finds image XObjects over the cap, and only those', () => {
    expect(oversizedImages(pdfWithImage(20000, 20000), 50_000_000)).toEqual({
      count: 1,
      largest: { width: 20000, height: 20000 },
    });
    expect(oversizedImages(pdfWithImage(2000, 2000), 50_000_000)).toBeUndefined();
  });

  test('an oversized embedded image is left out of the render with an image_omitted warning', async () => {
    const started = performance.now();
    const result = await convert(pdfWithImage(20000, 20000), {}, { ocr });
    expect(result.warnings).toContainEqual(
      expect.objectContaining({ code: 'image_omitted', message: expect.stringMatching(/20000×20000/) }),
    );
    expect(performance.now() - started).toBeLessThan(15_000);
  });

  test('an image under the cap is rendered without that warning', async () => {
    const result = await convert(pdfWithImage(800, 800), {}, { ocr });
    expect(result.warnings.map((w) => w.code)).not.toContain('image_omitted');
  });
});
