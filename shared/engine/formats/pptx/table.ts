/**
 * `a:tbl` → a GFM table. GFM has no spans: a merged cell keeps its text in its first (top-left) position and the
 * positions it covers stay empty, so every row keeps the grid's width and columns stay aligned.
 */
import type { PhrasingContent, Table, TableCell } from '../../mdast.ts';
import { brk, cell, row, table } from '../../mdast.ts';
import { attr, child, childrenNamed, type XmlElement } from '../../xml.ts';
import type { Relationship } from './package.ts';
import { readParagraphs } from './text.ts';

const MAX_SPAN = 1000;

export function readTable(tbl: XmlElement, rels: Map<string, Relationship>): Table | undefined {
  const gridWidth = childrenNamed(child(tbl, 'a:tblGrid'), 'a:gridCol').length;
  const rows: TableCell[][] = [];
  for (const tr of childrenNamed(tbl, 'a:tr')) {
    const cells: TableCell[] = [];
    const tcs = childrenNamed(tr, 'a:tc');
    tcs.forEach((tc, i) => {
      // PowerPoint writes every grid position: the cells a merge covers are present, marked hMerge/vMerge,
      // and are not shown, so they stay empty here.
      const continuation = isOn(attr(tc, 'hMerge')) || isOn(attr(tc, 'vMerge'));
      cells.push(cell(continuation ? [] : cellContent(tc, rels)));
      // A gridSpan without its hMerge cells (hand-written files) still covers that many columns.
      const span = clampSpan(attr(tc, 'gridSpan'));
      let explicit = 0;
      while (explicit < span - 1 && i + 1 + explicit < tcs.length && isOn(attr(tcs[i + 1 + explicit], 'hMerge')))
        explicit++;
      // The grid bounds the padding, so a hostile span cannot make rows wider than the table says it is.
      const limit = gridWidth > 0 ? Math.max(gridWidth, tcs.length) : MAX_SPAN;
      for (let k = 1 + explicit; k < span && cells.length < limit; k++) cells.push(cell([]));
    });
    rows.push(cells);
  }
  const width = Math.max(gridWidth, ...rows.map((r) => r.length), 0);
  if (width === 0 || rows.length === 0) return undefined;
  return table(rows.map((r) => row(r)));
}

const isOn = (v: string | undefined) => v === '1' || v === 'true';

function clampSpan(value: string | undefined): number {
  const n = Number(value ?? 1);
  return Number.isInteger(n) && n > 1 ? Math.min(n, MAX_SPAN) : 1;
}

function cellContent(tc: XmlElement, rels: Map<string, Relationship>): PhrasingContent[] {
  const paragraphs = readParagraphs(child(tc, 'a:txBody'), { chain: [], rels, bullets: false }).filter((p) =>
    p.plain.trim(),
  );
  const out: PhrasingContent[] = [];
  paragraphs.forEach((p, i) => {
    if (i > 0) out.push(brk());
    out.push(...p.content);
  });
  return out;
}
