/**
 * Minimal reader for OLE Compound File Binary (the container of .xls and encrypted Office files):
 * directory listing and stream extraction, with loop and bounds checks on every chain.
 */
import { corrupt } from './errors.ts';

const ENDOFCHAIN = 0xfffffffe;
const FREESECT = 0xffffffff;

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

export function listCfbStreams(bytes: Uint8Array): string[] {
  return openCfb(bytes)
    .entries.filter((e) => e.type === 2)
    .map((e) => e.name);
}

export function openCfb(bytes: Uint8Array): Cfb {
  if (bytes.length < 512) throw corrupt('compound file too short');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const sectorShift = view.getUint16(30, true);
  const miniShift = view.getUint16(32, true);
  if (sectorShift !== 9 && sectorShift !== 12) throw corrupt('bad compound file sector size');
  const sectorSize = 1 << sectorShift;
  const miniSize = 1 << miniShift;
  const numFatSectors = view.getUint32(44, true);
  const firstDir = view.getUint32(48, true);
  const miniCutoff = view.getUint32(56, true);
  const firstMiniFat = view.getUint32(60, true);
  const firstDifat = view.getUint32(68, true);
  const numDifat = view.getUint32(72, true);
  const sectorCount = Math.ceil((bytes.length - sectorSize) / sectorSize);
  const sectorOffset = (s: number) => (s + 1) * sectorSize;

  // DIFAT: the first 109 FAT sector numbers live in the header, the rest in a chain.
  const fatSectors: number[] = [];
  for (let i = 0; i < 109 && fatSectors.length < numFatSectors; i++) fatSectors.push(view.getUint32(76 + i * 4, true));
  let d = firstDifat;
  for (let n = 0; n < numDifat && d !== ENDOFCHAIN && d !== FREESECT; n++) {
    if (d >= sectorCount) throw corrupt('bad DIFAT chain');
    const off = sectorOffset(d);
    for (let i = 0; i < sectorSize / 4 - 1 && fatSectors.length < numFatSectors; i++)
      fatSectors.push(view.getUint32(off + i * 4, true));
    d = view.getUint32(off + sectorSize - 4, true);
  }
  const fat = new Uint32Array(fatSectors.length * (sectorSize / 4));
  fatSectors.forEach((s, i) => {
    if (s >= sectorCount) throw corrupt('FAT sector out of range');
    const off = sectorOffset(s);
    for (let j = 0; j < sectorSize / 4; j++) fat[i * (sectorSize / 4) + j] = view.getUint32(off + j * 4, true);
  });

  const chain = (start: number): number[] => {
    const out: number[] = [];
    const seen = new Set<number>();
    for (let s = start; s !== ENDOFCHAIN && s !== FREESECT; s = fat[s]) {
      if (s >= sectorCount || s >= fat.length || seen.has(s)) throw corrupt('broken sector chain in compound file');
      seen.add(s);
      out.push(s);
    }
    return out;
  };
  const readChain = (start: number, size?: number): Uint8Array => {
    const sectors = chain(start);
    const out = new Uint8Array(sectors.length * sectorSize);
    sectors.forEach((s, i) => out.set(bytes.subarray(sectorOffset(s), sectorOffset(s) + sectorSize), i * sectorSize));
    return size === undefined ? out : out.subarray(0, Math.min(size, out.length));
  };

  const dir = readChain(firstDir);
  const dv = new DataView(dir.buffer, dir.byteOffset, dir.byteLength);
  const entries: DirEntry[] = [];
  for (let off = 0; off + 128 <= dir.length; off += 128) {
    const nameLen = dv.getUint16(off + 64, true);
    const type = dir[off + 66];
    if (type === 0) continue;
    const name = new TextDecoder('utf-16le').decode(dir.subarray(off, off + Math.max(0, Math.min(64, nameLen) - 2)));
    entries.push({ name, type, start: dv.getUint32(off + 116, true), size: dv.getUint32(off + 120, true) });
  }
  const rootEntry = entries.find((e) => e.type === 5);
  let miniStream: Uint8Array | undefined;
  let miniFat: Uint32Array | undefined;

  return {
    entries,
    read(name: string) {
      const entry = entries.find((e) => e.type === 2 && e.name.toLowerCase() === name.toLowerCase());
      if (!entry) return undefined;
      if (entry.size >= miniCutoff || !rootEntry) return readChain(entry.start, entry.size);
      miniStream ??= readChain(rootEntry.start, rootEntry.size);
      if (!miniFat) {
        const raw = firstMiniFat === ENDOFCHAIN ? new Uint8Array(0) : readChain(firstMiniFat);
        miniFat = new Uint32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length - (raw.length % 4)));
      }
      const out = new Uint8Array(entry.size);
      const seen = new Set<number>();
      let pos = 0;
      for (let s = entry.start; s !== ENDOFCHAIN && pos < entry.size; s = miniFat[s]) {
        if (s >= miniFat.length || seen.has(s)) throw corrupt('broken mini-stream chain in compound file');
        seen.add(s);
        const chunk = miniStream.subarray(s * miniSize, s * miniSize + Math.min(miniSize, entry.size - pos));
        out.set(chunk, pos);
        pos += chunk.length;
      }
      return out;
    },
  };
}
