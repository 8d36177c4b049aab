/**
 * The embedded program of a composite (Type0) font, found through a page's font resources, for fonts pdf.js
 * shows without a usable Unicode mapping. pdf.js hands its main thread a rewritten font (its own `cmap` and
 * `post`), so the original FontFile2/FontFile3 bytes are read from the PDF itself with pdf-lib's parser, once per
 * document and only when some page needs it.
 *
 * Scope: Type0 fonts with the `Identity-H`/`Identity-V` CMap (the code is the CID, two bytes) and no ToUnicode
 * map, whose CIDFont embeds an sfnt program (FontFile2, or FontFile3 of subtype OpenType); CIDToGIDMap
 * `/Identity` (or absent) or a stream of 2-byte big-endian glyph ids indexed by CID (PDF 32000-1 §9.7.4.2).
 * Anything else (encrypted files, non-Flate filters, other CMaps, bare CFF programs) yields nothing and the
 * caller falls back to OCR.
 *
 * Limits: documents over `MAX_PDF_BYTES` are not parsed a second time (the page goes to OCR instead); font
 * streams inflate to at most `MAX_FONT_BYTES`; form XObjects are searched `MAX_FORM_DEPTH` deep.
 */
import zlib from 'node:zlib';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFStream } from '@cantoo/pdf-lib';
import type { PDFObject } from '@cantoo/pdf-lib';
import { sfntUnicode, type SfntUnicode } from './sfnt-unicode.ts';

const MAX_PDF_BYTES = 64 * 1024 * 1024;
const MAX_FONT_BYTES = 32 * 1024 * 1024;
const MAX_FORM_DEPTH = 3;
const MAX_FONTS_PER_PAGE = 512;

/** A composite font's way from shown codes to text: CID → glyph id → Unicode. */
export interface CidFontUnicode {
  /** The text CID `cid` draws, or `undefined` when the font program does not say. */
  text(cid: number): string | undefined;
  /** Where the glyph → Unicode map came from (the font's `cmap`, its `post` names, or both). */
  source: SfntUnicode['source'];
}

/** One document's embedded fonts, read lazily from `bytes` (the PDF file). */
export class EmbeddedFonts {
  #bytes: Uint8Array;
  #doc: Promise<PDFDocument | undefined> | undefined;
  #programs = new Map<PDFObject, CidFontUnicode | undefined>();

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
  }

  /**
   * The CID → Unicode reading of the Type0 font named `baseFont` (its BaseFont or its descendant's, subset tag
   * included, as pdf.js reports it) used on page `pageNumber` (1-based). `undefined` when the font is not
   * found, is not in scope (see the module comment), or when several fonts of that name on the page disagree.
   * Never throws.
   */
  async cidFont(pageNumber: number, baseFont: string): Promise<CidFontUnicode | undefined> {
    try {
      const doc = await this.#load();
      const page = doc?.getPages()[pageNumber - 1];
      if (!page) return undefined;
      const matches = new Set<PDFDict>();
      for (const font of fontDicts(page.node.Resources(), 0, new Set())) {
        if (nameOf(font, 'Subtype') !== 'Type0') continue;
        const descendant = descendantOf(font);
        const names = [nameOf(font, 'BaseFont'), descendant && nameOf(descendant, 'BaseFont')];
        if (names.some((n) => n !== undefined && sameFont(n, baseFont))) matches.add(font);
      }
      const readings = [...matches].map((f) => this.#reading(f));
      if (!readings.length || readings.some((r) => r !== readings[0])) return undefined;
      return readings[0];
    } catch {
      return undefined;
    }
  }

  #load(): Promise<PDFDocument | undefined> {
    this.#doc ??=
      this.#bytes.length > MAX_PDF_BYTES
        ? Promise.resolve(undefined)
        : PDFDocument.load(this.#bytes, {
            ignoreEncryption: false,
            updateMetadata: false,
            throwOnInvalidObject: false,
          }).catch(() => undefined);
    return this.#doc;
  }

  /** The reading of one Type0 font, shared by every font dictionary that embeds the same program. */
  #reading(font: PDFDict): CidFontUnicode | undefined {
    const encoding = nameOf(font, 'Encoding');
    if (encoding !== 'Identity-H' && encoding !== 'Identity-V') return undefined;
    if (font.has(PDFName.of('ToUnicode'))) return undefined; // pdf.js read that map; it is not ours to override
    const descendant = descendantOf(font);
    if (!descendant) return undefined;
    const descriptor = lookup(descendant, 'FontDescriptor');
    if (!(descriptor instanceof PDFDict)) return undefined;
    const file2 = descriptor.get(PDFName.of('FontFile2'));
    const file3 = descriptor.get(PDFName.of('FontFile3'));
    const key = file2 ?? file3;
    if (!key) return undefined;
    if (this.#programs.has(key)) return this.#programs.get(key);
    const program = lookup(descriptor, file2 ? 'FontFile2' : 'FontFile3');
    let reading: CidFontUnicode | undefined;
    if (program instanceof PDFRawStream && (file2 || nameOf(program.dict, 'Subtype') === 'OpenType')) {
      const bytes = streamBytes(program);
      const glyphs = bytes && sfntUnicode(bytes);
      const toGid = cidToGid(lookup(descendant, 'CIDToGIDMap'));
      if (glyphs && glyphs.source !== 'none' && toGid) {
        const map = glyphs.glyphs;
        reading = { text: (cid) => map.get(toGid(cid) ?? -1), source: glyphs.source };
      }
    }
    this.#programs.set(key, reading);
    return reading;
  }
}

