/**
 * Charts drawn on a sheet (or filling a chart sheet): their title, kind and the data cached in the chart part,
 * as a caption and a small table. The cached values are what the chart shows, so nothing is recomputed.
 */
import type { ZipArchive } from '../../zip.ts';
import type { XmlElement } from '../../xml.ts';
import { attr, child, childrenNamed, descendants, elements, localName, path, textOf } from '../../xml.ts';
import { readRels, readXmlPart } from './package.ts';
import { classifyFormat, formatNumber } from './number-format.ts';

export interface ChartData {
  /** Anchor cell (0-based) on the sheet, to place the chart among the tables. */
  row: number;
  col: number;
  title?: string;
  /** e.g. `Bar chart`. */
  kind?: string;
  /** Header row first: an empty corner, then one column per series. */
  rows: string[][];
}

/** Points kept per series: a chart with more is cut (the table budget applies on top). */
const MAX_POINTS = 10_000;

/** Charts of a worksheet or chart sheet part, in anchor order (top to bottom, then left to right). */
export function readSheetCharts(zip: ZipArchive, sheetPart: string, date1904: boolean): ChartData[] {
  const out: ChartData[] = [];
  const sheetRels = readRels(zip, sheetPart);
  for (const rel of sheetRels.values()) {
    if (rel.external || !rel.type.endsWith('/drawing')) continue;
    const drawing = readXmlPart(zip, rel.target);
    if (!drawing) continue;
    const drawingRels = readRels(zip, rel.target);
    for (const anchor of elements(drawing)) {
      const from = child(anchor, 'from');
      const row = Number(textOf(child(from, 'row'))) || 0;
      const col = Number(textOf(child(from, 'col'))) || 0;
      for (const ref of descendants(anchor, 'chart')) {
        const target = drawingRels.get(attr(ref, 'r:id') ?? attr(ref, 'id') ?? '');
        if (!target || target.external || !target.type.endsWith('/chart')) continue;
        const space = readXmlPart(zip, target.target);
        const chart = space ? readChart(space, date1904) : undefined;
        if (chart) out.push({ row, col, ...chart });
      }
    }
  }
  return out.sort((a, b) => a.row - b.row || a.col - b.col);
}

function readChart(space: XmlElement, date1904: boolean): Omit<ChartData, 'row' | 'col'> | undefined {
  const chart = child(space, 'chart');
  const plot = child(chart, 'plotArea');
  if (!plot) return undefined;
  const title = titleText(child(chart, 'title'));
  const groups = elements(plot).filter((e) => /Chart$/.test(localName(e.name)));
  const kind = groups.length ? chartKind(localName(groups[0].name)) : undefined;
  const series = groups.flatMap((g) => childrenNamed(g, 'ser'));
  let categories: string[] = [];
  const columns: { name: string; values: string[] }[] = [];
  series.forEach((ser, i) => {
    const cats = seriesPoints(child(ser, 'cat') ?? child(ser, 'xVal'), date1904);
    if (cats.length > categories.length) categories = cats;
    const values = seriesPoints(child(ser, 'val') ?? child(ser, 'yVal'), date1904);
    const name =
      (seriesPoints(child(ser, 'tx'), date1904)[0] ?? textOf(path(ser, 'tx', 'v'))).trim() || `Series ${i + 1}`;
    columns.push({ name, values });
  });
  const length = Math.min(MAX_POINTS, Math.max(categories.length, ...columns.map((c) => c.values.length), 0));
  const rows: string[][] = [];
  if (columns.length && length) {
    rows.push(['', ...columns.map((c) => c.name)]);
    for (let i = 0; i < length; i++)
      rows.push([categories[i] ?? String(i + 1), ...columns.map((c) => c.values[i] ?? '')]);
  }
  if (!title && !rows.length) return undefined;
  return { ...(title ? { title } : {}), ...(kind ? { kind } : {}), rows };
}

/** `bar3DChart` → `Bar chart`. */
function chartKind(name: string): string {
  const base = name
    .replace(/Chart$/, '')
    .replace(/3D$/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return `${base.charAt(0).toUpperCase()}${base.slice(1)} chart`;
}

/** A title's text: rich text paragraphs joined by spaces, or a cached cell reference. */
function titleText(title: XmlElement | undefined): string | undefined {
  if (!title) return undefined;
  const rich = path(title, 'tx', 'rich');
  const text = rich
    ? childrenNamed(rich, 'p')
        .map((p) => descendants(p, 't').map(textOf).join(''))
        .join(' ')
    : seriesPoints(child(title, 'tx'), false).join(' ');
  const t = text.replace(/\s+/g, ' ').trim();
  return t || undefined;
}

/** Cached points of a data reference (`strRef`, `numRef`, their literal forms, multi-level labels). */
function seriesPoints(holder: XmlElement | undefined, date1904: boolean): string[] {
  if (!holder) return [];
  const source = elements(holder)[0];
  if (!source) return [];
  const cache = child(source, 'numCache') ?? child(source, 'strCache') ?? child(source, 'multiLvlStrCache') ?? source;
  const levels = childrenNamed(cache, 'lvl');
  const pointsHolder = levels.length ? levels[0] : cache;
  const format = classifyFormat(textOf(child(cache, 'formatCode')) || 'General');
  const numeric = /num/i.test(localName(source.name));
  const out: string[] = [];
  for (const pt of childrenNamed(pointsHolder, 'pt')) {
    const idx = Number(attr(pt, 'idx'));
    if (!Number.isInteger(idx) || idx < 0 || idx >= MAX_POINTS) continue;
    const raw = textOf(child(pt, 'v'));
    const n = Number(raw);
    out[idx] = numeric && raw.trim() !== '' && Number.isFinite(n) ? formatNumber(n, format, date1904) : raw;
  }
  for (let i = 0; i < out.length; i++) out[i] ??= '';
  return out;
}
