/**
 * Sideways and upside-down scans. The tesseract.js data installed here has no orientation model (OSD), so
 * orientation is found by trying: when the first reading is poor (low confidence, or hardly any words for the
 * size of the image), the image is turned by 90°, 180° and 270° and read again, and the reading with the most
 * confidently recognised text wins. Upright images cost one OCR pass as before.
 */
import type { Ocr, OcrPage } from '../../ocr.ts';

/** A first reading below this mean confidence (0..100) is suspect. */
const SUSPECT_CONFIDENCE = 60;

export async function recognizeUpright(image: Uint8Array, ocr: Ocr): Promise<OcrPage> {
  const first = await ocr.recognize(image);
  if (!isSuspect(first)) return first;
  let best = first;
  for (const degrees of [90, 270, 180]) {
    const turned = await rotate(image, degrees);
    if (!turned) return best;
    const page = await ocr.recognize(turned);
    if (quality(page) > quality(best) * 1.2) best = page;
    // A confident reading is the upright one; no need to try the remaining turns.
    if (!isSuspect(best)) break;
  }
  return best;
}

function isSuspect(page: OcrPage): boolean {
  return page.confidence < SUSPECT_CONFIDENCE;
}

/** Confidently recognised letters: words with letters, weighted by their confidence. */
function quality(page: OcrPage): number {
  let score = 0;
  for (const line of page.lines) {
    const words = line.words.length ? line.words : [{ text: line.text, confidence: line.confidence }];
    for (const w of words) {
      const letters = w.text.match(/\p{L}/gu)?.length ?? 0;
      if (letters >= 2) score += (letters * Math.max(0, w.confidence)) / 100;
    }
  }
  return score;
}

/** The image turned clockwise by `degrees` as PNG, or undefined when it cannot be decoded here (e.g. TIFF). */
async function rotate(image: Uint8Array, degrees: 90 | 180 | 270 | number): Promise<Uint8Array | undefined> {
  const { createCanvas, loadImage } = await import('@napi-rs/canvas');
  let decoded: Awaited<ReturnType<typeof loadImage>>;
  try {
    decoded = await loadImage(Buffer.from(image.buffer, image.byteOffset, image.byteLength));
  } catch {
    return undefined;
  }
  const { width, height } = decoded;
  if (!width || !height) return undefined;
  const sideways = degrees % 180 !== 0;
  const canvas = createCanvas(sideways ? height : width, sideways ? width : height);
  const context = canvas.getContext('2d');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.translate(canvas.width / 2, canvas.height / 2);
  context.rotate((degrees * Math.PI) / 180);
  context.drawImage(decoded, -width / 2, -height / 2);
  return new Uint8Array(await canvas.encode('png'));
}