/** Same font name, with or without the six-letter subset tag and a `-Identity-H` style suffix. */
function sameFont(a: string, b: string): boolean {
  const bare = (s: string) => s.replace(/-Identity-[HV]$/, '');
  return bare(a) === bare(b) || bare(a).replace(/^[A-Z]{6}\+/, '') === bare(b).replace(/^[A-Z]{6}\+/, '');
}

/** CID → glyph id: identity, or the CIDToGIDMap stream's entries. `undefined` for a map that cannot be read. */
function cidToGid(map: PDFObject | undefined): ((cid: number) => number | undefined) | undefined {
  if (map === undefined || (map instanceof PDFName && map.decodeText() === 'Identity')) return (cid) => cid;
  if (!(map instanceof PDFRawStream)) return undefined;
  const bytes = streamBytes(map);
  if (!bytes) return undefined;
  return (cid) => (2 * cid + 2 <= bytes.length ? (bytes[2 * cid] << 8) | bytes[2 * cid + 1] : undefined);
}

/** A stream's decoded bytes: unfiltered or FlateDecode (no predictor), inflated to at most MAX_FONT_BYTES. */
function streamBytes(stream: PDFRawStream): Uint8Array | undefined {
  const filter = stream.dict.lookup(PDFName.of('Filter'));
  const filters = filter instanceof PDFArray ? filter.asArray() : filter ? [filter] : [];
  const names = filters.map((f) => (f instanceof PDFName ? f.decodeText() : ''));
  if (names.length === 0) return stream.contents;
  if (names.length !== 1 || (names[0] !== 'FlateDecode' && names[0] !== 'Fl')) return undefined;
  if (stream.dict.has(PDFName.of('DecodeParms'))) return undefined;
  const data = stream.contents;
  // The zlib header is skipped and the body inflated raw with the largest window: writers put a small window
  // size in the header and then reach further back, which zlib refuses and readers (pdf.js too) tolerate.
  if (data.length < 2 || (data[0] & 0x0f) !== 8 || ((data[0] << 8) | data[1]) % 31 !== 0) return undefined;
  try {
    return zlib.inflateRawSync(data.subarray(2), {
      windowBits: 15,
      maxOutputLength: MAX_FONT_BYTES,
      // A stream cut short still holds the tables before the cut.
      finishFlush: zlib.constants.Z_SYNC_FLUSH,
    });
  } catch {
    return undefined;
  }
}

/** The font dictionaries of a resource dictionary and of the form XObjects it names, depth-limited. */
function* fontDicts(resources: PDFDict | undefined, depth: number, seen: Set<PDFDict>): Generator<PDFDict> {
  if (!resources || seen.has(resources) || seen.size > MAX_FONTS_PER_PAGE) return;
  seen.add(resources);
  const fonts = lookup(resources, 'Font');
  if (fonts instanceof PDFDict) {
    for (const [key] of fonts.entries()) {
      const font = lookup(fonts, key);
      if (font instanceof PDFDict) yield font;
    }
  }
  if (depth >= MAX_FORM_DEPTH) return;
  const xobjects = lookup(resources, 'XObject');
  if (!(xobjects instanceof PDFDict)) return;
  for (const [key] of xobjects.entries()) {
    const form = lookup(xobjects, key);
    if (form instanceof PDFStream && nameOf(form.dict, 'Subtype') === 'Form') {
      const inner = lookup(form.dict, 'Resources');
      if (inner instanceof PDFDict) yield* fontDicts(inner, depth + 1, seen);
    }
  }
}

function descendantOf(font: PDFDict): PDFDict | undefined {
  const list = lookup(font, 'DescendantFonts');
  const first = list instanceof PDFArray && list.size() ? font.context.lookup(list.get(0)) : undefined;
  return first instanceof PDFDict ? first : undefined;
}

/** `dict[key]` with references followed; `undefined` for a missing key or a dangling reference. */
function lookup(dict: PDFDict, key: string | PDFName): PDFObject | undefined {
  try {
    return dict.lookup(typeof key === 'string' ? PDFName.of(key) : key);
  } catch {
    return undefined;
  }
}

function nameOf(dict: PDFDict, key: string): string | undefined {
  const value = lookup(dict, key);
  return value instanceof PDFName ? value.decodeText() : undefined;
}
