/**
 * A page's rules read straight from its content streams, without pdf.js's operator list. The operator list is
 * the costliest thing pdf.js builds for a page (every glyph mapped, fonts and shadings prepared, the whole list
 * copied across threads: profiles of long text PDFs put about 40% of the process's CPU there), and rules need
 * only the paths, the transforms and the fill colour. This module reads those and nothing else, and hands each
 * painted path to the same `SegmentSink` as `pageSegments`, in the same encoding (pdf.js's DrawOPS, float32), so
 * both give the same rules.
 *
 * It answers only when it can answer exactly as the operator list would; otherwise `undefined`, and the caller
 * asks pdf.js. That is the case for: files pdf-lib cannot parse or that are encrypted or larger than
 * `MAX_PDF_BYTES`; a page count other than pdf.js's; content or form streams with filters other than Flate
 * (without predictor) or that fail to inflate; a malformed operator (wrong operands); a missing or cyclic form XObject or
 * forms nested deeper than `MAX_FORM_DEPTH`; a fill whose colour space is not a device space (ICC, Separation,
 * patterns…) when whiteness would decide the result; a graphics state with a soft mask; a CMYK fill too pale to be sure it is not near-white.
 *
 * Operators, as in ISO 32000-1 §8.2 (Table 51): q Q cm; m l c v y h re; S s f F f* B B* b b* n; g rg k cs sc
 * scn (fill colour; white judged as in `graphics.ts`, after pdf.js's 0–255 rounding for gray and RGB); Do (form
 * XObjects, with their /Matrix and /Resources). Strings, arrays, dictionaries and inline images are skipped.
 */
import zlib from 'node:zlib';
import {
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFName,
  PDFNumber,
  PDFRawStream,
  PDFRef,
  decodePDFRawStream,
} from '@cantoo/pdf-lib';
import type { PDFObject, PDFPage } from '@cantoo/pdf-lib';
import { SegmentSink, holdsRectangle, multiply } from './graphics.ts';
import type { Matrix, Segment } from './graphics.ts';

/** Files larger than this are not parsed a second time (pdf-lib holds every object in memory). */
const MAX_PDF_BYTES = 32 * 1024 * 1024;
/** Decoded content of one page (forms included) read at most; beyond it the operator list decides. */
const MAX_CONTENT_BYTES = 32 * 1024 * 1024;
const MAX_FORM_DEPTH = 12;
/** A gray or RGB component this low is ink through any profile (0.8 is 204 of 255; white starts at 242). */
const PROFILE_INK = 0.8;

// pdf.js's DrawOPS codes (see graphics.ts).
const MOVE = 0;
const LINE = 1;
const CURVE = 2;
const CLOSE = 4;

/** One document's pages as pdf-lib reads them, loaded on first use. */
export class ContentRules {
  #bytes: Uint8Array;
  #pageCount: number;
  #pages: Promise<PDFPage[] | undefined> | undefined;

  /** `pageCount`: pdf.js's; pdf-lib must agree, or every page is left to the operator list. */
  constructor(bytes: Uint8Array, pageCount: number) {
    this.#bytes = bytes;
    this.#pageCount = pageCount;
  }

  /**
   * The rules of page `pageNumber` (1-based) in viewport space (`viewportTransform`: pdf.js's viewport
   * transform; `page`: the viewport's size in points), or `undefined` when they cannot be read here exactly
   * (see the module comment). Never throws.
   */
  async segments(
    pageNumber: number,
    viewportTransform: number[],
    page: { width: number; height: number },
  ): Promise<Segment[] | undefined> {
    const pages = await this.#load();
    const leaf = pages?.[pageNumber - 1];
    if (!leaf) return undefined;
    try {
      const contents = leaf.node.Contents();
      const streams = contents instanceof PDFArray ? contents.asArray() : contents ? [contents] : [];
      const parts: Uint8Array[] = [];
      for (const s of streams) {
        const stream = leaf.node.context.lookup(s);
        if (!(stream instanceof PDFRawStream)) return undefined;
        const bytes = decoded(stream);
        if (!bytes) return undefined;
        parts.push(bytes, NEWLINE);
      }
      const reader = new Reader(leaf.node.context, new SegmentSink(page));
      const ctm = viewportTransform.slice(0, 6) as Matrix;
      if (!reader.run(concat(parts), leaf.node.Resources(), { ctm, fill: 'ink', space: 'gray' }, 0)) return undefined;
      if (reader.sink.overBudget && reader.uncertainBudget) return undefined;
      return reader.sink.result();
    } catch {
      return undefined;
    }
  }

