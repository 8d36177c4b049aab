/**
 * A sheet's content → Markdown blocks (shared by the XLSX and XLS converters): a note naming hidden rows and
 * columns that hold data, one table per block of cells with the sheet's charts placed among them by their
 * anchor cell, then the sheet's cell notes.
 */
import type { ConvertContext } from '../../types.ts';
import type { RootContent } from '../../mdast.ts';
import { paragraph, text } from '../../mdast.ts';
import type { CellRange, SheetCell, TableBudget } from './grid.ts';
import { findRegions, regionTable } from './grid.ts';
import type { ChartData } from './charts.ts';
import type { HiddenLines } from './hidden.ts';
import { hiddenLinesNote } from './hidden.ts';
import type { CellComment } from './comments.ts';
import { commentsBlock } from './comments.ts';

export interface SheetContent {
  cells: SheetCell[];
  merges: CellRange[];
  charts?: readonly ChartData[];
  hidden?: HiddenLines;
  comments?: readonly CellComment[];
}

export function sheetSection(
  content: SheetContent,
  budget: TableBudget,
  ctx: ConvertContext,
  where: string,
): RootContent[] {
  const { cells, merges, charts = [], hidden, comments = [] } = content;
  const out: RootContent[] = [];
  const note = hidden && hiddenLinesNote(cells, hidden);
  if (note) out.push(note);
  let nextChart = 0;
  const cut = () =>
    ctx.warn({ code: 'truncated', message: `${where}: tables past the ${ctx.limits.maxCells}-cell limit were cut` });
  const emitChart = (chart: ChartData) => {
    if (chart.title) out.push(paragraph([text(chart.title)]));
    if (chart.kind) out.push(paragraph([text(chart.kind)]));
    for (const rows of chart.tables) {
      if (budget.remaining <= 0) return cut();
      const chartCells = rows.flatMap((r, row) =>
        r.map((value, col) => ({ row, col, text: value })).filter((c) => c.text.trim()),
      );
      const t = regionTable(chartCells, budget, ctx, `${where}, chart`);
      if (t) out.push(t);
    }
  };
  for (const region of findRegions(cells, merges)) {
    let top = Infinity,
      left = Infinity;
    for (const c of region) {
      if (c.row < top || (c.row === top && c.col < left)) {
        top = c.row;
        left = c.col;
      }
    }
    while (
      nextChart < charts.length &&
      (charts[nextChart].row < top || (charts[nextChart].row === top && charts[nextChart].col < left))
    ) {
      emitChart(charts[nextChart++]);
    }
    if (budget.remaining <= 0) {
      cut();
      break;
    }
    const t = regionTable(region, budget, ctx, where);
    if (t) out.push(t);
  }
  while (nextChart < charts.length) emitChart(charts[nextChart++]);
  out.push(...commentsBlock(comments));
  return out;
}
