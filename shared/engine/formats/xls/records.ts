/**
 * BIFF8 record plumbing: the record stream of a `Workbook` stream, and the string forms BIFF8 uses.
 * Every read is bounds-checked against its record; a record that lies about its length ends the stream.
 */
import { corrupt } from '../../errors.ts';

export const RT = {
  FORMULA: 0x0006,
  NOTE: 0x001c,
  EXTERNSHEET: 0x0017,
  OBJ: 0x005d,
  MSODRAWING: 0x00ec,
  TXO: 0x01b6,
  EOF: 0x000a,
  DATEMODE: 0x0022,
  FILEPASS: 0x002f,
  CONTINUE: 0x003c,
  COLINFO: 0x007d,
  BOUNDSHEET: 0x0085,
  MULRK: 0x00bd,
  XF: 0x00e0,
  MERGEDCELLS: 0x00e5,
  SST: 0x00fc,
  LABELSST: 0x00fd,
  RSTRING: 0x00d6,
  NUMBER: 0x0203,
  ROW: 0x0208,
  LABEL: 0x0204,
  BOOLERR: 0x0205,
  STRING: 0x0207,
  RK: 0x027e,
  FORMAT: 0x041e,
  BOF: 0x0809,
} as const;

export interface BiffRecord {
  type: number;
  /** Offset of the record header in the stream (BOUNDSHEET positions point at these). */
  offset: number;
  data: Uint8Array;
  view: DataView;
}

/** Records from `start` on, in order, until the stream or a damaged header ends. */
export function* records(stream: Uint8Array, start = 0): Generator<BiffRecord> {
  let p = start;
  while (p + 4 <= stream.length) {
    const type = stream[p] | (stream[p + 1] << 8);
    const length = stream[p + 2] | (stream[p + 3] << 8);
    if (p + 4 + length > stream.length) return;
    const data = stream.subarray(p + 4, p + 4 + length);
    yield { type, offset: p, data, view: new DataView(data.buffer, data.byteOffset, data.byteLength) };
    p += 4 + length;
  }
}

const utf16 = new TextDecoder('utf-16le');
const latin1 = new TextDecoder('latin1');

/**
 * BIFF8 characters: "compressed" strings store only the low byte of each UTF-16 unit (so code points
 * 0–255, i.e. Latin-1), the others full UTF-16LE.
 */
export function decodeChars(bytes: Uint8Array, highByte: boolean): string {
  return highByte ? utf16.decode(bytes) : latin1.decode(bytes);
}

/**
 * Reader over a record and its CONTINUE records as one byte sequence, except that a string's characters
 * restart with a fresh option byte at each CONTINUE boundary (how BIFF8 splits long strings in the SST).
 */
export class ContinuedReader {
  private readonly parts: Uint8Array[];
  private part = 0;
  private pos = 0;

  constructor(parts: Uint8Array[]) {
    this.parts = parts;
  }

  get exhausted(): boolean {
    while (this.part < this.parts.length && this.pos >= this.parts[this.part].length) {
      this.part++;
      this.pos = 0;
    }
    return this.part >= this.parts.length;
  }

  byte(): number {
    if (this.exhausted) throw corrupt('SST record ends inside a string');
    return this.parts[this.part][this.pos++];
  }

  u16(): number {
    return this.byte() | (this.byte() << 8);
  }

  u32(): number {
    return (this.u16() | (this.u16() << 16)) >>> 0;
  }

  skip(n: number): void {
    let left = n;
    while (left > 0) {
      if (this.exhausted) throw corrupt('SST record ends inside a string');
      const take = Math.min(left, this.parts[this.part].length - this.pos);
      this.pos += take;
      left -= take;
    }
  }

  /** `count` characters, picking up a new option byte at every CONTINUE boundary. */
  chars(count: number, highByte: boolean): string {
    let out = '';
    let left = count;
    let high = highByte;
    while (left > 0) {
      if (this.pos >= this.parts[this.part]?.length) {
        this.part++;
        this.pos = 0;
        if (this.part >= this.parts.length) throw corrupt('SST record ends inside a string');
        high = (this.parts[this.part][this.pos++] & 0x01) !== 0;
        continue;
      }
      const current = this.parts[this.part];
      const width = high ? 2 : 1;
      const fit = Math.min(left, Math.floor((current.length - this.pos) / width));
      if (fit === 0) throw corrupt('SST string splits inside a character');
      out += decodeChars(current.subarray(this.pos, this.pos + fit * width), high);
      this.pos += fit * width;
      left -= fit;
    }
    return out;
  }
}

/** XLUnicodeRichExtendedString (SST entries): characters, then rich-text runs and phonetic data to skip. */
export function readRichString(r: ContinuedReader): string {
  const count = r.u16();
  const flags = r.byte();
  const runs = flags & 0x08 ? r.u16() : 0;
  const ext = flags & 0x04 ? r.u32() : 0;
  const value = r.chars(count, (flags & 0x01) !== 0);
  r.skip(runs * 4 + ext);
  return value;
}

/** XLUnicodeString (LABEL, STRING, FORMAT): 16-bit count, option byte, characters; undefined if it overruns. */
export function readUnicodeString(data: Uint8Array, at: number, countBytes: 1 | 2 = 2): string | undefined {
  if (at + countBytes + 1 > data.length) return undefined;
  const count = countBytes === 2 ? data[at] | (data[at + 1] << 8) : data[at];
  const flags = data[at + countBytes];
  const width = flags & 0x01 ? 2 : 1;
  let p = at + countBytes + 1;
  if (flags & 0x08) p += 2;
  if (flags & 0x04) p += 4;
  const end = Math.min(data.length, p + count * width);
  return decodeChars(data.subarray(p, end - ((end - p) % width)), width === 2);
}

/** An RK number: a 30-bit integer or the top 30 bits of a double, optionally divided by 100. */
export function decodeRk(rk: number): number {
  let value: number;
  if (rk & 0x02) {
    value = rk >> 2;
  } else {
    const buf = new DataView(new ArrayBuffer(8));
    buf.setUint32(4, rk & 0xfffffffc, true);
    value = buf.getFloat64(0, true);
  }
  return rk & 0x01 ? value / 100 : value;
}