  /** True when the file could be parsed here (pages may still be left to pdf.js one by one). */
  async usable(): Promise<boolean> {
    return (await this.#load()) !== undefined;
  }

  #load(): Promise<PDFPage[] | undefined> {
    this.#pages ??=
      this.#bytes.length > MAX_PDF_BYTES
        ? Promise.resolve(undefined)
        : PDFDocument.load(this.#bytes, { ignoreEncryption: false, updateMetadata: false, throwOnInvalidObject: false })
            .then((doc) => {
              const pages = doc.getPages();
              return pages.length === this.#pageCount ? pages : undefined;
            })
            .catch(() => undefined);
    return this.#pages;
  }
}

const NEWLINE = new Uint8Array([10]);

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 2) return parts[0];
  return Buffer.concat(parts);
}

const FILTERS = new Set(['FlateDecode', 'Fl', 'ASCII85Decode', 'A85', 'ASCIIHexDecode', 'AHx', 'LZWDecode', 'LZW']);
FILTERS.add('RunLengthDecode').add('RL');

/**
 * A content or form stream's bytes: unfiltered, Flate (zlib), or a chain of Flate, LZW, ASCII85, ASCIIHex and
 * RunLength (pdf-lib's decoders) without decode parameters (no predictors); undefined otherwise.
 */
function decoded(stream: PDFRawStream): Uint8Array | undefined {
  const filter = stream.dict.lookup(PDFName.of('Filter'));
  const filters = filter instanceof PDFArray ? filter.asArray() : filter ? [filter] : [];
  if (filters.length === 0) return stream.contents;
  const names = filters.map((f) => (f instanceof PDFName ? f.decodeText() : ''));
  if (!names.every((n) => FILTERS.has(n)) || stream.dict.has(PDFName.of('DecodeParms'))) return undefined;
  try {
    if (names.length === 1 && (names[0] === 'FlateDecode' || names[0] === 'Fl'))
      return zlib.inflateSync(stream.contents, { maxOutputLength: MAX_CONTENT_BYTES });
    const bytes = decodePDFRawStream(stream).decode();
    return bytes.length <= MAX_CONTENT_BYTES ? bytes : undefined;
  } catch {
    return undefined; // damaged: pdf.js's own decoders decide what is left of it
  }
}

/** A fill colour as far as rules care: white (no rule), not white, or not known here. */
type Fill = 'white' | 'ink' | 'unknown';
/**
 * Fill colour spaces: the device spaces, calibrated and ICC-based ones by their component count (`…~`: judged
 * with a margin, as a profile moves colours a little), patterns (pdf.js sets no fill colour for them: the
 * previous one stays) and the rest (`other`: never judged).
 */
type Space = 'gray' | 'rgb' | 'cmyk' | 'gray~' | 'rgb~' | 'cmyk~' | 'pattern' | 'other';

interface State {
  ctm: Matrix;
  fill: Fill;
  space: Space;
}

/** A name operand, an other non-number operand, or a number. */
type Operand = number | { name: string } | null;

const OTHER = null;

/** Interprets content streams into a `SegmentSink`; `run` returns false when the page must go to pdf.js. */
class Reader {
  readonly sink: SegmentSink;
  #context: PDFDocument['context'];
  #forms = new Set<PDFObject>();
  #bytesRead = 0;

  constructor(context: PDFDocument['context'], sink: SegmentSink) {
    this.#context = context;
    this.sink = sink;
  }

  /** True when a fill of unknown colour was counted against the path budget as ink. */
  uncertainBudget = false;

