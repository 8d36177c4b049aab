/**
 * A decoded image as one 8-bit luminance channel, the form the image analyses (ruling lines, orientation,
 * pictures, blank pages) work on. Decoding and encoding go through @napi-rs/canvas (Skia): PNG, JPEG, WebP,
 * GIF and BMP decode; TIFF does not, and callers then skip the analyses and hand the bytes to OCR as they are.
 */
import { crc32, deflateSync } from 'node:zlib';

/** Luminance 0 (black) … 255 (white), row-major, `width × height` bytes. */
export interface Gray {
  width: number;
  height: number;
  data: Uint8Array;
}

/**
 * Images larger than this many pixels are analysed at a reduced size (the analyses need structure, not detail);
 * a 300 dpi A3 page is about 17 million pixels.
 */
const MAX_ANALYSIS_PIXELS = 20_000_000;

/**
 * Decode an encoded image to luminance (ITU-R BT.601 weights), transparent pixels composited on white paper.
 * Returns undefined when the image cannot be decoded here (TIFF, a corrupt file) or is empty.
 */
export async function decodeGray(image: Uint8Array): Promise<Gray | undefined> {
  const { loadImage, createCanvas } = await import('@napi-rs/canvas');
  let decoded: Awaited<ReturnType<typeof loadImage>>;
  try {
    decoded = await loadImage(Buffer.from(image.buffer, image.byteOffset, image.byteLength));
  } catch {
    return undefined;
  }
  if (!decoded.width || !decoded.height) return undefined;
  const area = decoded.width * decoded.height;
  const shrink = area > MAX_ANALYSIS_PIXELS ? Math.sqrt(MAX_ANALYSIS_PIXELS / area) : 1;
  const width = Math.max(1, Math.round(decoded.width * shrink));
  const height = Math.max(1, Math.round(decoded.height * shrink));
  const canvas = createCanvas(width, height);
  const context = canvas.getContext('2d');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, width, height);
  context.drawImage(decoded, 0, 0, width, height);
  return grayFromRgba(context.getImageData(0, 0, width, height).data, width, height);
}

/** Luminance (ITU-R BT.601 weights) of an RGBA bitmap, `width × height` pixels, alpha ignored. */
export function grayFromRgba(rgba: ArrayLike<number>, width: number, height: number): Gray {
  const data = new Uint8Array(width * height);
  for (let i = 0, p = 0; i < data.length; i++, p += 4) {
    data[i] = (rgba[p] * 299 + rgba[p + 1] * 587 + rgba[p + 2] * 114 + 500) / 1000;
  }
  return { width, height, data };
}

/**
 * A luminance bitmap as an 8-bit greyscale PNG (the form handed to OCR after the analyses changed it). Written
 * here rather than through the canvas: one channel instead of four, and fast deflate (level 3), because this
 * runs for every OCR'd page (Skia's RGBA encoder took about a second for a letter page at 150 dpi).
 * Layout per the PNG specification (ISO/IEC 15948): signature, IHDR, IDAT (each row prefixed by filter type
 * 1, "Sub", which suits scanned text), IEND.
 */
export function encodeGrayPng(gray: Gray): Uint8Array {
  const { width, height, data } = gray;
  const raw = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++) {
    const out = y * (width + 1);
    const row = y * width;
    raw[out] = 1;
    raw[out + 1] = data[row];
    for (let x = 1; x < width; x++) raw[out + 1 + x] = (data[row + x] - data[row + x - 1]) & 0xff;
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // colour type: greyscale
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return new Uint8Array(
    Buffer.concat([
      signature,
      chunk('IHDR', header),
      chunk('IDAT', deflateSync(raw, { level: 3 })),
      chunk('IEND', Buffer.alloc(0)),
    ]),
  );
}

function chunk(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.write(type, 4, 'latin1');
  const tail = Buffer.alloc(4);
  tail.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])), 0);
  return Buffer.concat([head, body, tail]);
}

/** The bitmap turned clockwise by a quarter-turn multiple (`degrees` ∈ 0, 90, 180, 270). */
export function rotateGray(gray: Gray, degrees: number): Gray {
  const turn = (((degrees % 360) + 360) % 360) / 90;
  if (turn === 0) return gray;
  const { width: w, height: h, data } = gray;
  const sideways = turn % 2 === 1;
  const out = new Uint8Array(w * h);
  const ow = sideways ? h : w;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let nx: number;
      let ny: number;
      if (turn === 1) {
        nx = h - 1 - y;
        ny = x;
      } else if (turn === 2) {
        nx = w - 1 - x;
        ny = h - 1 - y;
      } else {
        nx = y;
        ny = w - 1 - x;
      }
      out[ny * ow + nx] = data[y * w + x];
    }
  }
  return { width: ow, height: sideways ? w : h, data: out };
}

/** The bitmap with rows and columns swapped (so a column scan can reuse a row scan). */
export function transpose(gray: Gray): Gray {
  const { width: w, height: h, data } = gray;
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[x * h + y] = data[y * w + x];
  return { width: h, height: w, data: out };
}

/**
 * The paper's luminance: the brightest common level (the 90th percentile), so a page mostly covered by a
 * picture or a dark banner still reports its paper, and a white page reports 255.
 */
export function paperLevel(gray: Gray): number {
  const histogram = new Uint32Array(256);
  const step = Math.max(1, Math.floor(gray.data.length / 200_000));
  let n = 0;
  for (let i = 0; i < gray.data.length; i += step, n++) histogram[gray.data[i]]++;
  let seen = 0;
  for (let v = 0; v < 256; v++) {
    seen += histogram[v];
    if (seen >= n * 0.9) return v;
  }
  return 255;
}

/**
 * Flat-field the paper: every pixel divided by the local paper level (the lightest pixel of its block, about
 * 1/80 of the longer side, wider than any stroke of body or heading text), so shaded table cells, tinted
 * boxes and unevenly lit photos of pages come out as black ink on white. Tesseract binarizes with one global
 * (Otsu) threshold; a large grey area then turns black and its text, and often the text next to it, is lost.
 */
export function flattenBackground(gray: Gray): Gray {
  const { width, height, data } = gray;
  const block = Math.max(8, Math.round(Math.max(width, height) / 80));
  const columns = Math.ceil(width / block);
  const rows = Math.ceil(height / block);
  const paper = new Uint8Array(columns * rows);
  for (let y = 0; y < height; y++) {
    const base = Math.floor(y / block) * columns;
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const c = base + Math.floor(x / block);
      if (data[row + x] > paper[c]) paper[c] = data[row + x];
    }
  }
  const out = new Uint8Array(data.length);
  for (let y = 0; y < height; y++) {
    const base = Math.floor(y / block) * columns;
    const row = y * width;
    for (let x = 0; x < width; x++) {
      // A block with no paper in it (inside a picture or a dark bar) is left as it is.
      const level = paper[base + Math.floor(x / block)];
      const v = data[row + x];
      out[row + x] = level < 96 ? v : Math.min(255, Math.round((v * 255) / level));
    }
  }
  return { width, height, data: out };
}
