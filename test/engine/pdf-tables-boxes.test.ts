/**
 * Framed boxes of prose (call-outs, cards, a grid of panels) are text, not a ruled table: their rules are frames,
 * each box holds one column of sentences. A table ruled with horizontal rules only still is a table.
 */
import { convert } from '../../shared/engine/engine.ts';
import { buildPdfWithLines, paragraphLines } from '../fixtures/pdf.ts';
import type { LineSpec, TextSpec } from '../fixtures/pdf.ts';

/** The four sides of a box (top, bottom, left, right), coordinates from the top of the page. */
function frame(x0: number, top: number, x1: number, bottom: number): LineSpec[] {
  return [
    { x0, y0: top, x1, y1: top },
    { x0, y0: bottom, x1, y1: bottom },
    { x0, y0: top, x1: x0, y1: bottom },
    { x0: x1, y0: top, x1, y1: bottom },
  ];
}

/** A framed panel: a title line, a rule under it, and a paragraph of sentences. */
function panel(
  title: string,
  body: string[],
  x0: number,
  top: number,
  x1: number,
): { text: TextSpec[]; lines: LineSpec[]; bottom: number } {
  const bottom = top + 40 + body.length * 13 + 12;
  return {
    text: [{ text: title, x: x0 + 10, y: top + 20, size: 13 }, ...paragraphLines(body, x0 + 10, top + 44, 10, 13)],
    lines: [...frame(x0, top, x1, bottom), { x0: x0 + 10, y0: top + 28, x1: x1 - 10, y1: top + 28 }],
    bottom,
  };
}

const BODIES = [
  [
    'Every morning the station records the air pressure and the',
    'temperature, and the readings are sent to the central office',
    'before noon so that the forecast can be prepared in time.',
  ],
  [
    'The river rises slowly in spring when the snow melts in the',
    'mountains, and the towns along its banks prepare their walls',
    'and pumps long before the water reaches the old bridge.',
  ],
  [
    'Farmers in the valley plant their wheat after the last frost',
    'and harvest it at the end of summer, when the grain is dry',
    'enough to be stored in the barns without spoiling.',
  ],
  [
    'The lighthouse keeper climbs the tower twice each night to',
    'trim the wick and clean the lens, so that ships passing the',
    'rocks can see the light from many miles away.',
  ],
];

describe('pdf framed prose boxes', () => {
  test('three stacked framed boxes of prose stay headings and paragraphs, in order, with no table', async () => {
    const text: TextSpec[] = [];
    const lines: LineSpec[] = [];
    let top = 80;
    ['1. Weather', '2. Rivers', '3. Harvest'].forEach((title, i) => {
      const p = panel(title, BODIES[i], 72, top, 520);
      text.push(...p.text);
      lines.push(...p.lines);
      top = p.bottom + 10;
    });
    const md = (await convert(await buildPdfWithLines([{ text, lines }]))).markdown;
    expect(md).not.toContain('|');
    const at = ['1. Weather', 'air pressure', '2. Rivers', 'snow melts', '3. Harvest', 'last frost'].map((s) =>
      md.indexOf(s),
    );
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    // The paragraph inside a box is one paragraph, its lines joined.
    expect(md).toContain('the temperature, and the readings are sent');
  });

  test('boxes closed by a rule above and below only, a gap between them, stay paragraphs in order', async () => {
    const text: TextSpec[] = [];
    const lines: LineSpec[] = [];
    let top = 80;
    ['1. Weather', '2. Rivers', '3. Harvest'].forEach((title, i) => {
      const p = panel(title, BODIES[i], 72, top, 520);
      text.push(...p.text);
      lines.push(...p.lines.filter((l) => l.y0 === l.y1)); // no sides
      top = p.bottom + 10;
    });
    const md = (await convert(await buildPdfWithLines([{ text, lines }]))).markdown;
    expect(md).not.toContain('|');
    const at = ['1. Weather', 'air pressure', '2. Rivers', 'snow melts', '3. Harvest', 'last frost'].map((s) =>
      md.indexOf(s),
    );
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  test('a two-by-two grid of framed panels is read column by column, not as a table', async () => {
    // Panels almost touching side by side (a hairline apart), as page-layout tools place them.
    // A landscape page, as such slides and handouts usually are.
    const first = panel('1. Weather', BODIES[0], 40, 100, 395);
    const all = [
      first,
      panel('2. Rivers', BODIES[1], 40, first.bottom + 8, 395),
      panel('3. Harvest', BODIES[2], 396.5, 100, 751.5),
      panel('4. Light', BODIES[3], 396.5, first.bottom + 6, 751.5),
    ];
    const pdf = await buildPdfWithLines(
      [{ text: all.flatMap((p) => p.text), lines: all.flatMap((p) => p.lines) }],
      [792, 612],
    );
    const md = (await convert(pdf)).markdown;
    expect(md).not.toContain('|');
    const at = [
      '1. Weather',
      'air pressure',
      '2. Rivers',
      'snow melts',
      '3. Harvest',
      'last frost',
      '4. Light',
      'lighthouse',
    ].map((s) => md.indexOf(s));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  test('a table ruled with horizontal rules only (header rule, row rules, figures) is still a table', async () => {
    const rows = [
      ['Region', 'Units', 'Revenue', 'Margin'],
      ['North', '1,250', '48.2', '12%'],
      ['South', '980', '37.5', '9%'],
      ['East', '1,410', '55.0', '14%'],
      ['West', '760', '29.1', '7%'],
    ];
    const xs = [80, 200, 300, 400];
    const text: TextSpec[] = [{ text: 'Sales by region for the last quarter.', x: 80, y: 80 }];
    const lines: LineSpec[] = [];
    rows.forEach((row, r) => {
      const y = 120 + r * 22;
      row.forEach((t, c) => text.push({ text: t, x: xs[c], y, size: 10, bold: r === 0 }));
      lines.push({ x0: 72, y0: y - 14, x1: 480, y1: y - 14 });
    });
    lines.push({ x0: 72, y0: 120 + rows.length * 22 - 14, x1: 480, y1: 120 + rows.length * 22 - 14 });
    const md = (await convert(await buildPdfWithLines([{ text, lines }]))).markdown;
    const table = md
      .split('\n')
      .filter((l) => l.startsWith('|') && !/^\|[\s:|-]+\|$/.test(l))
      .map((l) =>
        l
          .slice(1, -1)
          .split('|')
          .map((c) => c.trim()),
      );
    expect(table).toEqual(rows);
  });

  test('a table of short cells drawn as separate framed boxes is still a table', async () => {
    const rows = [
      ['Item', 'Qty', 'Price'],
      ['Bolts', '200', '4.50'],
      ['Nuts', '350', '3.10'],
      ['Washers', '500', '1.20'],
    ];
    const text: TextSpec[] = [];
    const lines: LineSpec[] = [];
    rows.forEach((row, r) =>
      row.forEach((t, c) => {
        const x0 = 72 + c * 122;
        const top = 100 + r * 24;
        lines.push(...frame(x0, top, x0 + 120, top + 22));
        text.push({ text: t, x: x0 + 5, y: top + 15, size: 10 });
      }),
    );
    const md = (await convert(await buildPdfWithLines([{ text, lines }]))).markdown;
    const table = md
      .split('\n')
      .filter((l) => l.startsWith('|') && !/^\|[\s:|-]+\|$/.test(l))
      .map((l) =>
        l
          .slice(1, -1)
          .split('|')
          .map((c) => c.trim()),
      );
    expect(table).toEqual(rows);
  });
});