  /**
   * Reads `data` from `start` (a page: the viewport transform, black fill, DeviceGray; a form: the caller's
   * state). False when the page must go to pdf.js. Stops early, true, once the page is over its path budget.
   */
  run(data: Uint8Array, resources: PDFDict | undefined, start: State, depth: number): boolean {
    this.#bytesRead += data.length;
    if (this.#bytesRead > MAX_CONTENT_BYTES) return false;
    let state: State = { ...start };
    const stack: State[] = [];
    let path: number[] = [];
    let cx = 0;
    let cy = 0;
    const operands: Operand[] = [];
    const lexer = new Lexer(data);
    /** The last `n` operands as numbers, or undefined when there are fewer or one is not a number. */
    const numbers = (n: number): number[] | undefined => {
      if (operands.length !== n) return undefined;
      return operands.every((o) => typeof o === 'number') ? (operands as number[]) : undefined;
    };
    const paint = (stroked: boolean, filled: boolean, close: boolean): boolean => {
      if (close) path.push(CLOSE);
      const data32 = Float32Array.from(path);
      path = [];
      if (!data32.length) return true;
      if (filled && state.fill === 'unknown') {
        // Whiteness decides the rules only for a fill that holds a box; otherwise it decides only whether the
        // path counts against the budget (counted here, and the page left to pdf.js if that tips it over).
        if (holdsRectangle(data32, state.ctm)) return false;
        this.uncertainBudget = true;
      }
      this.sink.path(data32, state.ctm, stroked, filled && state.fill !== 'white');
      return true;
    };
    for (;;) {
      const op = lexer.next(operands);
      if (op === undefined) break;
      if (!OPERATORS.has(op) || operands.length > 33) return false; // pdf.js reads these its own way
      let ok = true;
      switch (op) {
        case 'q':
          stack.push(state);
          state = { ...state };
          break;
        case 'Q':
          state = stack.pop() ?? state;
          break;
        case 'cm': {
          const m = numbers(6);
          if (!m) return false;
          state.ctm = multiply(state.ctm, m as Matrix);
          break;
        }
        case 'm':
        case 'l': {
          const p = numbers(2);
          if (!p) return false;
          [cx, cy] = p;
          path.push(op === 'm' ? MOVE : LINE, cx, cy);
          break;
        }
        case 'c': {
          const p = numbers(6);
          if (!p) return false;
          path.push(CURVE, ...p);
          [cx, cy] = [p[4], p[5]];
          break;
        }
        case 'v': {
          const p = numbers(4);
          if (!p) return false;
          path.push(CURVE, cx, cy, ...p);
          [cx, cy] = [p[2], p[3]];
          break;
        }
        case 'y': {
          const p = numbers(4);
          if (!p) return false;
          path.push(CURVE, p[0], p[1], p[2], p[3], p[2], p[3]);
          [cx, cy] = [p[2], p[3]];
          break;
        }
        case 'h':
          path.push(CLOSE);
          break;
        case 're': {
          const p = numbers(4);
          if (!p) return false;
          const [x, y, w, h] = p;
          [cx, cy] = [x, y];
          if (w === 0 || h === 0) path.push(MOVE, x, y, LINE, x + w, y + h, CLOSE);
          else path.push(MOVE, x, y, LINE, x + w, y, LINE, x + w, y + h, LINE, x, y + h, CLOSE);
          break;
        }
        case 'S':
          ok = paint(true, false, false);
          break;
        case 's':
          ok = paint(true, false, true);
          break;
        case 'f':
        case 'F':
        case 'f*':
          ok = paint(false, true, false);
          break;
        case 'B':
        case 'B*':
          ok = paint(true, true, false);
          break;
        case 'b':
        case 'b*':
          ok = paint(true, true, true);
          break;
        case 'n':
          path = [];
          break;
        case 'g':
        case 'rg':
        case 'k': {
          const space: Space = op === 'g' ? 'gray' : op === 'rg' ? 'rgb' : 'cmyk';
          const c = numbers(space === 'gray' ? 1 : space === 'rgb' ? 3 : 4);
          if (!c) return false;
          state.space = space;
          state.fill = fillOf(space, c);
          break;
        }
        case 'cs': {
          const name = operands.length === 1 ? operands[0] : OTHER;
          if (!name || typeof name !== 'object') return false;
          state.space = this.#space(name.name, resources);
          break;
        }
        case 'sc':
        case 'scn': {
          // A pattern, or operands that are not all numbers: pdf.js sets no RGB fill, the previous one stays. A
          // pattern pdf.js cannot find ends its reading of the page: it decides.
          if (state.space === 'pattern') {
            const name = operands[operands.length - 1];
            if (!name || typeof name !== 'object' || !this.#has('Pattern', name.name, resources)) return false;
            break;
          }
          if (!operands.length || !operands.every((o) => typeof o === 'number')) break;
          state.fill = fillOf(state.space, operands as number[]);
          break;
        }
        case 'Do': {
          const name = operands.length === 1 ? operands[0] : OTHER;
          if (!name || typeof name !== 'object') return false;
          ok = this.#xobject(name.name, resources, state, depth);
          break;
        }
        case 'gs': {
          // pdf.js draws a soft mask's group into the operator list where the mask is set, as a form.
          const name = operands.length === 1 ? operands[0] : OTHER;
          if (!name || typeof name !== 'object') return false;
          const mask = this.#softMask(name.name, resources);
          if (mask === false) return false;
          if (mask) ok = this.#form(mask, resources, state, depth);
          break;
        }
        case 'BI':
          lexer.skipInlineImage();
          break;
        default:
          break; // text, marked content, stroke colours, shadings, graphics-state parameters: no rules
      }
      if (!ok) return false;
      if (this.sink.overBudget) return !this.uncertainBudget;
      operands.length = 0;
    }
    return true;
  }

  /** The group (a form XObject) of the soft mask graphics state `name` sets; undefined for none, false if unreadable. */
  #softMask(name: string, resources: PDFDict | undefined): PDFRawStream | undefined | false {
    const states = resources?.lookup(PDFName.of('ExtGState'));
    const state = states instanceof PDFDict ? states.lookup(PDFName.of(name)) : undefined;
    if (!(state instanceof PDFDict)) return undefined;
    const mask = state.lookup(PDFName.of('SMask'));
    if (mask === undefined || (mask instanceof PDFName && mask.decodeText() === 'None')) return undefined;
    if (!(mask instanceof PDFDict)) return false;
    const group = mask.lookup(PDFName.of('G'));
    return group instanceof PDFRawStream ? group : false;
  }

  #has(category: string, name: string, resources: PDFDict | undefined): boolean {
    const entries = resources?.lookup(PDFName.of(category));
    return entries instanceof PDFDict && entries.has(PDFName.of(name));
  }

