/**
 * A chart part (`c:chartSpace`) → its title and its data as a table, read from the values PowerPoint and Word cache
 * beside the formulas (`c:strCache`/`c:numCache`). Without caches there is nothing but a placeholder to give.
 */
import type { BlockContent } from '../../mdast.ts';
import { imagePlaceholder, paragraph, tableFromStrings, text } from '../../mdast.ts';
import {
  attr,
  child,
  childrenNamed,
  descendants,
  elements,
  localName,
  path,
  textOf,
  type XmlElement,
} from '../../xml.ts';

interface Series {
  name: string;
  categories: string[];
  values: string[];
}

/** Rows past this are cut: a chart over a whole sheet is still read as a chart, not a data dump. */
/** Points per chart series read from a cache (more is cut: a chart is a summary, not the data set). */
export const MAX_CHART_POINTS = 10_000;

export function chartBlocks(chartSpace: XmlElement): BlockContent[] {
  const chart = child(chartSpace, 'c:chart');
  const title = chartTitle(chart);
  const series: Series[] = [];
  for (const plot of elements(path(chart, 'c:plotArea') ?? chartSpace)) {
    if (!/Chart$/.test(localName(plot.name))) continue;
    for (const ser of childrenNamed(plot, 'c:ser')) series.push(readSeries(ser, series.length));
  }
  const blocks: BlockContent[] = [];
  if (title) blocks.push(paragraph([text(title)]));
  const withData = series.filter((s) => s.values.length > 0);
  if (withData.length === 0) {
    blocks.push(paragraph([imagePlaceholder(title ? `Chart: ${title}` : 'Chart')]));
    return blocks;
  }
  const categories = longest(withData.map((s) => s.categories));
  const count = Math.min(MAX_CHART_POINTS, Math.max(categories.length, ...withData.map((s) => s.values.length)));
  const rows: string[][] = [['', ...withData.map((s) => s.name)]];
  for (let i = 0; i < count; i++)
    rows.push([categories[i] ?? String(i + 1), ...withData.map((s) => s.values[i] ?? '')]);
  blocks.push(tableFromStrings(rows));
  return blocks;
}

function chartTitle(chart: XmlElement | undefined): string {
  const tx = path(chart, 'c:title', 'c:tx');
  if (!tx) return '';
  const rich = child(tx, 'c:rich');
  if (rich)
    return childrenNamed(rich, 'a:p')
      .map((p) => descendants(p, 'a:t').map(textOf).join(''))
      .join(' ')
      .replace(/\s+/g, ' ')
      .trim();
  return cachedPoints(tx).join(' ').trim();
}

function readSeries(ser: XmlElement, index: number): Series {
  const name = cachedPoints(child(ser, 'c:tx')).join(' ').trim() || `Series ${index + 1}`;
  // Scatter and bubble charts name their axes xVal/yVal instead of cat/val.
  const categories = cachedPoints(child(ser, 'c:cat') ?? child(ser, 'c:xVal'));
  const values = cachedPoints(child(ser, 'c:val') ?? child(ser, 'c:yVal'));
  return { name, categories, values };
}

/** Cached points of a reference or literal, placed by their `idx` (gaps stay empty). */
function cachedPoints(el: XmlElement | undefined): string[] {
  if (!el) return [];
  const cache =
    descendants(el, 'c:strCache')[0] ??
    descendants(el, 'c:numCache')[0] ??
    descendants(el, 'c:strLit')[0] ??
    descendants(el, 'c:numLit')[0];
  if (cache) return pointsOf(cache);
  // Multi-level categories: use the innermost level, which is what the axis labels show first.
  const multi = descendants(el, 'c:multiLvlStrCache')[0];
  const level = childrenNamed(multi, 'c:lvl')[0];
  if (level) return pointsOf(level);
  const v = child(el, 'c:v');
  return v ? [textOf(v)] : [];
}

function pointsOf(container: XmlElement): string[] {
  const out: string[] = [];
  // Points left out of the cache are blanks; ptCount says how many the series really has.
  const declared = Number(attr(child(container, 'c:ptCount'), 'val'));
  const count = Number.isInteger(declared) && declared > 0 ? Math.min(declared, MAX_CHART_POINTS) : 0;
  for (const pt of childrenNamed(container, 'c:pt')) {
    const idx = Number(attr(pt, 'idx'));
    if (!Number.isInteger(idx) || idx < 0 || idx >= MAX_CHART_POINTS) continue;
    while (out.length < idx) out.push('');
    out[idx] = textOf(child(pt, 'c:v')).trim();
  }
  while (out.length < count) out.push('');
  return out;
}

function longest(lists: string[][]): string[] {
  return lists.reduce((best, l) => (l.length > best.length ? l : best), [] as string[]);
}
