/**
 * Glyph id → Unicode from an embedded TrueType/OpenType font program (an `sfnt`: a PDF's FontFile2 or
 * FontFile3/OpenType), for fonts shown without a usable ToUnicode map. The font's own `cmap` table maps
 * characters to glyphs; inverted, it names the character each glyph draws. A font with no usable `cmap` (subsets
 * often drop it) may still name its glyphs in a `post` table of format 2, read through `glyph-names.ts`.
 *
 * The bytes are untrusted: every read is bounds-checked, a table that does not fit the file is ignored, and the
 * work is capped (`MAX_SEGMENTS`, `MAX_GROUPS`, `MAX_GLYPHS`), so a hostile font costs at most a few million steps.
 *
 * Sources: OpenType specification, "cmap — Character to Glyph Index Mapping Table" (formats 4 and 12; platform
 * 3 encoding 0 "Symbol" fonts put their codes at U+F000–U+F0FF) and "post — PostScript Table" (format 2.0: 258
 * standard Macintosh names, then Pascal strings).
 */
import { glyphNameToUnicode, MAC_STANDARD_NAMES } from './glyph-names.ts';

/** Glyph id → the text that glyph draws (one character, or a few for a ligature named `f_i`). */
export type GlyphUnicode = Map<number, string>;

const MAX_SEGMENTS = 8192;
const MAX_GROUPS = 65536;
/** TrueType glyph ids are 16-bit. */
const MAX_GLYPHS = 65536;

/** Big-endian reads that return `undefined` past the end instead of throwing or reading garbage. */
class Reader {
  readonly bytes: Uint8Array;
  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }
  u8 = (at: number) => (at >= 0 && at < this.bytes.length ? this.bytes[at] : undefined);
  u16(at: number): number | undefined {
    if (at < 0 || at + 2 > this.bytes.length) return undefined;
    return (this.bytes[at] << 8) | this.bytes[at + 1];
  }
  u32(at: number): number | undefined {
    if (at < 0 || at + 4 > this.bytes.length) return undefined;
    return ((this.bytes[at] << 24) | (this.bytes[at + 1] << 16) | (this.bytes[at + 2] << 8) | this.bytes[at + 3]) >>> 0;
  }
}

/** The sfnt's tables by tag: offset and length, only those that lie inside the file. */
export function sfntTables(bytes: Uint8Array): Map<string, { offset: number; length: number }> {
  const r = new Reader(bytes);
  const tables = new Map<string, { offset: number; length: number }>();
  const version = r.u32(0);
  // 0x00010000 TrueType, 'true' (Apple), 'OTTO' (CFF outlines: its cmap/post are read the same way).
  if (version !== 0x00010000 && version !== 0x74727565 && version !== 0x4f54544f) return tables;
  const count = Math.min(r.u16(4) ?? 0, 256);
  for (let i = 0; i < count; i++) {
    const at = 12 + 16 * i;
    const offset = r.u32(at + 8);
    const length = r.u32(at + 12);
    if (offset === undefined || length === undefined || offset + length > bytes.length) continue;
    const tag = String.fromCharCode(...bytes.subarray(at, at + 4));
    tables.set(tag, { offset, length });
  }
  return tables;
}

/** How a glyph's Unicode was found: through the cmap, through glyph names, or not at all. */
export interface SfntUnicode {
  glyphs: GlyphUnicode;
  source: 'cmap' | 'post' | 'cmap+post' | 'none';
}

/**
 * Glyph id → Unicode for the font program `bytes`. The Unicode cmaps (platform 3 encodings 10 and 1, platform
 * 0) are preferred; a (3,0) symbol cmap's U+F0xx codes are read as the 8-bit codes they stand for (Latin-1).
 * A glyph reached from several characters keeps the lowest one that is not a private-use code (a font maps
 * both U+00A0 and U+0020 to its space; the lower reads as what was meant).
 * Glyphs the cmap does not reach (ligatures, alternates) take their `post` glyph name
 * when it resolves; a font without a usable cmap is read through its names alone. Never throws: a damaged font yields `source: 'none'`.
 */
