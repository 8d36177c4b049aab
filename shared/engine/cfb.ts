/**
 * Minimal reader for OLE Compound File Binary (the container of .xls and encrypted Office files):
 * directory listing and stream extraction. Layout per [MS-CFB] (https://learn.microsoft.com/openspecs/windows_protocols/ms-cfb).
 *
 * Every chain walker (DIFAT, FAT, MiniFAT, directory) keeps a visited set and every allocation is bounded by
 * the file's own size, so a hostile header (a DIFAT chain that points at itself, a sector count of 2^32, a
 * mini-stream cutoff of 4 GB) costs time and memory linear in the input and ends in a typed `corrupt` error.
 */
import { corrupt } from './errors.ts';

const ENDOFCHAIN = 0xfffffffe;
const FREESECT = 0xffffffff;
/** FAT sector numbers held in the header itself; the rest live in the DIFAT chain. */
const HEADER_DIFAT_SLOTS = 109;
const DIR_ENTRY_BYTES = 128;
/** Directory entry types ([MS-CFB] 2.6.1). */
const STREAM = 2;
const ROOT = 5;

interface DirEntry {
  name: string;
  type: number;
  start: number;
  size: number;
}

export interface Cfb {
  entries: DirEntry[];
  read(name: string): Uint8Array | undefined;
}

interface Header {
  sectorSize: number;
  miniSize: number;
  numFatSectors: number;
  firstDir: number;
  miniCutoff: number;
  firstMiniFat: number;
  firstDifat: number;
  /** Sectors the file really holds (after the header sector). */
  sectorCount: number;
}

export function listCfbStreams(bytes: Uint8Array): string[] {
  return openCfb(bytes)
    .entries.filter((e) => e.type === STREAM)
    .map((e) => e.name);
}

/**
 * Opens a compound file held in memory.
 * @throws ConversionError `corrupt` for a header, chain or directory that is out of range, loops, or lies about sizes.
 */
export function openCfb(bytes: Uint8Array): Cfb {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const header = readHeader(bytes, view);
  const sectors = new SectorReader(bytes, header, readFat(view, header));
  const entries = readDirectory(sectors.readChain(header.firstDir));
  const rootEntry = entries.find((e) => e.type === ROOT);
  let mini: MiniStream | undefined;

  return {
    entries,
    read(name: string) {
      const entry = entries.find((e) => e.type === STREAM && e.name.toLowerCase() === name.toLowerCase());
      if (!entry) return undefined;
      if (entry.size >= header.miniCutoff || !rootEntry) return sectors.readChain(entry.start, entry.size);
      mini ??= new MiniStream(sectors, header, rootEntry);
      return mini.read(entry);
    },
  };
}

function readHeader(bytes: Uint8Array, view: DataView): Header {
  if (bytes.length < 512) throw corrupt('compound file too short');
  const sectorShift = view.getUint16(30, true);
  if (sectorShift !== 9 && sectorShift !== 12) throw corrupt('bad compound file sector size');
  // The mini sector is always 64 bytes ([MS-CFB] 2.2); anything else is a forged header.
  if (view.getUint16(32, true) !== 6) throw corrupt('bad compound file mini sector size');
  const sectorSize = 1 << sectorShift;
  return {
    sectorSize,
    miniSize: 64,
    numFatSectors: view.getUint32(44, true),
    firstDir: view.getUint32(48, true),
    miniCutoff: view.getUint32(56, true),
    firstMiniFat: view.getUint32(60, true),
    firstDifat: view.getUint32(68, true),
    sectorCount: Math.max(0, Math.ceil((bytes.length - sectorSize) / sectorSize)),
  };
}

/** The FAT sector numbers: the header's 109 slots, then the DIFAT chain, walked once with a visited set. */
function fatSectorList(view: DataView, h: Header): number[] {
  // A file cannot have more FAT sectors than sectors: the declared count is bounded by what the bytes hold.
  const wanted = Math.min(h.numFatSectors, h.sectorCount);
  const list: number[] = [];
  for (let i = 0; i < HEADER_DIFAT_SLOTS && list.length < wanted; i++) list.push(view.getUint32(76 + i * 4, true));
  const perSector = h.sectorSize / 4 - 1;
  const seen = new Set<number>();
  for (let d = h.firstDifat; list.length < wanted && d !== ENDOFCHAIN && d !== FREESECT;) {
    if (d >= h.sectorCount || seen.has(d)) throw corrupt('bad DIFAT chain in compound file');
    seen.add(d);
    const off = (d + 1) * h.sectorSize;
    for (let i = 0; i < perSector && list.length < wanted; i++) list.push(view.getUint32(off + i * 4, true));
    d = view.getUint32(off + h.sectorSize - 4, true);
  }
  return list;
}

