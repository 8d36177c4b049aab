/**
 * Legacy Excel 97–2003 (.xls, BIFF8 inside an OLE compound file). Same shape and rules as XLSX: a level-2
 * heading per sheet, then one table per block of cells (block rule in `../xlsx/grid.ts`). Hidden sheets, rows
 * and columns follow the XLSX policy in `../xlsx/hidden.ts`. Cell notes follow the tables as the same "Notes:"
 * list XLSX writes (`notes.ts`).
 */
import type { Converter, ConvertContext, DocumentTree } from '../../types.ts';
import type { RootContent } from '../../mdast.ts';
import { heading, root, text } from '../../mdast.ts';
import { openCfb } from '../../cfb.ts';
import { ConversionError, encrypted, unsupported } from '../../errors.ts';
import { sheetSection } from '../xlsx/sheet-section.ts';
import { sheetHeadingText, sheetsToConvert } from '../xlsx/hidden.ts';
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
  if (!sheets.length) throw new ConversionError('empty', 'the workbook has no sheets');
  const budget: TableBudget = { remaining: ctx.limits.maxCells };
  const children: RootContent[] = [];
  for (const sheet of sheetsToConvert(sheets, ctx)) {
    children.push(heading(2, [text(sheetHeadingText(sheet))]));
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
    for (const problem of sheet.problems)
      ctx.warn({ code: 'unsupported_content', message: `sheet "${sheet.name}": ${problem}` });
    const hidden = { rows: sheet.hiddenRows, cols: sheet.hiddenCols };
    children.push(
      ...sheetSection(
        { cells: sheet.cells, merges: sheet.merges, hidden, comments: sheet.notes, charts: sheet.charts },
        budget,
        ctx,
        `sheet "${sheet.name}"`,
      ),
    );
  }
  let title: string | undefined;
  try {
    title = readSummaryTitle(cfb.read('\u0005SummaryInformation'));
  } catch {
    ctx.warn({ code: 'part_unreadable', message: 'the workbook summary information could not be read' });
  }
  return { root: root(children), ...(title ? { title } : {}) };
}