export function sfntUnicode(bytes: Uint8Array): SfntUnicode {
  try {
    const tables = sfntTables(bytes);
    const cmap = tables.get('cmap');
    const glyphs = cmap ? readCmap(new Reader(bytes), cmap.offset, cmap.length) : new Map<number, string>();
    const fromCmap = glyphs.size;
    // Glyphs no character maps to (ligatures, alternates reached through GSUB) may still be named.
    const post = tables.get('post');
    const names = post ? readPostNames(new Reader(bytes), post.offset, post.length) : new Map<number, string>();
    for (const [glyph, text] of names) if (!glyphs.has(glyph)) glyphs.set(glyph, text);
    if (glyphs.size) return { glyphs, source: fromCmap ? (glyphs.size > fromCmap ? 'cmap+post' : 'cmap') : 'post' };
  } catch {
    // Bounds are checked on every read; this only guards against a mistake turning into a failed page.
  }
  return { glyphs: new Map(), source: 'none' };
}

/** Subtable preference: a lower rank wins. (3,10) and (0,4+) are full Unicode; (3,1)/(0,x) BMP; (3,0) symbol. */
function rank(platform: number, encoding: number): number | undefined {
  if (platform === 3 && encoding === 10) return 0;
  if (platform === 0 && (encoding === 4 || encoding === 6)) return 1;
  if (platform === 3 && encoding === 1) return 2;
  if (platform === 0) return 3;
  if (platform === 3 && encoding === 0) return 4;
  return undefined;
}

function readCmap(r: Reader, base: number, length: number): GlyphUnicode {
  const end = base + length;
  const count = Math.min(r.u16(base + 2) ?? 0, 64);
  const candidates: { rank: number; offset: number; symbol: boolean }[] = [];
  for (let i = 0; i < count; i++) {
    const at = base + 4 + 8 * i;
    const platform = r.u16(at);
    const encoding = r.u16(at + 2);
    const offset = r.u32(at + 4);
    if (platform === undefined || encoding === undefined || offset === undefined || base + offset >= end) continue;
    const rk = rank(platform, encoding);
    if (rk !== undefined)
      candidates.push({ rank: rk, offset: base + offset, symbol: platform === 3 && encoding === 0 });
  }
  candidates.sort((a, b) => a.rank - b.rank);
  for (const c of candidates) {
    const pairs = readSubtable(r, c.offset, end);
    const glyphs = invert(pairs, c.symbol);
    if (glyphs.size) return glyphs;
  }
  return new Map();
}

/** A subtable's (code, glyph id) pairs; formats 4 and 12 (and 6, short and common in old subsets). */
function readSubtable(r: Reader, at: number, end: number): [number, number][] {
  const format = r.u16(at);
  const pairs: [number, number][] = [];
  if (format === 4) {
    const length = Math.min(r.u16(at + 2) ?? 0, end - at);
    const tableEnd = at + length;
    const segCount = Math.min((r.u16(at + 6) ?? 0) >> 1, MAX_SEGMENTS);
    const ends = at + 14;
    const starts = ends + 2 * segCount + 2;
    const deltas = starts + 2 * segCount;
    const rangeOffsets = deltas + 2 * segCount;
    if (rangeOffsets + 2 * segCount > tableEnd) return pairs;
    for (let s = 0; s < segCount; s++) {
      const last = r.u16(ends + 2 * s)!;
      const first = r.u16(starts + 2 * s)!;
      const delta = r.u16(deltas + 2 * s)!;
      const rangeOffset = r.u16(rangeOffsets + 2 * s)!;
      if (first > last || first === 0xffff) continue;
      for (let code = first; code <= last; code++) {
        let glyph: number | undefined;
        if (rangeOffset === 0) glyph = (code + delta) & 0xffff;
        else {
          // idRangeOffset counts bytes from its own slot to the glyph index array entry.
          const slot = rangeOffsets + 2 * s + rangeOffset + 2 * (code - first);
          const raw = slot + 2 <= tableEnd ? r.u16(slot) : undefined;
          glyph = raw ? (raw + delta) & 0xffff : 0;
        }
        if (glyph) pairs.push([code, glyph]);
        if (pairs.length >= MAX_GLYPHS * 2) return pairs;
      }
    }
  } else if (format === 12) {
    const groups = Math.min(r.u32(at + 12) ?? 0, MAX_GROUPS);
    if (at + 16 + 12 * groups > end) return pairs;
    for (let g = 0; g < groups; g++) {
      const first = r.u32(at + 16 + 12 * g)!;
      const last = r.u32(at + 20 + 12 * g)!;
      const glyph = r.u32(at + 24 + 12 * g)!;
      if (first > last || last > 0x10ffff) continue;
      // A group longer than the glyph id space is damaged: cap it.
      const stop = Math.min(last, first + MAX_GLYPHS - 1);
      for (let code = first; code <= stop; code++) {
        const id = glyph + (code - first);
        if (id > 0 && id < MAX_GLYPHS) pairs.push([code, id]);
      }
      if (pairs.length >= MAX_GLYPHS * 2) return pairs;
    }
  } else if (format === 6) {
    const first = r.u16(at + 6) ?? 0;
    const count = r.u16(at + 8) ?? 0;
    if (at + 10 + 2 * count > end) return pairs;
    for (let i = 0; i < count; i++) {
      const glyph = r.u16(at + 10 + 2 * i)!;
      if (glyph) pairs.push([first + i, glyph]);
    }
  }
  return pairs;
}

