/**
 * `<table>` → a GFM table. Cells are placed on a grid so that colspan/rowspan are expanded (the spanned
 * content is repeated in every covered slot, which keeps each row readable on its own); a table without a
 * header row uses its first row as the header; block content inside cells stays in the cell (the serializer
 * joins it with `<br>`); nested tables become tables inside cells, which the serializer flattens.
 * One-column tables without header cells and `role=presentation` tables are layout: their content is
 * returned as ordinary blocks.
 */
import type { Element } from 'hast';
import type { State } from 'hast-util-to-mdast';
import type { Nodes, Paragraph, PhrasingContent, RootContent, Table, TableCell, TableRow } from 'mdast';
import { prop } from './hast-utils.ts';
import { isPhrasing } from '../../mdast.ts';

/** HTML caps colspan at 1000 and rowspan at 65534; the product per cell is capped far lower here. */
const MAX_COLSPAN = 1000;
const MAX_ROWSPAN = 65534;
/** Past this many copies a spanned cell is left empty in the extra slots instead of repeated. */
const MAX_COPIES_PER_CELL = 2000;
/** A table past this many grid slots is cut; the rows before the cut are kept. */
const MAX_SLOTS = 1_000_000;

export function tableHandler(state: State, node: Element): RootContent | RootContent[] | undefined {
  const rows = tableRows(node);
  const role = prop(node, 'role');
  const cellsOf = (tr: Element) =>
    tr.children.filter((c): c is Element => c.type === 'element' && (c.tagName === 'td' || c.tagName === 'th'));
  const hasHeaderCell = rows.some((tr) => cellsOf(tr).some((c) => c.tagName === 'th'));
  const width = Math.max(0, ...rows.map((tr) => cellsOf(tr).reduce((n, c) => n + span(c, 'colSpan', MAX_COLSPAN), 0)));

  const caption = node.children.find((c): c is Element => c.type === 'element' && c.tagName === 'caption');
  const before: RootContent[] = caption ? state.toFlow(state.all(caption)) : [];

  if (role === 'presentation' || role === 'none' || (width <= 1 && !hasHeaderCell)) {
    const blocks: RootContent[] = [...before];
    for (const tr of rows) for (const c of cellsOf(tr)) blocks.push(...state.toFlow(state.all(c)));
    return blocks;
  }

  const depth = nesting.get(state) ?? 0;
  nesting.set(state, depth + 1);
  try {
    const built = buildGrid(state, rows, cellsOf, width);
    // A table inside a table cell: GFM cannot nest, so each row becomes a line of the outer cell.
    if (depth > 0)
      return [...before, ...built.map((line): Paragraph => ({ type: 'paragraph', children: joinCells(line) }))];
    if (built.length === 0) return before.length ? before : undefined;
    const table: Table = { type: 'table', align: null, children: built };
    state.patch(node, table);
    return before.length ? [...before, table] : table;
  } finally {
    nesting.set(state, depth);
  }
}

const nesting = new WeakMap<State, number>();

function buildGrid(state: State, rows: Element[], cellsOf: (tr: Element) => Element[], width: number): TableRow[] {
  const grid: (TableCell | undefined)[][] = [];
  let slots = 0;
  for (let r = 0; r < rows.length && slots < MAX_SLOTS; r++) {
    const line = (grid[r] ??= []);
    let col = 0;
    for (const c of cellsOf(rows[r])) {
      while (line[col]) col++;
      const colSpan = span(c, 'colSpan', MAX_COLSPAN);
      const rowSpanRaw = Number.parseInt(prop(c, 'rowSpan') ?? '1', 10);
      // rowspan=0 means "to the end of the table section"; treat it as to the end of the table.
      const rowSpan = Math.min(rows.length - r, rowSpanRaw === 0 ? MAX_ROWSPAN : clamp(rowSpanRaw, 1, MAX_ROWSPAN));
      const content: TableCell = { type: 'tableCell', children: state.all(c) as PhrasingContent[] };
      state.patch(c, content);
      const copies = colSpan * rowSpan <= MAX_COPIES_PER_CELL;
      // A cell across the whole width is a section title or a banner image: repeating it adds only noise.
      const repeatAcross = colSpan < width;
      for (let dr = 0; dr < rowSpan; dr++) {
        const target = (grid[r + dr] ??= []);
        for (let dc = 0; dc < colSpan; dc++) {
          if (dr === 0 && dc === 0) target[col] = content;
          else if (!target[col + dc]) {
            target[col + dc] =
              copies && (dc === 0 || repeatAcross) ? structuredClone(content) : { type: 'tableCell', children: [] };
          }
        }
      }
      slots += colSpan * rowSpan;
      col += colSpan;
    }
  }

  const columns = Math.max(0, ...grid.map((line) => line.length));
  return grid.map((line) => {
    const cells: TableCell[] = [];
    for (let i = 0; i < columns; i++) cells.push(line[i] ?? { type: 'tableCell', children: [] });
    return { type: 'tableRow', children: cells };
  });
}

/** The cells of a row as one line of inline content, cells (and blocks inside them) separated by spaces. */
function joinCells(row: TableRow): PhrasingContent[] {
  const out: PhrasingContent[] = [];
  const add = (nodes: Nodes[]): void => {
    for (const n of nodes) {
      if (isPhrasing(n)) {
        out.push(n);
      } else if ('children' in n) {
        if (out.length) out.push({ type: 'text', value: ' ' });
        add(n.children as Nodes[]);
      } else if ('value' in n && typeof n.value === 'string') {
        out.push({ type: 'text', value: ` ${n.value} ` });
      }
    }
  };
  for (const c of row.children) {
    if (c.children.length === 0) continue;
    if (out.length) out.push({ type: 'text', value: ' ' });
    add(c.children as Nodes[]);
  }
  return out;
}

/** Rows of this table in document order (thead, tbody, tfoot and bare rows), never rows of nested tables. */
function tableRows(table: Element): Element[] {
  const out: Element[] = [];
  const head: Element[] = [];
  const foot: Element[] = [];
  for (const c of table.children) {
    if (c.type !== 'element') continue;
    if (c.tagName === 'tr') out.push(c);
    else if (c.tagName === 'thead' || c.tagName === 'tbody' || c.tagName === 'tfoot') {
      const target = c.tagName === 'thead' ? head : c.tagName === 'tfoot' ? foot : out;
      for (const r of c.children) if (r.type === 'element' && r.tagName === 'tr') target.push(r);
    }
  }
  // A header section always renders first and a footer last, wherever they appear in the source.
  return [...head, ...out, ...foot];
}

function span(cell: Element, name: 'colSpan' | 'rowSpan', max: number): number {
  return clamp(Number.parseInt(prop(cell, name) ?? '1', 10) || 1, 1, max);
}

function clamp(n: number, lo: number, hi: number): number {
  return Number.isFinite(n) ? Math.min(hi, Math.max(lo, n)) : lo;
}
