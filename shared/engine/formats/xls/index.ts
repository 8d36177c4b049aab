/**
 * Legacy Excel 97–2003 (.xls, BIFF8 inside an OLE compound file). Same shape as XLSX: a level-2 heading per
 * visible sheet, then one table per block of cells.
 */
import type { Converter, ConvertContext, DocumentTree } from '../../types.ts';
import type { RootContent } from '../../mdast.ts';
import { heading, root, text } from '../../mdast.ts';
import { openCfb } from '../../cfb.ts';
import { ConversionError, encrypted, unsupported } from '../../errors.ts';
import { sheetSection } from '../xlsx/sheet-section.ts';
import type { TableBudget } from '../xlsx/grid.ts';
import { readXlsWorkbook } from './workbook.ts';
import { readSummaryTitle } from './summary.ts';

export const xlsConverter: Converter = {
  name: 'xls',
  accepts: (input) => input.format === 'xls',
  async convert({ bytes }, ctx) {
    return convertXls(bytes, ctx);
  },
};

export function convertXls(bytes: Uint8Array, ctx: ConvertContext): DocumentTree {
  const cfb = openCfb(bytes);
  const names = cfb.entries.map((e) => e.name.toLowerCase());
  if (names.includes('encryptedpackage') || names.includes('encryptioninfo'))
    throw encrypted('the workbook is password-protected');
  const stream = cfb.read('Workbook');
  if (!stream) {
    if (cfb.read('Book')) throw unsupported('Excel 5.0/95 and older workbooks are not supported; save as XLSX');
    throw new ConversionError('corrupt', 'the compound file has no Workbook stream');
  }
  const sheets = readXlsWorkbook(stream, ctx.limits.maxCells);
  const visible = sheets.filter((s) => !s.hidden);
  if (!visible.length) throw new ConversionError('empty', 'the workbook has no visible sheets');
  const budget: TableBudget = { remaining: ctx.limits.maxCells };
  const children: RootContent[] = [];
  for (const sheet of visible) {
    children.push(heading(2, [text(sheet.name)]));
    if (sheet.kind !== 'worksheet') {
      ctx.warn({
        code: 'unsupported_content',
        message: `sheet "${sheet.name}" is a ${sheet.kind === 'chart' ? 'chart' : 'macro or module'} sheet; it has no cells to convert`,
      });
      continue;
    }
    if (sheet.truncated)
      ctx.warn({
        code: 'truncated',
        message: `sheet "${sheet.name}": cells past the ${ctx.limits.maxCells}-cell limit were cut`,
      });
    children.push(...sheetSection(sheet.cells, sheet.merges, budget, ctx, `sheet "${sheet.name}"`));
  }
  let title: string | undefined;
  try {
    title = readSummaryTitle(cfb.read('\u0005SummaryInformation'));
  } catch {
    ctx.warn({ code: 'part_unreadable', message: 'the workbook summary information could not be read' });
  }
  return { root: root(children), ...(title ? { title } : {}) };
}