const isPrivateUse = (cp: number) => (cp >= 0xe000 && cp <= 0xf8ff) || cp >= 0xf0000;
const usable = (cp: number) =>
  cp >= 0x20 && !(cp >= 0x7f && cp < 0xa0) && !(cp >= 0xd800 && cp < 0xe000) && cp !== 0xfffd;

function invert(pairs: [number, number][], symbol: boolean): GlyphUnicode {
  const best = new Map<number, number>();
  for (const [raw, glyph] of pairs) {
    // Symbol cmaps carry 8-bit codes at U+F000–U+F0FF (or bare); read as Latin-1, as Windows does for them.
    const cp = symbol && raw >= 0xf000 && raw <= 0xf0ff ? raw - 0xf000 : raw;
    if (!usable(cp)) continue;
    const had = best.get(glyph);
    if (had === undefined || better(cp, had)) best.set(glyph, cp);
  }
  const out: GlyphUnicode = new Map();
  for (const [glyph, cp] of best) out.set(glyph, String.fromCodePoint(cp));
  return out;
}

/** Between two characters one glyph draws: not private use first, then the lower code point. */
const better = (cp: number, than: number) => (isPrivateUse(than) !== isPrivateUse(cp) ? isPrivateUse(than) : cp < than);

/** `post` format 2.0 glyph names → Unicode (names that do not resolve are left out). */
function readPostNames(r: Reader, base: number, length: number): GlyphUnicode {
  const out: GlyphUnicode = new Map();
  const end = base + length;
  if (r.u32(base) !== 0x00020000) return out;
  const numGlyphs = Math.min(r.u16(base + 32) ?? 0, MAX_GLYPHS);
  const indexAt = base + 34;
  if (indexAt + 2 * numGlyphs > end) return out;
  // The custom names follow the index, as Pascal strings, in order.
  const custom: string[] = [];
  let at = indexAt + 2 * numGlyphs;
  while (at < end && custom.length < MAX_GLYPHS) {
    const len = r.u8(at)!;
    if (at + 1 + len > end) break;
    custom.push(String.fromCharCode(...r.bytes.subarray(at + 1, at + 1 + len)));
    at += 1 + len;
  }
  for (let glyph = 0; glyph < numGlyphs; glyph++) {
    const index = r.u16(indexAt + 2 * glyph)!;
    const name = index < 258 ? MAC_STANDARD_NAMES[index] : custom[index - 258];
    const text = name ? glyphNameToUnicode(name) : undefined;
    if (text) out.set(glyph, text);
  }
  return out;
}
