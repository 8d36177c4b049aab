/** A sheet's cells → its tables, one per block of cells (shared by the XLSX and XLS converters). */
import type { ConvertContext } from '../../types.ts';
import type { RootContent } from '../../mdast.ts';
import type { CellRange, SheetCell, TableBudget } from './grid.ts';
import { findRegions, regionTable } from './grid.ts';

export function sheetSection(cells: SheetCell[], merges: CellRange[], budget: TableBudget, ctx: ConvertContext, where: string): RootContent[] {
  const out: RootContent[] = [];
  for (const region of findRegions(cells, merges)) {
    if (budget.remaining <= 0) {
      ctx.warn({ code: 'truncated', message: `${where}: tables past the ${ctx.limits.maxCells}-cell limit were cut` });
      break;
    }
    const t = regionTable(region, budget, ctx, where);
    if (t) out.push(t);
  }
  return out;
}
