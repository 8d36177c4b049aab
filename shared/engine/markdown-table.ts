/**
 * A GFM table writer for mdast-util-to-markdown that keeps large spreadsheets fast: cells that hold only
 * text are escaped by a direct scan (mdast-util-to-markdown's generic path costs ~25 µs a cell), anything
 * richer goes through the GFM cell handler. Rows are written without alignment padding.
 */
import type { Table, TableCell } from 'mdast';
import type { Handle, Info, State } from 'mdast-util-to-markdown';

/** Escape text so that, inside a GFM table cell, it parses back to exactly the same text. */
export function escapeCellText(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    const prev = value[i - 1];
    const next = value[i + 1];
    switch (c) {
      case '|':
      case '*':
      case '`':
      case '[':
      case ']':
      case '~':
        out += '\\' + c;
        break;
      case '_':
        // Intraword underscores never open emphasis in CommonMark.
        out += isAlnum(prev) && isAlnum(next) ? c : '\\' + c;
        break;
      case '\\':
        out += next !== undefined && isAsciiPunctuation(next) ? '\\\\' : c;
        break;
      case '<':
        out += next !== undefined && /[A-Za-z/!?]/.test(next) ? '\\<' : c;
        break;
      case '&':
        out += /^&(#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)/.test(value.slice(i, i + 40))
          ? '&amp;'
          : c;
        break;
      default:
        out += c;
    }
  }
  return out;
}

const isAlnum = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}]/u.test(c);
const isAsciiPunctuation = (c: string) => /[!-/:-@[-`{-~]/.test(c);

export function createTableHandler(cellHandler: Handle): Handle {
  return function table(node: Table, _parent, state: State, info: Info): string {
    const exitTable = state.enter('table');
    const lines: string[] = [];
    let columns = 0;
    for (const r of node.children) columns = Math.max(columns, r.children.length);
    node.children.forEach((r, rowIndex) => {
      const exitRow = state.enter('tableRow');
      const cells: string[] = [];
      for (const c of r.children) cells.push(serializeCell(c, r, state, info, cellHandler));
      exitRow();
      if (rowIndex === 0) while (cells.length < columns) cells.push('');
      lines.push('|' + cells.map((c) => (c ? ` ${c} ` : ' ')).join('|') + '|');
      if (rowIndex === 0) lines.push('|' + ' --- |'.repeat(Math.max(1, columns)));
    });
    exitTable();
    return lines.join('\n');
  } as Handle;
}

function serializeCell(
  cell: TableCell,
  row: Table['children'][number],
  state: State,
  info: Info,
  cellHandler: Handle,
): string {
  if (cell.children.every((c) => c.type === 'text')) {
    const value = cell.children.map((c) => (c as { value: string }).value).join('');
    // GFM autolink literals (www., scheme://, e-mail) swallow escapes: leave those to the generic path.
    if (!/www\.|:\/\/|@/i.test(value)) return escapeCellText(value);
  }
  return cellHandler(cell, row, state, info);
}
