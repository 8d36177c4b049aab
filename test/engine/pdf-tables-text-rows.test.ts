/**
 * Ruled tables whose body rows have no rules of their own: the rows come from the text lines. Built like a
 * survey fact sheet: a frame, a ruled header, column rules only in the header, and per-row boxes drawn only in
 * the (empty) columns of an earlier survey. Each indicator keeps its own two values, no cell is copied into its
 * neighbours, and the output stays about the size of the page's text.
 */
import { convert } from '../../shared/engine/engine.ts';
import { buildPdfWithLines } from '../fixtures/pdf.ts';
import type { LineSpec, TextSpec } from '../fixtures/pdf.ts';
import { pipeTableRows } from '../fixtures/markdown.ts';

const INDICATORS: [string, string, string][] = [
  ['Any injury', '1.9', '2.1'],
  ['Acute illness', '4.5', '5.6'],
  ['Chronic illness', '5.1', '4.1'],
  ['Disease of the respiratory system', '11.7', '15.0'],
  ['Disease of the cardiovascular system', '8.9', '9.3'],
  ['Persons suffering from tuberculosis', '2.2', '1.5'],
  ['Children having anaemia', '68.5', '71.9'],
  ['Blood sugar above 140 mg/dl', '12.9', '11.1'],
];

function factSheet(): { text: TextSpec[]; lines: LineSpec[] } {
  const [left, right] = [72, 540];
  const cols = [72, 330, 400, 470, 505, 540]; // label | 2020 total | 2020 rural | 2010 total | 2010 rural
  const top = 100;
  const headerBottom = 130;
  const pitch = 12;
  const bodyTop = headerBottom + 4;
  const bottom = bodyTop + (INDICATORS.length + 1) * pitch + 20;
  const lines: LineSpec[] = [
    { x0: left, y0: top, x1: right, y1: top },
    { x0: left, y0: bottom, x1: right, y1: bottom },
    { x0: left, y0: top, x1: left, y1: bottom },
    { x0: right, y0: top, x1: right, y1: bottom },
    { x0: left, y0: headerBottom, x1: right, y1: headerBottom },
    // Column rules in the header only.
    ...cols.slice(1, -1).map((x) => ({ x0: x, y0: top, x1: x, y1: headerBottom })),
  ];
  const text: TextSpec[] = [
    { text: 'Indicators', x: 76, y: 124, size: 8 },
    { text: 'TOTAL', x: 340, y: 124, size: 8 },
    { text: 'RURAL', x: 410, y: 124, size: 8 },
    { text: 'TOTAL', x: 473, y: 124, size: 8 },
    { text: 'RURAL', x: 508, y: 124, size: 8 },
    { text: 'Reported prevalence of morbidity', x: 76, y: bodyTop + 9, size: 8 },
  ];
  INDICATORS.forEach(([label, total, rural], i) => {
    const y = bodyTop + (i + 1) * pitch + 9;
    text.push({ text: `${label} ${'.'.repeat(40)}`, x: 80, y, size: 8 });
    text.push({ text: total, x: 370, y, size: 8 });
    text.push({ text: rural, x: 440, y, size: 8 });
    // Empty boxes for the earlier survey's columns, one per row.
    const y0 = bodyTop + (i + 1) * pitch;
    for (const [a, b] of [
      [470, 505],
      [505, 540],
    ])
      lines.push(
        { x0: a, y0, x1: b, y1: y0 },
        { x0: a, y0: y0 + pitch, x1: b, y1: y0 + pitch },
        { x0: a, y0, x1: a, y1: y0 + pitch },
        { x0: b, y0, x1: b, y1: y0 + pitch },
      );
  });
  text.push({ text: 'Note: symptoms lasting longer than one month are chronic.', x: 76, y: bottom - 6, size: 7 });
  return { text, lines };
}

describe('ruled tables whose rows come from text lines', () => {
  test('each indicator is one row with its own two values; nothing is copied into neighbouring cells', async () => {
    const sheet = factSheet();
    const md = (
      await convert(
        await buildPdfWithLines([
          { text: [{ text: 'District fact sheet', x: 220, y: 80, size: 14 }, ...sheet.text], lines: sheet.lines },
        ]),
      )
    ).markdown;
    const rows = pipeTableRows(md);
    for (const [label, total, rural] of INDICATORS) {
      const row = rows.find((r) => r[0] === label);
      expect(row).toBeDefined();
      expect(row!.filter(Boolean)).toEqual([label, total, rural]);
      // Each label once in the whole output.
      expect(md.split(label).length - 1).toBe(1);
    }
    expect(md).not.toMatch(/\.{4}/); // dot leaders are no content
    expect(md).toContain('District fact sheet');
    expect(md.indexOf('District fact sheet')).toBeLessThan(md.indexOf('|'));
    // The note under the rows is its own text, not merged with the last indicator's values.
    const note = rows.find((r) => r.some((c) => c.includes('symptoms lasting')));
    if (note) expect(note.filter(Boolean)).toHaveLength(1);
    else expect(md).toContain('Note: symptoms lasting longer than one month are chronic.');
    // Proportional to the page's text: the text drawn is about 700 characters.
    const pageText = sheet.text.map((t) => t.text.replace(/\.{4,}/, '')).join(' ').length;
    expect(md.length).toBeLessThan(3 * pageText);
  });
});