  #space(name: string, resources: PDFDict | undefined): Space {
    const device = deviceSpace(name);
    if (device) return device;
    const spaces = resources?.lookup(PDFName.of('ColorSpace'));
    const value = spaces instanceof PDFDict ? spaces.lookup(PDFName.of(name)) : undefined;
    if (value instanceof PDFName) return deviceSpace(value.decodeText()) ?? 'other';
    if (!(value instanceof PDFArray) || value.size() < 2) return 'other';
    const family = value.lookup(0);
    const kind = family instanceof PDFName ? family.decodeText() : '';
    if (kind === 'Pattern') return 'pattern';
    if (kind === 'CalGray') return 'gray~';
    if (kind === 'CalRGB') return 'rgb~';
    if (kind !== 'ICCBased') return 'other';
    const profile = value.lookup(1);
    const n = profile instanceof PDFRawStream ? profile.dict.lookup(PDFName.of('N')) : undefined;
    const count = n instanceof PDFNumber ? n.asNumber() : 0;
    return count === 1 ? 'gray~' : count === 3 ? 'rgb~' : count === 4 ? 'cmyk~' : 'other';
  }

  #xobject(name: string, resources: PDFDict | undefined, state: State, depth: number): boolean {
    const xobjects = resources?.lookup(PDFName.of('XObject'));
    const ref = xobjects instanceof PDFDict ? xobjects.get(PDFName.of(name)) : undefined;
    const xobject = ref instanceof PDFRef ? this.#context.lookup(ref) : ref;
    if (!(xobject instanceof PDFRawStream)) return false;
    const subtype = xobject.dict.lookup(PDFName.of('Subtype'));
    if (!(subtype instanceof PDFName)) return false;
    if (subtype.decodeText() !== 'Form') return true; // images draw no rules
    return this.#form(xobject, resources, state, depth);
  }

  /** A form XObject drawn in `state` (its /Matrix applied, its own /Resources or else the caller's). */
  #form(xobject: PDFRawStream, resources: PDFDict | undefined, state: State, depth: number): boolean {
    if (depth >= MAX_FORM_DEPTH || this.#forms.has(xobject)) return false;
    const matrix = xobject.dict.lookup(PDFName.of('Matrix'));
    let ctm = state.ctm;
    if (matrix instanceof PDFArray) {
      const m = matrix.asArray().map((v) => (v instanceof PDFNumber ? v.asNumber() : NaN));
      if (m.length !== 6 || !m.every(Number.isFinite)) return false;
      ctm = multiply(ctm, m as Matrix);
    }
    const data = decoded(xobject);
    if (!data) return false;
    const own = xobject.dict.lookup(PDFName.of('Resources'));
    this.#forms.add(xobject);
    // The form starts from the caller's state (its fill colour included) and leaves it unchanged.
    const ok = this.run(data, own instanceof PDFDict ? own : resources, { ...state, ctm }, depth + 1);
    this.#forms.delete(xobject);
    return ok;
  }
}

