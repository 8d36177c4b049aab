/**
 * Legacy charts in PPTX: a graphic frame holding `p:oleObj` with a Microsoft Graph / Excel chart ProgID, its
 * embedded compound file built with `test/fixtures/xls.ts`, the package with `test/fixtures/pptx.ts`.
 */
import { convert } from '../../shared/engine/engine.ts';
import { buildPptx, graphicFrame } from '../fixtures/pptx.ts';
import { buildCfb, buildWorkbookStream, xls } from '../fixtures/xls.ts';

const OLE_URI = 'http://schemas.openxmlformats.org/presentationml/2006/ole';

function pptxWith(progId: string, ole: Uint8Array) {
  return buildPptx({
    slides: [
      {
        shapes: graphicFrame(OLE_URI, `<p:oleObj name="Chart" r:id="rIdOle" progId="${progId}"><p:embed/></p:oleObj>`),
        rels: [{ id: 'rIdOle', type: 'oleObject', target: '../embeddings/oleObject1.bin' }],
      },
    ],
    files: [{ name: 'ppt/embeddings/oleObject1.bin', data: ole }],
  });
}

describe('pptx legacy (OLE) charts', () => {
  it("writes a Microsoft Graph chart's title and the data it reads from its data sheet", async () => {
    const workbook = buildWorkbookStream({
      externSheets: [0],
      sheets: [
        {
          name: 'Sheet1',
          cells: [
            xls.label(0, 1, 'East'),
            xls.label(1, 0, 'Q1'),
            xls.number(1, 1, 5),
            xls.label(2, 0, 'Q2'),
            xls.number(2, 1, 7.5),
            xls.chart({ title: 'Trend', series: [{ name: [0, 1], values: [1, 2, 1, 1], categories: [1, 2, 0, 0] }] }),
          ],
        },
      ],
    });
    const result = await convert(pptxWith('MSGraph.Chart.8', buildCfb([{ name: 'Workbook', data: workbook }])));
    expect(result.markdown).toContain('Trend\n\n| | East |\n| --- | --- |\n| Q1 | 5 |\n| Q2 | 7.5 |\n');
    expect(result.warnings).toEqual([]);
  });

  it('names an unreadable chart object with a placeholder and an unsupported_content warning', async () => {
    const result = await convert(pptxWith('MSGraph.Chart.8', new Uint8Array(16)));
    expect(result.markdown).toContain('![Chart]()');
    expect(result.warnings).toEqual([
      {
        code: 'unsupported_content',
        message: expect.stringContaining(
          'embedded MSGraph.Chart.8 chart (ppt/embeddings/oleObject1.bin) could not be read',
        ),
      },
    ]);
  });
});
