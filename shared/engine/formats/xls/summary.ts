/**
 * The document title from the OLE `\x05SummaryInformation` property set (PIDSI_TITLE), the .xls counterpart of
 * `docProps/core.xml`. Every offset is checked; anything odd yields no title rather than an error.
 */
const PIDSI_CODEPAGE = 1;
const PIDSI_TITLE = 2;
const VT_LPSTR = 0x1e;
const VT_LPWSTR = 0x1f;
const MAX_TITLE_BYTES = 64 * 1024;

export function readSummaryTitle(stream: Uint8Array | undefined): string | undefined {
  if (!stream || stream.length < 48) return undefined;
  const view = new DataView(stream.buffer, stream.byteOffset, stream.byteLength);
  if (view.getUint16(0, true) !== 0xfffe || view.getUint32(24, true) < 1) return undefined;
  const section = view.getUint32(44, true);
  if (section + 8 > stream.length) return undefined;
  const count = Math.min(view.getUint32(section + 4, true), Math.floor((stream.length - section - 8) / 8));
  const offsets = new Map<number, number>();
  for (let i = 0; i < count; i++)
    offsets.set(view.getUint32(section + 8 + i * 8, true), section + view.getUint32(section + 12 + i * 8, true));
  let codepage = 1252;
  const cpAt = offsets.get(PIDSI_CODEPAGE);
  if (cpAt !== undefined && cpAt + 6 <= stream.length) codepage = view.getUint16(cpAt + 4, true);
  const at = offsets.get(PIDSI_TITLE);
  if (at === undefined || at + 8 > stream.length) return undefined;
  const type = view.getUint32(at, true) & 0xffff;
  const size = view.getUint32(at + 4, true);
  let raw: string;
  if (type === VT_LPWSTR) {
    const end = Math.min(stream.length, at + 8 + Math.min(size * 2, MAX_TITLE_BYTES));
    raw = new TextDecoder('utf-16le').decode(stream.subarray(at + 8, end - ((end - at - 8) % 2)));
  } else if (type === VT_LPSTR) {
    const bytes = stream.subarray(at + 8, Math.min(stream.length, at + 8 + Math.min(size, MAX_TITLE_BYTES)));
    raw = decodeCodepage(bytes, codepage);
  } else {
    return undefined;
  }
  // The string ends at its first NUL (what follows is padding).
  const nul = raw.indexOf('\0');
  const title = (nul < 0 ? raw : raw.slice(0, nul)).replace(/\s+/g, ' ').trim();
  return title || undefined;
}

function decodeCodepage(bytes: Uint8Array, codepage: number): string {
  const label =
    codepage === 65001
      ? 'utf-8'
      : codepage === 1200
        ? 'utf-16le'
        : codepage >= 1250 && codepage <= 1258
          ? `windows-${codepage}`
          : 'windows-1252';
  try {
    return new TextDecoder(label).decode(bytes);
  } catch {
    return new TextDecoder('latin1').decode(bytes);
  }
}