function deviceSpace(name: string): Space | undefined {
  if (name === 'DeviceGray' || name === 'G') return 'gray';
  if (name === 'DeviceRGB' || name === 'RGB') return 'rgb';
  if (name === 'DeviceCMYK' || name === 'CMYK') return 'cmyk';
  if (name === 'Pattern') return 'pattern';
  return undefined;
}

/**
 * Gray and RGB as pdf.js rounds them to 0–255 (white: every channel ≥ 242, `isWhite` in graphics.ts); CMYK white
 * only when blank and ink when clearly inked; through a profile (`…~`), white only at full value and ink only
 * with some component at most `PROFILE_INK`, unknown in between.
 */
function fillOf(space: Space, c: number[]): Fill {
  if (space === 'gray~' || space === 'rgb~') {
    const inks = c.slice(0, space === 'gray~' ? 1 : 3);
    if (inks.every((v) => v >= 1)) return 'white';
    return inks.some((v) => v <= PROFILE_INK) ? 'ink' : 'unknown';
  }
  if (space === 'gray' || space === 'rgb') {
    const n = space === 'gray' ? 1 : 3;
    if (c.length < n) return 'unknown';
    const bytes = Uint8ClampedArray.from(c.slice(0, n), (v) => v * 255);
    return bytes.every((b) => b >= 242) ? 'white' : 'ink';
  }
  if (space === 'cmyk' || space === 'cmyk~') {
    if (c.length < 4) return 'unknown';
    const inks = c.slice(0, 4);
    if (inks.every((v) => v <= 0)) return 'white';
    return inks.some((v) => v >= 0.2) ? 'ink' : 'unknown';
  }
  return 'unknown';
}

/** Every content-stream operator pdf.js knows (ISO 32000-1 Annex A); any other word sends the page to pdf.js. */
const OPERATORS = new Set(
  (
    'w J j M d ri i gs q Q cm m l c v y h re S s f F f* B B* b b* n W W* BT ET Tc Tw Tz TL Tf Tr Ts Td TD Tm T* ' +
    'Tj TJ \' " d0 d1 CS cs SC SCN sc scn G g RG rg K k sh BI ID EI Do MP DP BMC BDC EMC BX EX'
  ).split(' '),
);

const WHITE = new Uint8Array(256);
for (const c of [0, 9, 10, 12, 13, 32]) WHITE[c] = 1;
const DELIM = new Uint8Array(256);
for (const c of '()<>[]{}/%') DELIM[c.charCodeAt(0)] = 1;

/**
 * Content-stream tokens (ISO 32000-1 §7.2, §8.9.7): numbers and names as operands, strings, arrays and
 * dictionaries as one opaque operand each (`null`), keywords as operators. Byte by byte, without a string per
 * token: text pages are mostly strings and numbers, skipped or read in place.
 */
class Lexer {
  #d: Uint8Array;
  #i = 0;

  constructor(data: Uint8Array) {
    this.#d = data;
  }

