/**
 * Legacy charts in DOCX: Microsoft Graph / Excel chart OLE objects (`w:object` → `o:OLEObject`) whose embedded
 * compound file holds a BIFF8 workbook. Fixtures are built here: the workbook with `test/fixtures/xls.ts`, the
 * package with `test/fixtures/docx.ts`.
 */
import { convert } from '../../shared/engine/engine.ts';
import { buildDocx, oleObject, p, run } from '../fixtures/docx.ts';
import { buildCfb, buildWorkbookStream, xls } from '../fixtures/xls.ts';

const OLE_REL = { id: 'rIdOle', type: 'oleObject', target: 'embeddings/oleObject1.bin' };
const PREVIEW_REL = { id: 'rIdImg', type: 'image', target: 'media/image1.emf' };

const DATA = [
  xls.label(0, 1, 'East'),
  xls.label(0, 2, 'West'),
  xls.label(1, 0, '1st Qtr'),
  xls.number(1, 1, 20.4),
  xls.number(1, 2, 30.6),
  xls.label(2, 0, '2nd Qtr'),
  xls.number(2, 1, 27.4),
  xls.number(2, 2, 38.6),
];

function docxWith(progId: string, ole: Uint8Array, preview = true) {
  return buildDocx({
    body: `<w:p>${run('Results:')}${oleObject(progId, OLE_REL.id, preview ? PREVIEW_REL.id : undefined)}</w:p>${p('After.')}`,
    rels: [OLE_REL, PREVIEW_REL],
    parts: { 'word/embeddings/oleObject1.bin': ole, 'word/media/image1.emf': new Uint8Array(8) },
  });
}

describe('docx legacy (OLE) charts', () => {
  it("writes an embedded chart's title and the series it reads from its data sheet, in place of its picture", async () => {
    const workbook = buildWorkbookStream({
      externSheets: [0],
      sheets: [
        {
          name: 'Sheet1',
          cells: [
            ...DATA,
            xls.chart({
              title: 'Sales 2003',
              series: [
                { name: [0, 1], values: [1, 2, 1, 1], categories: [1, 2, 0, 0] },
                { name: [0, 2], values: [1, 2, 2, 2], categories: [1, 2, 0, 0] },
              ],
            }),
          ],
        },
      ],
    });
    const result = await convert(docxWith('MSGraph.Chart.8', buildCfb([{ name: 'Workbook', data: workbook }])));
    expect(result.markdown).toBe(
      'Results:\n\nSales 2003\n\n| | East | West |\n| --- | --- | --- |\n| 1st Qtr | 20.4 | 30.6 |\n| 2nd Qtr | 27.4 | 38.6 |\n\nAfter.\n',
    );
    expect(result.warnings).toEqual([]);
  });

  it('writes the data sheet as the table when the chart records name no cells, keeping the title', async () => {
    const workbook = buildWorkbookStream({
      sheets: [
        { name: 'Datasheet', cells: [...DATA, xls.chart({ title: 'Regions', series: [{ values: 'formula' }] })] },
      ],
    });
    const result = await convert(docxWith('Excel.Chart.8', buildCfb([{ name: 'Workbook', data: workbook }])));
    expect(result.markdown).toBe(
      'Results:\n\nRegions\n\n| | East | West |\n| --- | --- | --- |\n| 1st Qtr | 20.4 | 30.6 |\n| 2nd Qtr | 27.4 | 38.6 |\n\nAfter.\n',
    );
  });

  it('keeps the picture placeholder and warns, naming the object, when the embedded chart cannot be read', async () => {
    const notCfb = await convert(docxWith('MSGraph.Chart.8', new TextEncoder().encode('not a compound file')));
    expect(notCfb.markdown).toBe('Results:![image](image1.emf)\n\nAfter.\n');
    expect(notCfb.warnings).toEqual([
      {
        code: 'unsupported_content',
        message: expect.stringMatching(
          /^embedded MSGraph\.Chart\.8 chart \(word\/embeddings\/oleObject1\.bin\).*could not be read \(compound file too short\)/,
        ),
      },
    ]);

    const noWorkbook = await convert(
      docxWith('MSGraph.Chart.8', buildCfb([{ name: 'Other', data: new Uint8Array(8) }])),
    );
    expect(noWorkbook.warnings.map((w) => w.message)).toEqual([expect.stringContaining('no Workbook stream')]);

    // With no preview picture either, the chart is still named rather than dropped.
    const bare = await convert(docxWith('MSGraph.Chart.8', new Uint8Array(8), false));
    expect(bare.markdown).toBe('Results:![Chart]()\n\nAfter.\n');
    expect(bare.warnings.map((w) => w.code)).toEqual(['unsupported_content']);
  });

  it('leaves other OLE objects (an equation) as their picture, without a warning', async () => {
    const result = await convert(docxWith('Equation.3', new Uint8Array(8)));
    expect(result.markdown).toBe('Results:![image](image1.emf)\n\nAfter.\n');
    expect(result.warnings).toEqual([]);
  });
});
