/**
 * Image dimensions read from the encoded header, without decoding a pixel: the check that keeps a small file
 * declaring a huge bitmap (a 1 KB PNG of 30000×30000 pixels is 3.6 GB of RGBA once decoded) away from the
 * decoders, which allocate the whole bitmap in native or WebAssembly memory before the V8 heap ceiling sees it.
 *
 * Every reader is a bounded forward walk over the bytes (no recursion, no chain following beyond a fixed
 * number of steps), so a hostile header costs at most one pass over the input.
 *
 * Sources of the layouts: PNG (ISO/IEC 15948, IHDR must be the first chunk), JPEG (ITU-T T.81 B.2: SOFn
 * marker segments), GIF (GIF89a spec: logical screen descriptor and image descriptors), WebP (RFC 9649: VP8,
 * VP8L and VP8X chunks), TIFF (TIFF 6.0, tags 256 ImageWidth / 257 ImageLength in each IFD), BMP
 * (BITMAPCOREHEADER / BITMAPINFOHEADER; a negative height means top-down rows).
 */

export type ImageHeaderFormat = 'png' | 'jpeg' | 'gif' | 'webp' | 'tiff' | 'bmp';

export interface ImageDimensions {
  format: ImageHeaderFormat;
  /** Pixels. For multi-image files (TIFF pages, GIF frames) the largest area found. */
  width: number;
  height: number;
}

/**
 * Default cap on decoded pixels (width × height) per image: 50 megapixels, 200 MB as RGBA. An A4 page scanned
 * at 600 dpi is 35 megapixels; a 300 dpi A3 page 17. Overridden by `ConvertLimits.maxImagePixels`.
 */
export const DEFAULT_MAX_IMAGE_PIXELS = 50_000_000;

/** IFDs of a TIFF walked at most (multi-page scans); a loop in the IFD chain ends here too. */
const MAX_TIFF_IFDS = 256;
/** GIF blocks walked at most while looking for frames larger than the logical screen. */
const MAX_GIF_BLOCKS = 100_000;

/**
 * The dimensions of an encoded image, or undefined when the bytes are not one of the six formats or the
 * header is cut short or malformed (the caller decides: a standalone image is then `corrupt`).
 */
export function imageDimensions(bytes: Uint8Array): ImageDimensions | undefined {
  if (bytes.length < 12) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return png(bytes, view);
    if (bytes[0] === 0xff && bytes[1] === 0xd8) return jpeg(bytes, view);
    if (ascii(bytes, 0, 4) === 'GIF8') return gif(bytes, view);
    if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return webp(bytes, view);
    if (ascii(bytes, 0, 4) === 'II*\0' || ascii(bytes, 0, 4) === 'MM\0*') return tiff(view);
    if (ascii(bytes, 0, 2) === 'BM') return bmp(view);
  } catch (error) {
    // A header that points past the end of the bytes (DataView's RangeError) is malformed, not an engine bug.
    if (error instanceof RangeError) return undefined;
    throw error;
  }
  return undefined;
}

/** Width × height of `dims` is over `maxPixels`. */
export function exceedsPixels(dims: { width: number; height: number }, maxPixels: number): boolean {
  return dims.width * dims.height > maxPixels;
}

function png(bytes: Uint8Array, view: DataView): ImageDimensions | undefined {
  if (ascii(bytes, 12, 4) !== 'IHDR') return undefined;
  return sized('png', view.getUint32(16), view.getUint32(20));
}

function jpeg(bytes: Uint8Array, view: DataView): ImageDimensions | undefined {
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return undefined;
    const marker = bytes[at + 1];
    // Fill bytes (0xFF repeated) may precede a marker.
    if (marker === 0xff) {
      at++;
      continue;
    }
    // Markers without a length: TEM, RSTn, SOI.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      at += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return undefined; // end of image or start of scan before any SOF
    const length = view.getUint16(at + 2);
    if (length < 2) return undefined;
    // SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC): P, Y (height), X (width).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return sized('jpeg', view.getUint16(at + 7), view.getUint16(at + 5));
    }
    at += 2 + length;
  }
  return undefined;
}

