/**
 * Compound files whose headers lie: every chain walker keeps a visited set and no allocation follows a declared
 * size past what the bytes hold, so each ends in a typed `corrupt` error (or a bounded read), never a stall.
 */
import { openCfb } from '../../shared/engine/cfb.ts';
import { buildCfb } from '../fixtures/xls.ts';

const stream = (name: string, size: number) => ({ name, data: new Uint8Array(size).fill(0x41) });

function patched(edit: (view: DataView, bytes: Uint8Array) => void): Uint8Array {
  const bytes = buildCfb([stream('Workbook', 5000), stream('Small', 100)]);
  edit(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), bytes);
  return bytes;
}

describe('compound file reader on forged headers', () => {
  test('the fixture itself reads back', () => {
    // The fixture writer pads every stream to whole sectors (at least 4096 bytes) and declares that size.
    const cfb = openCfb(patched(() => {}));
    expect(cfb.read('Workbook')!.subarray(0, 5000)).toEqual(new Uint8Array(5000).fill(0x41));
    expect(cfb.read('Small')!.subarray(0, 100)).toEqual(new Uint8Array(100).fill(0x41));
  });

  test('a DIFAT chain that points at itself, with 2^32 FAT sectors declared, is refused', () => {
    const bytes = patched((v) => {
      v.setUint32(44, 0xffffffff, true); // FAT sectors
      v.setUint32(68, 0, true); // first DIFAT sector: sector 0
      v.setUint32(72, 0xffffffff, true); // DIFAT sectors
      v.setUint32(512 + 512 - 4, 0, true); // sector 0's "next DIFAT" → itself
    });
    expect(() => openCfb(bytes)).toThrow(expect.objectContaining({ code: 'corrupt' }));
  });

  test('a DIFAT loop through two sectors is refused', () => {
    const bytes = patched((v) => {
      v.setUint32(44, 0xffffffff, true);
      v.setUint32(68, 0, true);
      v.setUint32(72, 1000, true);
      v.setUint32(512 + 512 - 4, 1, true); // 0 → 1
      v.setUint32(1024 + 512 - 4, 0, true); // 1 → 0
    });
    expect(() => openCfb(bytes)).toThrow(expect.objectContaining({ code: 'corrupt' }));
  });

  test('a mini-stream cutoff of 4 GB and a stream claiming 4 GB read only what the file holds', () => {
    const bytes = patched((v, b) => {
      v.setUint32(56, 0xffffffff, true); // every stream is "mini"
      // Directory entry sizes: find "Small" and claim 4 GB.
      const dirStart = (v.getUint32(48, true) + 1) * 512;
      for (let off = dirStart; off < dirStart + 512; off += 128) {
        const name = new TextDecoder('utf-16le').decode(b.subarray(off, off + 10));
        if (name === 'Small') v.setUint32(off + 120, 0xffffffff, true);
      }
    });
    const small = openCfb(bytes).read('Small');
    expect(small!.length).toBeLessThan(bytes.length);
  });

  test('a mini sector size other than 64 bytes is refused', () => {
    expect(() => openCfb(patched((v) => v.setUint16(32, 30, true)))).toThrow(
      expect.objectContaining({ code: 'corrupt' }),
    );
  });
});
