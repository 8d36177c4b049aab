/** Property tests: whatever bytes or markup arrive, the XLSX and XLS converters answer with a result or a typed error. */
import fc from 'fast-check';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { ConversionError } from '../../shared/engine/errors.ts';
import { DEFAULT_LIMITS } from '../../shared/engine/types.ts';
import { serialize } from '../../shared/engine/markdown.ts';
import { convertXlsx } from '../../shared/engine/formats/xlsx/index.ts';
import { convertXls } from '../../shared/engine/formats/xls/index.ts';
import { buildXlsx } from '../fixtures/xlsx.ts';
import { buildXls, xls } from '../fixtures/xls.ts';

const ctx = { options: {}, limits: { ...DEFAULT_LIMITS, maxCells: 10_000 }, warn: () => {} };

/** Runs a conversion; anything thrown must be a ConversionError. */
function settles(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    if (!(error instanceof ConversionError)) throw error;
  }
}

const sheetXmlToken = fc.constantFrom(
  '<row r="1">',
  '<row>',
  '</row>',
  '<c r="A1">',
  '<c r="ZZZZ99999999">',
  '<c t="s">',
  '<c t="inlineStr">',
  '<c t="b">',
  '<c t="e">',
  '<c t="d">',
  '<c s="9999">',
  '</c>',
  '<v>',
  '</v>',
  '<v>1e308</v>',
  '<v>-1</v>',
  '<v>NaN</v>',
  '<is><t>x</t></is>',
  '<f>SUM(A1)</f>',
  '<mergeCell ref="A1:XFD1048576"/>',
  '<mergeCell ref="bad"/>',
  '&amp;',
  '&bogus;',
  '&#0;',
  '&#x110000;',
  '<![CDATA[<c>]]>',
  '<!-- c -->',
  '<?pi x?>',
  'text',
  '<',
  '>',
  '"',
  '<c r="A1"/>',
);

describe('xlsx/xls hostile input', () => {
  it('xlsx: random markup inside sheetData gives a result or a typed error', () => {
    fc.assert(
      fc.property(fc.array(sheetXmlToken, { maxLength: 40 }), (tokens) => {
        const bytes = buildXlsx({
          sharedStrings: ['a'],
          sheets: [
            { name: 'S', sheetData: tokens.join('') },
            { name: 'T', cells: { A1: 'ok' } },
          ],
        });
        settles(() => convertXlsx(bytes, ctx));
      }),
      { numRuns: 200 },
    );
  });

  it('xlsx: corrupted bytes give a result or a typed error', () => {
    const good = buildXlsx({
      sharedStrings: ['a', 'b'],
      cellXfs: [0, 14],
      sheets: [{ name: 'S', cells: { A1: { t: 's', v: '0' }, B1: { s: 1, v: '45000' }, A2: 3 } }],
    });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        (edits) => {
          const bytes = good.slice();
          for (const [at, value] of edits) bytes[at] = value;
          settles(() => convertXlsx(bytes, ctx));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('xls: corrupted bytes give a result or a typed error', () => {
    const good = buildXls({
      sst: ['alpha', 'beta ünïcode ☃'],
      sstRecordBytes: 12,
      xfs: [0, 14],
      sheets: [
        {
          name: 'S',
          cells: [
            xls.labelSst(0, 0, 0),
            xls.labelSst(0, 1, 1),
            xls.number(1, 0, 45000, 1),
            xls.mulrk(1, 1, [1, 2]),
            xls.formulaString(2, 0, 's'),
            xls.merged([[0, 1, 0, 0]]),
          ],
        },
      ],
    });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        (edits) => {
          const bytes = good.slice();
          for (const [at, value] of edits) bytes[at] = value;
          settles(() => convertXls(bytes, ctx));
        },
      ),
      { numRuns: 300 },
    );
  });
  it('xlsx: a sheet part the workbook lists many times is converted once, with a warning', () => {
    // Two <sheet> entries naming one part is a workbook Excel refuses to open; read as listed, a few KB of
    // workbook.xml would convert one sheet thousands of times (measured: 5000 listings of a 200-row sheet
    // ran past a 5 s budget).
    const cells: Record<string, string> = {};
    for (let r = 1; r <= 20; r++) cells[`A${r}`] = `row ${r}`;
    const files = unzipSync(buildXlsx({ sheets: [{ name: 'Data', cells }] }));
    const wb = strFromU8(files['xl/workbook.xml']);
    const sheet = wb.match(/<sheet [^>]*\/>/)![0];
    const copies = Array.from({ length: 3000 }, (_, i) =>
      sheet.replace(/name="[^"]*"/, `name="Copy ${i}"`).replace(/sheetId="\d+"/, `sheetId="${i + 1}"`),
    );
    files['xl/workbook.xml'] = strToU8(wb.replace(sheet, copies.join('')));
    const warnings: { code: string; message: string }[] = [];
    const tree = convertXlsx(zipSync(files), { ...ctx, warn: (w) => warnings.push(w) });
    const text = JSON.stringify(tree);
    expect(text.split('row 20').length - 1).toBe(1);
    expect(warnings).toContainEqual({
      code: 'unsupported_content',
      message: 'the workbook lists a sheet part it already lists 2999 more times; each was converted once',
    });
  });
});

describe('xlsx long runs read in linear time', () => {
  const convertMd = (bytes: Uint8Array) => serialize(convertXlsx(bytes, ctx).root).markdown;

  it('formats with a custom number format of 200,000 unclosed brackets, and still reads bracketed modifiers', () => {
    const sheet = (code: string) =>
      buildXlsx({
        numFmts: { 164: code },
        cellXfs: [0, 164],
        sheets: [{ name: 'S', cells: { A1: 'v', A2: { s: 1, v: '0.5' } } }],
      });
    // The pattern this replaced rescanned to the end from every unclosed `[`.
    expect(convertMd(sheet('['.repeat(200_000)))).toBe('## S\n\n| v |\n| --- |\n| 0.5 |\n');
    expect(convertMd(sheet('[Red][>1]0.0%'))).toBe('## S\n\n| v |\n| --- |\n| 50.0% |\n');
    expect(convertMd(sheet('[$-409][h]:mm'))).toBe('## S\n\n| v |\n| --- |\n| 12:00 |\n');
  });

  it('reads a cell tag holding a 200,000-character run with no value, and attributes set after it', () => {
    const files = unzipSync(
      buildXlsx({ sheets: [{ name: 'S', cells: { A1: 'k', B1: 'v', A2: 'x', B2: { v: '7' } } }] }),
    );
    const path = Object.keys(files).find((p) => /^xl\/worksheets\/.*\.xml$/.test(p))!;
    const xml = strFromU8(files[path]);
    expect(xml).toContain('<c r="B2"');
    files[path] = strToU8(xml.replace('<c r="B2"', `<c ${'a'.repeat(200_000)} r="B2" x='1'y="2"`));
    expect(convertMd(zipSync(files))).toBe('## S\n\n| k | v |\n| --- | --- |\n| x | 7 |\n');
  });
});
