/**
 * CSV / TSV: one GFM table, the first record as its header. The whole buffer is decoded with the shared
 * charset rules, the delimiter comes from Excel's `sep=` first line (which is then dropped), else from
 * detection (or is sniffed again when converting directly), ragged
 * records are padded to the widest one (a short header row is widened with empty cells), and blank records
 * are dropped. Huge files stop at `limits.maxCells` cells with a `truncated` warning.
 */
import type { Converter, DocumentTree } from '../../types.ts';
import { ConversionError } from '../../errors.ts';
import { decodeText, decodingWarnings } from '../../text-decode.ts';
import { brk, cell, root, row, table, text } from '../../mdast.ts';
import type { PhrasingContent, TableCell } from '../../mdast.ts';
import { parseDelimited } from './parse.ts';
import { delimiterFromName, excelSeparator, sniffDelimiter } from './sniff.ts';

export const csvConverter: Converter = {
  name: 'csv',
  accepts: (input) => input.format === 'csv',
  async convert({ bytes, detected }, ctx): Promise<DocumentTree> {
    const decoded = decodeText(bytes, { charset: ctx.options.charset });
    for (const w of decodingWarnings(decoded, 'delimited text')) ctx.warn(w);
    const body = decoded.text.replace(/^\ufeff/, '');
    // Excel's `sep=` line names the delimiter and is not a record.
    const declared = excelSeparator(body);
    const source = declared ? declared.rest : body;
    const delimiter =
      declared?.delimiter ??
      detected.delimiter ??
      sniffDelimiter(source.slice(0, 64 * 1024), extensionOf(ctx.options.fileName)) ??
      delimiterFromName(ctx.options.fileName) ??
      ',';
    const { rows, truncated } = parseDelimited(source, delimiter, ctx.limits.maxCells);
    if (truncated) {
      ctx.warn({ code: 'truncated', message: `the table was cut after ${ctx.limits.maxCells} cells` });
    }
    const records = rows.filter((r) => r.some((c) => c.trim() !== ''));
    if (records.length === 0) throw new ConversionError('empty', 'the delimited text holds no values');
    const width = Math.max(...records.map((r) => r.length));
    return { root: root([table(records.map((r) => row(padded(r, width).map(toCell))))]) };
  },
};

function padded(record: string[], width: number): string[] {
  return record.length >= width ? record : [...record, ...new Array<string>(width - record.length).fill('')];
}

/** Line breaks inside a quoted field survive as breaks (rendered `<br>` in the table). */
function toCell(value: string): TableCell {
  const lines = value.replace(/\r\n?/g, '\n').split('\n');
  const children: PhrasingContent[] = [];
  lines.forEach((line, i) => {
    if (i) children.push(brk());
    if (line) children.push(text(line));
  });
  return cell(children);
}

function extensionOf(fileName: string | undefined): string | undefined {
  return fileName?.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1];
}