  /** Pushes the operands before the next operator onto `out` and returns the operator; undefined at the end. */
  next(out: Operand[]): string | undefined {
    const d = this.#d;
    const n = d.length;
    for (;;) {
      this.#skipSpace();
      if (this.#i >= n) return undefined;
      const c = d[this.#i];
      if (c === 0x28 /* ( */) {
        this.#skipString();
        out.push(OTHER);
      } else if (c === 0x3c /* < */) {
        if (d[this.#i + 1] === 0x3c) this.#skipNested(0x3c, 0x3e, 2);
        else this.#skipHex();
        out.push(OTHER);
      } else if (c === 0x5b /* [ */) {
        this.#skipNested(0x5b, 0x5d, 1);
        out.push(OTHER);
      } else if (c === 0x2f /* / */) {
        this.#i++;
        const start = this.#i;
        this.#skipWord();
        out.push({ name: latin1(d, start, this.#i) });
      } else if (DELIM[c]) {
        this.#i++; // a stray closing delimiter
      } else if ((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e) {
        out.push(this.#number());
      } else {
        const start = this.#i;
        this.#skipWord();
        const word = latin1(d, start, this.#i);
        if (word === 'true' || word === 'false' || word === 'null') out.push(OTHER);
        else return word;
      }
    }
  }

  /** A number (`[+-]digits[.digits]`); any other word starting like one is an opaque operand. */
  #number(): number | null {
    const d = this.#d;
    const start = this.#i;
    let i = start;
    let sign = 1;
    if (d[i] === 0x2b || d[i] === 0x2d) {
      if (d[i] === 0x2d) sign = -1;
      i++;
    }
    // All digits in one integer, divided once by the fraction's power of ten: pdf.js's lexer reads them so.
    let value = 0;
    let digits = 0;
    let divideBy = 1;
    let point = false;
    for (; i < d.length; i++) {
      const c = d[i];
      if (c >= 0x30 && c <= 0x39) {
        value = value * 10 + (c - 0x30);
        digits++;
        if (point) divideBy *= 10;
      } else if (c === 0x2e && !point) point = true;
      else break;
    }
    if (digits && isEnd(d, i)) {
      this.#i = i;
      return (sign * value) / divideBy;
    }
    this.#i = start;
    this.#skipWord();
    return OTHER;
  }

  /** After `BI`: past the image's `ID`, its data and the `EI` that ends it. */
  skipInlineImage(): void {
    const d = this.#d;
    let i = this.#i;
    // The dictionary up to `ID` (keys and values are names, numbers and arrays: no `ID` inside).
    while (i + 1 < d.length && !(d[i] === 0x49 && d[i + 1] === 0x44 && WHITE[d[i - 1]] && isEnd(d, i + 2))) i++;
    i += 3;
    while (i + 1 < d.length && !(WHITE[d[i - 1]] && d[i] === 0x45 && d[i + 1] === 0x49 && isEnd(d, i + 2))) i++;
    this.#i = i + 2;
  }

  #skipSpace() {
    const d = this.#d;
    while (this.#i < d.length) {
      const c = d[this.#i];
      if (WHITE[c]) this.#i++;
      else if (c === 0x25 /* % */) {
        while (this.#i < d.length && d[this.#i] !== 10 && d[this.#i] !== 13) this.#i++;
      } else break;
    }
  }

  #skipWord() {
    const d = this.#d;
    const start = this.#i;
    while (this.#i < d.length && !WHITE[d[this.#i]] && !DELIM[d[this.#i]]) this.#i++;
    if (this.#i === start) this.#i++;
  }

  #skipString() {
    const d = this.#d;
    let depth = 0;
    while (this.#i < d.length) {
      const c = d[this.#i++];
      if (c === 0x5c /* \ */) this.#i++;
      else if (c === 0x28) depth++;
      else if (c === 0x29 && --depth === 0) return;
    }
  }

  #skipHex() {
    const d = this.#d;
    while (this.#i < d.length && d[this.#i] !== 0x3e) this.#i++;
    this.#i++;
  }

  /** Skips a bracketed operand (`[…]`, `<<…>>`), strings inside included. */
  #skipNested(open: number, close: number, width: number) {
    const d = this.#d;
    let depth = 0;
    while (this.#i < d.length) {
      const c = d[this.#i];
      if (c === 0x28) {
        this.#skipString();
        continue;
      }
      if (c === open && (width === 1 || d[this.#i + 1] === open)) {
        depth++;
        this.#i += width;
        continue;
      }
      if (c === close && (width === 1 || d[this.#i + 1] === close)) {
        this.#i += width;
        if (--depth === 0) return;
        continue;
      }
      if (width === 2 && c === 0x3c) {
        this.#skipHex();
        continue;
      }
      this.#i++;
    }
  }
}

function isEnd(d: Uint8Array, i: number): boolean {
  return i >= d.length || WHITE[d[i]] === 1 || DELIM[d[i]] === 1;
}

function latin1(d: Uint8Array, start: number, end: number): string {
  if (end - start === 1) return String.fromCharCode(d[start]);
  if (end - start === 2) return String.fromCharCode(d[start], d[start + 1]);
  if (end - start === 3) return String.fromCharCode(d[start], d[start + 1], d[start + 2]);
  // apply, not spread: spreading a typed array goes through its iterator (profiled: most of this function's time).
  return String.fromCharCode.apply(null, d.subarray(start, Math.min(end, start + 4096)) as unknown as number[]);
}