function gif(bytes: Uint8Array, view: DataView): ImageDimensions | undefined {
  let best = { width: view.getUint16(6, true), height: view.getUint16(8, true) };
  const flags = bytes[10];
  let at = 13 + (flags & 0x80 ? 3 * 2 ** ((flags & 7) + 1) : 0);
  // Frames may be larger than the logical screen, and decoders allocate the frame: walk the blocks.
  for (let blocks = 0; at < bytes.length && blocks < MAX_GIF_BLOCKS; blocks++) {
    const introducer = bytes[at];
    if (introducer === 0x3b) break; // trailer
    if (introducer === 0x21) {
      at = skipSubBlocks(bytes, at + 2);
    } else if (introducer === 0x2c) {
      const frame = { width: view.getUint16(at + 5, true), height: view.getUint16(at + 7, true) };
      if (frame.width * frame.height > best.width * best.height) best = frame;
      const local = bytes[at + 9];
      at += 10 + (local & 0x80 ? 3 * 2 ** ((local & 7) + 1) : 0);
      at = skipSubBlocks(bytes, at + 1); // LZW minimum code size, then the data sub-blocks
    } else {
      break; // damaged stream: what was read so far stands
    }
  }
  return sized('gif', best.width, best.height);
}

/** Past a chain of GIF data sub-blocks (length byte, data; a zero length ends it). */
function skipSubBlocks(bytes: Uint8Array, at: number): number {
  while (at < bytes.length && bytes[at] !== 0) at += 1 + bytes[at];
  return at + 1;
}

function webp(bytes: Uint8Array, view: DataView): ImageDimensions | undefined {
  const chunk = ascii(bytes, 12, 4);
  if (chunk === 'VP8 ') {
    // Frame tag (3 bytes), start code 9D 01 2A, then 14-bit width and height.
    if (bytes[23] !== 0x9d || bytes[24] !== 0x01 || bytes[25] !== 0x2a) return undefined;
    return sized('webp', view.getUint16(26, true) & 0x3fff, view.getUint16(28, true) & 0x3fff);
  }
  if (chunk === 'VP8L') {
    if (bytes[20] !== 0x2f) return undefined;
    const bits = view.getUint32(21, true);
    return sized('webp', (bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
  }
  if (chunk === 'VP8X') {
    const w = bytes[24] | (bytes[25] << 8) | (bytes[26] << 16);
    const h = bytes[27] | (bytes[28] << 8) | (bytes[29] << 16);
    return sized('webp', w + 1, h + 1);
  }
  return undefined;
}

function tiff(view: DataView): ImageDimensions | undefined {
  const little = view.getUint8(0) === 0x49;
  const u16 = (at: number) => view.getUint16(at, little);
  const u32 = (at: number) => view.getUint32(at, little);
  let best: { width: number; height: number } | undefined;
  const seen = new Set<number>();
  let ifd = u32(4);
  for (let n = 0; ifd !== 0 && n < MAX_TIFF_IFDS && !seen.has(ifd); n++) {
    seen.add(ifd);
    const entries = u16(ifd);
    let width: number | undefined;
    let height: number | undefined;
    for (let i = 0; i < entries; i++) {
      const entry = ifd + 2 + 12 * i;
      const tag = u16(entry);
      if (tag !== 256 && tag !== 257) continue;
      // SHORT (3) or LONG (4), one value, stored in the entry itself.
      const value = u16(entry + 2) === 3 ? u16(entry + 8) : u32(entry + 8);
      if (tag === 256) width = value;
      else height = value;
    }
    if (width !== undefined && height !== undefined && (!best || width * height > best.width * best.height)) {
      best = { width, height };
    }
    ifd = u32(ifd + 2 + 12 * entries);
  }
  return best ? sized('tiff', best.width, best.height) : undefined;
}

function bmp(view: DataView): ImageDimensions | undefined {
  const headerSize = view.getUint32(14, true);
  // BITMAPCOREHEADER (OS/2 1.x): 16-bit sizes.
  if (headerSize === 12) return sized('bmp', view.getUint16(18, true), view.getUint16(20, true));
  if (headerSize < 40) return undefined;
  return sized('bmp', Math.abs(view.getInt32(18, true)), Math.abs(view.getInt32(22, true)));
}

function sized(format: ImageHeaderFormat, width: number, height: number): ImageDimensions | undefined {
  return width > 0 && height > 0 ? { format, width, height } : undefined;
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

function ascii(bytes: Uint8Array, at: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(at, at + length));
}
