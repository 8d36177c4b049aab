/**
 * Charts drawn on a sheet (or filling a chart sheet): their title, kind and the data cached in the chart part,
 * as a caption and small tables. The cached values (`c:numCache`, `c:strCache`, `c:multiLvlStrCache`, literals)
 * are what the chart shows, so nothing is recomputed and no formula is followed.
 *
 * - Title: the rich-text or cell-referenced title; with none, Excel shows the single series' name as the title
 *   (unless `c:autoTitleDeleted` is set), so that is used.
 * - Table: a column of categories (multi-level labels joined outer to inner with ` / `), then one column per
 *   series headed by its name. Series plotted against different categories or x values (scatter charts often
 *   are) get one table per set of categories, rather than values placed against the wrong category.
 * - Excel 2016 chart types (`cx:` chartEx parts: waterfall, treemap, sunburst, histogram, box and whisker,
 *   funnel) are read the same way from their `cx:chartData` cache.
 */
import type { ZipArchive } from '../../zip.ts';
import type { XmlElement } from '../../xml.ts';
import { attr, child, childrenNamed, descendants, elements, localName, path, textOf } from '../../xml.ts';
import { readRels, readXmlPart } from './package.ts';
import { classifyFormat, formatNumber } from './number-format.ts';
import { MAX_CHART_POINTS } from '../ooxml/chart.ts';

export interface ChartData {
  /** Anchor cell (0-based) on the sheet, to place the chart among the tables. */
  row: number;
  col: number;
  title?: string;
  /** e.g. `Bar chart`. */
  kind?: string;
  /** One table per set of categories; each header row first: an empty corner, then one column per series. */
  tables: string[][][];
}

interface Series {
  name: string;
  categories: string[];
  values: string[];
}

/** Points kept per series: a chart with more is cut (the table budget applies on top). */

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
      const seen = new Set<string>();
      for (const ref of descendants(anchor, 'chart')) {
        const target = drawingRels.get(attr(ref, 'r:id') ?? attr(ref, 'id') ?? '');
        // A chartEx is written twice (its own element, and a fallback inside mc:AlternateContent); read it once.
        if (!target || target.external || seen.has(target.target)) continue;
        seen.add(target.target);
        const isEx = target.type.endsWith('/chartEx');
        if (!isEx && !target.type.endsWith('/chart')) continue;
        const space = readXmlPart(zip, target.target);
        const chart = space ? (isEx ? readChartEx(space) : readChart(space, date1904)) : undefined;
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
  const groups = elements(plot).filter((e) => /Chart$/.test(localName(e.name)));
  const kind = groups.length ? chartKind(localName(groups[0].name)) : undefined;
  const series: Series[] = groups
    .flatMap((g) => childrenNamed(g, 'ser'))
    .map((ser, i) => ({
      name: (seriesPoints(child(ser, 'tx'), date1904)[0] ?? textOf(path(ser, 'tx', 'v'))).trim() || `Series ${i + 1}`,
      categories: seriesPoints(child(ser, 'cat') ?? child(ser, 'xVal'), date1904),
      values: seriesPoints(child(ser, 'val') ?? child(ser, 'yVal'), date1904),
    }));
  const autoTitleDeleted = ['1', 'true'].includes(attr(child(chart, 'autoTitleDeleted'), 'val') ?? '');
  const title =
    titleText(child(chart, 'title')) ?? (series.length === 1 && !autoTitleDeleted ? series[0].name : undefined);
  return chartData(title, kind, series);
}

/** Title, kind and series → ChartData; undefined when there is nothing to show. Shared with the XLS reader. */
export function chartData(
  title: string | undefined,
  kind: string | undefined,
  series: Series[],
): Omit<ChartData, 'row' | 'col'> | undefined {
  // Series sharing the same categories (or none) go in one table, in series order.
  const groups: Series[][] = [];
  for (const s of series) {
    const key = s.categories.join('\u0000');
    const group = groups.find((g) => g[0].categories.join('\u0000') === key || !s.categories.length);
    if (group) group.push(s);
    else groups.push([s]);
  }
  const tables: string[][][] = [];
  for (const group of groups) {
    const categories = group[0].categories;
    const length = Math.min(MAX_CHART_POINTS, Math.max(categories.length, ...group.map((c) => c.values.length), 0));
    if (!length) continue;
    const rows: string[][] = [['', ...group.map((c) => c.name)]];
    for (let i = 0; i < length; i++)
      rows.push([categories[i] ?? String(i + 1), ...group.map((c) => c.values[i] ?? '')]);
    tables.push(rows);
  }
  if (!title && !tables.length) return undefined;
  return { ...(title ? { title } : {}), ...(kind ? { kind } : {}), tables };
}

