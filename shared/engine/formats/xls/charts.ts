/**
 * Embedded charts of a BIFF8 worksheet (a chart substream, BOF type 0x0020, inside the worksheet substream;
 * MS-XLS §2.1.7.20). Unlike OOXML, a BIFF8 chart caches no values: each series names its data by formula in
 * AI records (BRAI, §2.4.15; id 0 = series name, 1 = values, 2 = categories), so the values are read from the
 * cells of the sheets the references point at. Only plain 3-D references (`ptgRef3d`, `ptgArea3d`) are
 * followed; a series whose values cannot be resolved that way leaves the chart unresolved, and the caller warns
 * naming it rather than dropping it silently.
 *
 * Title: the TEXT block (§2.4.324) whose OBJECTLINK (§2.4.181) links it to the chart title (`wLinkObj` 1), its
 * string in the SERIESTEXT record inside it; with none, the single series' name, as Excel shows it.
 */
import type { BiffRecord } from './records.ts';
import { decodeChars } from './records.ts';

export const CHART_RT = {
  SERIES: 0x1003,
  SERIESTEXT: 0x100d,
  TEXT: 0x1025,
  OBJECTLINK: 0x1027,
  BEGIN: 0x1033,
  END: 0x1034,
  AI: 0x1051,
} as const;

/** A rectangle of cells on the sheet with EXTERNSHEET index `xti`; rows and columns 0-based, inclusive. */
export interface SheetRef {
  xti: number;
  r1: number;
  r2: number;
  c1: number;
  c2: number;
}

export interface XlsSeries {
  name?: string;
  nameRef?: SheetRef;
  values?: SheetRef;
  categories?: SheetRef;
}

export interface XlsChart {
  title?: string;
  series: XlsSeries[];
}

/** Points read per series; larger references are cut (the table budget applies on top). */
const MAX_POINTS = 10_000;

/** Feeds the records of one chart substream (after its BOF, up to its EOF); `chart` is the result. */
export class ChartCollector {
  readonly chart: XlsChart = { series: [] };
  private depth = 0;
  private series: { depth: number; value: XlsSeries } | undefined;
  private text: { depth: number; strings: string[]; linkObj?: number } | undefined;

  add(rec: BiffRecord): void {
    const { data, view } = rec;
    switch (rec.type) {
      case CHART_RT.BEGIN:
        this.depth++;
        return;
      case CHART_RT.END:
        this.depth--;
        if (this.series && this.depth <= this.series.depth) this.series = undefined;
        if (this.text && this.depth <= this.text.depth) this.endText();
        return;
      case CHART_RT.SERIES:
        this.series = { depth: this.depth, value: {} };
        this.chart.series.push(this.series.value);
        return;
      case CHART_RT.TEXT:
        this.text = { depth: this.depth, strings: [] };
        return;
      case CHART_RT.OBJECTLINK:
        if (this.text && data.length >= 2) this.text.linkObj = view.getUint16(0, true);
        return;
      case CHART_RT.SERIESTEXT: {
        // id (2 bytes), then ShortXLUnicodeString: count (1 byte), option byte, characters.
        if (data.length < 4) return;
        const width = data[3] & 0x01 ? 2 : 1;
        const end = Math.min(data.length, 4 + data[2] * width);
        const value = decodeChars(data.subarray(4, end - ((end - 4) % width)), width === 2).trim();
        if (this.text) this.text.strings.push(value);
        else if (this.series && value) this.series.value.name ??= value;
        return;
      }
      case CHART_RT.AI: {
        if (!this.series || this.text || data.length < 8) return;
        const id = data[0];
        const cce = view.getUint16(6, true);
        const ref = data[1] === 2 ? parseRef(data.subarray(8, Math.min(data.length, 8 + cce))) : undefined;
        if (!ref) return;
        if (id === 0) this.series.value.nameRef = ref;
        else if (id === 1) this.series.value.values = ref;
        else if (id === 2) this.series.value.categories = ref;
        return;
      }
    }
  }

  private endText(): void {
    const t = this.text;
    this.text = undefined;
    const title = t?.strings.join(' ').replace(/\s+/g, ' ').trim();
    if (t?.linkObj === 1 && title) this.chart.title ??= title;
  }
}

/**
 * A formula that is exactly one `ptgRef3d` (0x3A/0x5A/0x7A: ixti, row, col) or `ptgArea3d` (0x3B/0x5B/0x7B:
 * ixti, first row, last row, first col, last col); column fields carry relative-reference flags in their top
 * two bits. Anything else → undefined.
 */
export function parseRef(rgce: Uint8Array): SheetRef | undefined {
  if (!rgce.length) return undefined;
  const v = new DataView(rgce.buffer, rgce.byteOffset, rgce.byteLength);
  const ptg = rgce[0] & 0x1f;
  if (ptg === 0x1a && rgce.length === 7) {
    const row = v.getUint16(3, true);
    const col = v.getUint16(5, true) & 0x3fff;
    return { xti: v.getUint16(1, true), r1: row, r2: row, c1: col, c2: col };
  }
  if (ptg === 0x1b && rgce.length === 11)
    return {
      xti: v.getUint16(1, true),
      r1: v.getUint16(3, true),
      r2: v.getUint16(5, true),
      c1: v.getUint16(7, true) & 0x3fff,
      c2: v.getUint16(9, true) & 0x3fff,
    };
  return undefined;
}

/** The cell texts of a one-row or one-column reference, in order; undefined for a 2-D block. */
export function refPoints(ref: SheetRef, cell: (row: number, col: number) => string | undefined): string[] | undefined {
  const rows = ref.r2 - ref.r1 + 1;
  const cols = ref.c2 - ref.c1 + 1;
  if (rows < 1 || cols < 1 || (rows > 1 && cols > 1)) return undefined;
  const out: string[] = [];
  for (let i = 0; i < Math.min(MAX_POINTS, Math.max(rows, cols)); i++)
    out.push(cell(ref.r1 + (rows > 1 ? i : 0), ref.c1 + (cols > 1 ? i : 0)) ?? '');
  return out;
}
