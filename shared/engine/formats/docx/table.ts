/**
 * `w:tbl` → GFM table. Horizontally merged cells (`gridSpan`) keep their text in the first grid column and
 * leave the others empty; vertically merged continuations (`vMerge` without `restart`) are empty too, so
 * merged text appears once. The first row is the header row. A one-cell table is a layout frame, not data:
 * its content is emitted as ordinary blocks. Nested tables stay inside their cell and are flattened there.
 */
import type { Table, TableCell } from 'mdast';
import type { XmlElement } from '../../xml.ts';
import { attr, child, elements, localName } from '../../xml.ts';
import type { BlockContent } from '../../mdast.ts';
import { cell, paragraph, row, table, text, toPlainText } from '../../mdast.ts';
import type { DocxContext } from './context.ts';

interface GridCell {
  blocks: BlockContent[];
  span: number;
  continuation: boolean;
}

/** Rows of a table, looking through content controls and custom XML wrappers. */
function rowsOf(el: XmlElement, out: XmlElement[] = []): XmlElement[] {
  for (const c of elements(el)) {
    const n = localName(c.name);
    if (n === 'tr') out.push(c);
    else if (n === 'sdt') rowsOf(child(c, 'sdtContent') ?? c, out);
    else if (n === 'customXml' || n === 'ins' || n === 'sdtContent') rowsOf(c, out);
  }
  return out;
}

function cellsOf(el: XmlElement, out: XmlElement[] = []): XmlElement[] {
  for (const c of elements(el)) {
    const n = localName(c.name);
    if (n === 'tc') out.push(c);
    else if (n === 'sdt') cellsOf(child(c, 'sdtContent') ?? c, out);
    else if (n === 'customXml' || n === 'ins' || n === 'sdtContent') cellsOf(c, out);
  }
  return out;
}

const intAttr = (el: XmlElement | undefined, fallback: number) => {
  const n = Number(attr(el, 'val'));
  return Number.isInteger(n) && n > 0 && n < 1000 ? n : fallback;
};

export function convertTable(tbl: XmlElement, dc: DocxContext): BlockContent[] {
  const rows = rowsOf(tbl);
  const onlyCells = rows.length === 1 ? cellsOf(rows[0]) : [];
  // A one-cell table is a frame around content, not data: its content (even a table) stays block-level.
  if (rows.length === 1 && onlyCells.length === 1) return dc.blocks(onlyCells[0], { ...dc, depth: dc.depth + 1 });
  const inner = { ...dc, depth: dc.depth + 1, inCell: true };
  const grid: GridCell[][] = [];
  for (const tr of rows) {
    const trPr = child(tr, 'trPr');
    const cells: GridCell[] = [];
    const before = intAttr(child(trPr, 'gridBefore'), 0);
    for (let i = 0; i < before; i++) cells.push({ blocks: [], span: 1, continuation: false });
    for (const tc of cellsOf(tr)) {
      const tcPr = child(tc, 'tcPr');
      const vMerge = child(tcPr, 'vMerge');
      const continuation = vMerge !== undefined && attr(vMerge, 'val') !== 'restart';
      const span = intAttr(child(tcPr, 'gridSpan'), 1);
      // Old-style horizontal merge: `hMerge continue` cells belong to the cell on their left.
      const hMerge = child(tcPr, 'hMerge');
      const hContinuation = hMerge !== undefined && attr(hMerge, 'val') !== 'restart';
      cells.push({ blocks: continuation || hContinuation ? [] : dc.blocks(tc, inner), span, continuation });
    }
    grid.push(cells);
  }
  if (grid.length === 0) return [];
  // A table inside a cell cannot stay a table in GFM: each row becomes one line of its cells' text.
  if (dc.inCell) {
    return grid.map((cells) =>
      paragraph(
        cells.flatMap((c, i) => [
          ...(i ? [text(' ')] : []),
          ...c.blocks.flatMap((b, j) => [...(j ? [text(' ')] : []), text(toPlainText(b))]),
        ]),
      ),
    );
  }
  const tableRows = grid.map((cells) => {
    const out: TableCell[] = [];
    for (const c of cells) {
      out.push(cell(c.blocks as unknown as TableCell['children']));
      for (let i = 1; i < c.span; i++) out.push(cell([]));
    }
    return row(out);
  });
  const result: Table = table(tableRows);
  return [result];
}