/**
 * An Excel 2016 chart (`cx:chartSpace`): series name from `cx:tx`, data from the `cx:data` its `cx:dataId`
 * names — `cx:strDim`/`cx:numDim` of type `cat` for categories, the first numeric dimension of another type
 * (`val`, `size`, `y`) for values.
 */
function readChartEx(space: XmlElement): Omit<ChartData, 'row' | 'col'> | undefined {
  const data = new Map<string, { categories: string[]; values: string[] }>();
  for (const d of childrenNamed(child(space, 'chartData'), 'data')) {
    let categories: string[] = [];
    let values: string[] | undefined;
    for (const dim of elements(d)) {
      const type = attr(dim, 'type') ?? '';
      const levels = childrenNamed(dim, 'lvl');
      const points = levelPoints(levels, localName(dim.name) === 'numDim', 'General');
      if (type === 'cat' || type === 'x') categories = points;
      else if (localName(dim.name) === 'numDim') values ??= points;
    }
    data.set(attr(d, 'id') ?? String(data.size), { categories, values: values ?? [] });
  }
  const chart = child(space, 'chart');
  const series: Series[] = descendants(child(chart, 'plotArea') ?? chart ?? space, 'series').map((ser, i) => {
    const d = data.get(attr(child(ser, 'dataId'), 'val') ?? '') ?? { categories: [], values: [] };
    const name = descendants(child(ser, 'tx') ?? ser, 'v')
      .map(textOf)
      .join(' ')
      .trim();
    return { name: name || `Series ${i + 1}`, ...d };
  });
  const layout = series.length
    ? attr(descendants(child(chart, 'plotArea') ?? space, 'series')[0], 'layoutId')
    : undefined;
  const kind = layout ? chartKind(layout) : undefined;
  const title = titleText(child(chart, 'title')) ?? (series.length === 1 ? series[0].name : undefined);
  return chartData(title, kind, series);
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
    : seriesPoints(child(title, 'tx'), false).join(' ') || descendants(title, 'v').map(textOf).join(' ');
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
  const numeric = /num/i.test(localName(source.name));
  const formatCode = textOf(child(cache, 'formatCode')) || 'General';
  return levels.length
    ? levelPoints(levels, false, formatCode, date1904)
    : points(cache, numeric, formatCode, date1904);
}

/**
 * Multi-level labels: level 0 holds the inner labels; an outer label stands at the first point of its group and
 * applies until the next one. Joined outer to inner: `2023 / Q1`.
 */
function levelPoints(levels: XmlElement[], numeric: boolean, formatCode: string, date1904 = false): string[] {
  const perLevel = levels.map((l) => points(l, numeric, attr(l, 'formatCode') ?? formatCode, date1904));
  const length = Math.max(0, ...perLevel.map((p) => p.length));
  const out: string[] = [];
  const carried = perLevel.map(() => '');
  for (let i = 0; i < length; i++) {
    const parts: string[] = [];
    for (let k = perLevel.length - 1; k >= 0; k--) {
      const v = perLevel[k][i];
      if (k > 0 && v) carried[k] = v;
      const shown = k > 0 ? carried[k] : (v ?? '');
      if (shown) parts.push(shown);
    }
    out.push(parts.join(' / '));
  }
  return out;
}

/** The `pt` children of a cache or level by `idx`, numbers formatted by their own or the cache's format code. */
function points(holder: XmlElement, numeric: boolean, formatCode: string, date1904: boolean): string[] {
  const out: string[] = [];
  for (const pt of childrenNamed(holder, 'pt')) {
    const idx = Number(attr(pt, 'idx'));
    if (!Number.isInteger(idx) || idx < 0 || idx >= MAX_CHART_POINTS) continue;
    // `c:pt` holds a `c:v`; a chartEx `cx:pt` holds its value directly.
    const v = child(pt, 'v');
    const raw = v ? textOf(v) : textOf(pt);
    const n = Number(raw);
    out[idx] =
      numeric && raw.trim() !== '' && Number.isFinite(n)
        ? formatNumber(n, classifyFormat(attr(pt, 'formatCode') ?? formatCode), date1904)
        : raw;
  }
  for (let i = 0; i < out.length; i++) out[i] ??= '';
  return out;
}