function readFat(view: DataView, h: Header): Uint32Array {
  const list = fatSectorList(view, h);
  const perSector = h.sectorSize / 4;
  const fat = new Uint32Array(list.length * perSector);
  list.forEach((s, i) => {
    if (s >= h.sectorCount) throw corrupt('FAT sector out of range in compound file');
    const off = (s + 1) * h.sectorSize;
    for (let j = 0; j < perSector; j++) fat[i * perSector + j] = view.getUint32(off + j * 4, true);
  });
  return fat;
}

/** Reads sector chains through the FAT. */
class SectorReader {
  private readonly bytes: Uint8Array;
  private readonly h: Header;
  private readonly fat: Uint32Array;

  constructor(bytes: Uint8Array, h: Header, fat: Uint32Array) {
    this.bytes = bytes;
    this.h = h;
    this.fat = fat;
  }

  chain(start: number): number[] {
    const out: number[] = [];
    const seen = new Set<number>();
    for (let s = start; s !== ENDOFCHAIN && s !== FREESECT; s = this.fat[s]) {
      if (s >= this.h.sectorCount || s >= this.fat.length || seen.has(s)) {
        throw corrupt('broken sector chain in compound file');
      }
      seen.add(s);
      out.push(s);
    }
    return out;
  }

  /** The chain's bytes, cut to `size` when given (never longer than the chain itself). */
  readChain(start: number, size?: number): Uint8Array {
    const { sectorSize } = this.h;
    const sectors = this.chain(start);
    const out = new Uint8Array(sectors.length * sectorSize);
    sectors.forEach((s, i) => {
      const off = (s + 1) * sectorSize;
      out.set(this.bytes.subarray(off, off + sectorSize), i * sectorSize);
    });
    return size === undefined ? out : out.subarray(0, Math.min(size, out.length));
  }
}

function readDirectory(dir: Uint8Array): DirEntry[] {
  const dv = new DataView(dir.buffer, dir.byteOffset, dir.byteLength);
  const utf16 = new TextDecoder('utf-16le');
  const entries: DirEntry[] = [];
  for (let off = 0; off + DIR_ENTRY_BYTES <= dir.length; off += DIR_ENTRY_BYTES) {
    const type = dir[off + 66];
    if (type === 0) continue;
    const nameLen = dv.getUint16(off + 64, true);
    const name = utf16.decode(dir.subarray(off, off + Math.max(0, Math.min(64, nameLen) - 2)));
    entries.push({ name, type, start: dv.getUint32(off + 116, true), size: dv.getUint32(off + 120, true) });
  }
  return entries;
}

/** Small streams (under the cutoff) live in 64-byte mini sectors inside the root entry's stream. */
class MiniStream {
  private readonly stream: Uint8Array;
  private readonly fat: Uint32Array;
  private readonly h: Header;

  constructor(sectors: SectorReader, h: Header, root: DirEntry) {
    this.h = h;
    this.stream = sectors.readChain(root.start, root.size);
    const raw = h.firstMiniFat === ENDOFCHAIN ? new Uint8Array(0) : sectors.readChain(h.firstMiniFat);
    this.fat = new Uint32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length - (raw.length % 4)));
  }

  read(entry: DirEntry): Uint8Array {
    // A stream cannot be longer than the mini stream that holds it: the declared size never drives an allocation.
    const out = new Uint8Array(Math.min(entry.size, this.stream.length));
    const seen = new Set<number>();
    let pos = 0;
    for (let s = entry.start; s !== ENDOFCHAIN && pos < out.length; s = this.fat[s]) {
      if (s >= this.fat.length || seen.has(s)) throw corrupt('broken mini-stream chain in compound file');
      seen.add(s);
      const at = s * this.h.miniSize;
      const chunk = this.stream.subarray(at, at + Math.min(this.h.miniSize, out.length - pos));
      if (chunk.length === 0) throw corrupt('mini-stream sector out of range in compound file');
      out.set(chunk, pos);
      pos += chunk.length;
    }
    return out.subarray(0, pos);
  }
}
