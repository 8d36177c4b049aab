/**
 * A ZIP reader for OOXML and EPUB that never trusts header sizes: entries are inflated with zlib's
 * `maxOutputLength`, so a bomb stops at the cap instead of after it has filled memory. Nothing touches disk.
 */
import { inflateRawSync } from 'node:zlib';
import { ConversionError, corrupt, tooLarge } from './errors.ts';

export interface ZipLimits {
  maxEntryBytes: number;
  maxInflatedBytes: number;
  maxEntries?: number;
}

interface Entry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  localHeaderOffset: number;
}

export class ZipArchive {
  private readonly entries = new Map<string, Entry>();
  private inflated = 0;

  private readonly bytes: Uint8Array;
  private readonly limits: ZipLimits;

  constructor(bytes: Uint8Array, limits: ZipLimits) {
    this.bytes = bytes;
    this.limits = limits;
    this.readCentralDirectory();
  }

  /** Entry names in archive order. */
  names(): string[] {
    return [...this.entries.keys()];
  }

  has(name: string): boolean {
    return this.entries.has(normalizeName(name));
  }

  /** Raw bytes of an entry, or undefined if absent. Throws `too_large` past the inflation caps. */
  read(name: string): Uint8Array | undefined {
    const entry = this.entries.get(normalizeName(name));
    if (!entry) return undefined;
    if (entry.flags & 0x1) throw new ConversionError('encrypted', `ZIP entry ${entry.name} is encrypted`);
    const view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
    const at = entry.localHeaderOffset;
    if (at + 30 > this.bytes.length || view.getUint32(at, true) !== 0x04034b50)
      throw corrupt(`bad local header for ${entry.name}`);
    const nameLength = view.getUint16(at + 26, true);
    const extraLength = view.getUint16(at + 28, true);
    const start = at + 30 + nameLength + extraLength;
    const end = start + entry.compressedSize;
    if (end > this.bytes.length) throw corrupt(`ZIP entry ${entry.name} is truncated`);
    const data = this.bytes.subarray(start, end);
    const budget = Math.min(this.limits.maxEntryBytes, this.limits.maxInflatedBytes - this.inflated);
    let out: Uint8Array;
    if (entry.method === 0) {
      out = data;
    } else if (entry.method === 8) {
      try {
        out = inflateRawSync(data, { maxOutputLength: Math.max(1, budget) });
      } catch (error) {
        if (error instanceof RangeError || (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
          throw tooLarge(`ZIP entry ${entry.name} inflates past the ${budget}-byte limit`);
        }
        throw corrupt(`ZIP entry ${entry.name} cannot be inflated: ${(error as Error).message}`, error);
      }
    } else {
      throw corrupt(`ZIP entry ${entry.name} uses unsupported compression method ${entry.method}`);
    }
    if (out.length > budget) throw tooLarge(`ZIP entry ${entry.name} inflates past the ${budget}-byte limit`);
    this.inflated += out.length;
    return out;
  }

  /** Entry as UTF-8 (BOM stripped), or undefined. */
  text(name: string): string | undefined {
    const data = this.read(name);
    if (!data) return undefined;
    return decodeXmlBytes(data);
  }

  private readCentralDirectory(): void {
    const b = this.bytes;
    const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    // The end-of-central-directory record sits in the last 64 KiB + 22 bytes.
    let eocd = -1;
    for (let i = b.length - 22; i >= Math.max(0, b.length - 22 - 0xffff); i--) {
      if (view.getUint32(i, true) === 0x06054b50) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw corrupt('not a ZIP archive (no end of central directory)');
    let count = view.getUint16(eocd + 10, true);
    let offset = view.getUint32(eocd + 16, true);
    if (offset === 0xffffffff || count === 0xffff) {
      const locator = eocd - 20;
      if (locator >= 0 && view.getUint32(locator, true) === 0x07064b50) {
        const zip64 = Number(view.getBigUint64(locator + 8, true));
        if (zip64 + 56 <= b.length && view.getUint32(zip64, true) === 0x06064b50) {
          count = Number(view.getBigUint64(zip64 + 32, true));
          offset = Number(view.getBigUint64(zip64 + 48, true));
        }
      }
    }
    const maxEntries = this.limits.maxEntries ?? 20000;
    if (count > maxEntries) throw tooLarge(`ZIP archive has ${count} entries (limit ${maxEntries})`);
    let p = offset;
    const decoder = new TextDecoder('utf-8');
    for (let i = 0; i < count; i++) {
      if (p + 46 > b.length || view.getUint32(p, true) !== 0x02014b50)
        throw corrupt('ZIP central directory is damaged');
      const flags = view.getUint16(p + 8, true);
      const method = view.getUint16(p + 10, true);
      let compressedSize = view.getUint32(p + 20, true);
      const nameLength = view.getUint16(p + 28, true);
      const extraLength = view.getUint16(p + 30, true);
      const commentLength = view.getUint16(p + 32, true);
      let localHeaderOffset = view.getUint32(p + 42, true);
      const name = decoder.decode(b.subarray(p + 46, p + 46 + nameLength));
      // ZIP64 extra field carries the real sizes when the 32-bit ones are saturated.
      if (compressedSize === 0xffffffff || localHeaderOffset === 0xffffffff) {
        let e = p + 46 + nameLength;
        const extraEnd = e + extraLength;
        while (e + 4 <= extraEnd) {
          const id = view.getUint16(e, true);
          const size = view.getUint16(e + 2, true);
          if (id === 0x0001) {
            let q = e + 4;
            if (view.getUint32(p + 24, true) === 0xffffffff) q += 8;
            if (compressedSize === 0xffffffff) {
              compressedSize = Number(view.getBigUint64(q, true));
              q += 8;
            }
            if (localHeaderOffset === 0xffffffff) localHeaderOffset = Number(view.getBigUint64(q, true));
          }
          e += 4 + size;
        }
      }
      this.entries.set(normalizeName(name), { name, method, flags, compressedSize, localHeaderOffset });
      p += 46 + nameLength + extraLength + commentLength;
    }
  }
}

function normalizeName(name: string): string {
  return name.replace(/\\/g, '/').replace(/^\/+/, '');
}

/** Decode an XML part: honour a UTF-16 BOM, otherwise UTF-8. */
export function decodeXmlBytes(data: Uint8Array): string {
  if (data[0] === 0xff && data[1] === 0xfe) return new TextDecoder('utf-16le').decode(data.subarray(2));
  if (data[0] === 0xfe && data[1] === 0xff) return new TextDecoder('utf-16be').decode(data.subarray(2));
  return new TextDecoder('utf-8').decode(data).replace(/^\ufeff/, '');
}

/** Resolve a relationship target against the part that refers to it (`word/document.xml` + `media/a.png`). */
export function resolvePartPath(fromPart: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const base = fromPart.split('/').slice(0, -1);
  for (const seg of target.split('/')) {
    if (seg === '..') base.pop();
    else if (seg !== '.' && seg !== '') base.push(seg);
  }
  return base.join('/');
}
