/**
 * XLSX / XLSM: SpreadsheetML read directly from the package. One section per sheet, in workbook order: a
 * level-2 heading with the sheet name, then one GFM table per block of cells on the sheet (the block rule is in
 * `grid.ts`), its charts' cached data, and its cell notes (`comments.ts`).
 *
 * Hidden sheets are left out with a warning naming each (converted, marked, when every sheet is hidden); hidden
 * rows and columns are converted and named in a note — the policy and its reasons are in `hidden.ts`.
 */
import type { Converter, ConvertContext, DocumentTree } from '../../types.ts';
import type { RootContent } from '../../mdast.ts';
import { heading, root, text } from '../../mdast.ts';
import { ZipArchive } from '../../zip.ts';
import { ConversionError } from '../../errors.ts';
import { findPart, readStyles, readTitle, readWorkbook } from './package.ts';
import type { SheetRef, Styles } from './package.ts';
import { parseSharedStrings } from './shared-strings.ts';
import { readWorksheet } from './worksheet.ts';
import { sheetSection } from './sheet-section.ts';
import { sheetHeadingText, sheetsToConvert } from './hidden.ts';
import type { TableBudget } from './grid.ts';
import { readSheetCharts } from './charts.ts';
import { MAX_COMMENTS, readPersons, readSheetComments } from './comments.ts';
import type { CellComment } from './comments.ts';

export const xlsxConverter: Converter = {
  name: 'xlsx',
  accepts: (input) => input.format === 'xlsx',
  async convert({ bytes }, ctx) {
    return convertXlsx(bytes, ctx);
  },
};

export function convertXlsx(bytes: Uint8Array, ctx: ConvertContext): DocumentTree {
  const zip = new ZipArchive(bytes, {
    maxEntryBytes: ctx.limits.maxEntryBytes,
    maxInflatedBytes: ctx.limits.maxInflatedBytes,
  });
  const workbook = readWorkbook(zip);
  if (!workbook.sheets.length) throw new ConversionError('empty', 'the workbook has no sheets');
  if (workbook.repeatedSheetRefs > 0) {
    ctx.warn({
      code: 'unsupported_content',
      message: `the workbook lists a sheet part it already lists ${workbook.repeatedSheetRefs} more times; each was converted once`,
    });
  }

  const styles = optionalPart(ctx, 'styles', () => readStyles(zip, workbook.stylesPart)) ?? {
    cellFormats: [],
    customFormats: new Map(),
  };
  const sharedStrings =
    optionalPart(ctx, 'shared strings', () => {
      const part = workbook.sharedStringsPart && findPart(zip, workbook.sharedStringsPart);
      const source = part ? zip.text(part) : undefined;
      return source === undefined || !part ? [] : parseSharedStrings(source, part);
    }) ?? [];
  const title = optionalPart(ctx, 'document properties', () => readTitle(zip));
  const threads = ctx.options.comments === true;
  const persons = (threads && optionalPart(ctx, 'comment authors', () => readPersons(zip, workbook.part))) || new Map();

  const budget: TableBudget = { remaining: ctx.limits.maxCells };
  const children: RootContent[] = [];
  for (const sheet of sheetsToConvert(workbook.sheets, ctx))
    children.push(
      ...convertSheet(
        zip,
        sheet,
        { sharedStrings, styles, date1904: workbook.date1904, threads, persons },
        budget,
        ctx,
      ),
    );
  return { root: root(children), ...(title ? { title } : {}) };
}

function convertSheet(
  zip: ZipArchive,
  sheet: SheetRef,
  cx: {
    sharedStrings: string[];
    styles: Styles;
    date1904: boolean;
    threads: boolean;
    persons: ReadonlyMap<string, string>;
  },
  budget: TableBudget,
  ctx: ConvertContext,
): RootContent[] {
  const head = heading(2, [text(sheetHeadingText(sheet))]);
  const where = `sheet "${sheet.name}"`;
  const part = findPart(zip, sheet.part);
  if (!part) {
    ctx.warn({ code: 'part_unreadable', message: `sheet "${sheet.name}" is missing from the package` });
    return [head];
  }
  const charts =
    optionalPart(ctx, `charts of sheet "${sheet.name}"`, () => readSheetCharts(zip, part, cx.date1904)) ?? [];
  if (sheet.chartsheet) {
    ctx.warn({
      code: 'unsupported_content',
      message: `sheet "${sheet.name}" is a chart sheet: only its chart titles and cached data are converted`,
    });
    return [head, ...sheetSection({ cells: [], merges: [], charts }, budget, ctx, where)];
  }
  const comments: CellComment[] =
    optionalPart(ctx, `comments of ${where}`, () => readSheetComments(zip, part, cx.threads, cx.persons)) ?? [];
  if (comments.length >= MAX_COMMENTS)
    ctx.warn({ code: 'truncated', message: `${where}: comments past the first ${MAX_COMMENTS} were cut` });
  let data;
  try {
    const source = zip.text(part) ?? '';
    data = readWorksheet(source, part, cx, Math.max(0, budget.remaining));
  } catch (error) {
    if (error instanceof ConversionError && error.code !== 'corrupt') throw error;
    ctx.warn({
      code: 'part_unreadable',
      message: `sheet "${sheet.name}" could not be read: ${(error as Error).message}`,
    });
    return [head, ...sheetSection({ cells: [], merges: [], charts, comments }, budget, ctx, where)];
  }
  if (data.truncated)
    ctx.warn({
      code: 'truncated',
      message: `sheet "${sheet.name}": cells past the ${ctx.limits.maxCells}-cell limit were cut`,
    });
  const hidden = { rows: data.hiddenRows, cols: data.hiddenCols };
  return [
    head,
    ...sheetSection({ cells: data.cells, merges: data.merges, charts, hidden, comments }, budget, ctx, where),
  ];
}

/** A part the workbook can do without: unreadable → a warning and a fallback, never a failed conversion. */
function optionalPart<T>(ctx: ConvertContext, what: string, read: () => T): T | undefined {
  try {
    return read();
  } catch (error) {
    if (error instanceof ConversionError && error.code !== 'corrupt') throw error;
    ctx.warn({
      code: 'part_unreadable',
      message: `the workbook's ${what} could not be read: ${(error as Error).message}`,
    });
    return undefined;
  }
}
