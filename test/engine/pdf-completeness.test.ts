/**
 * The per-page completeness check: figures in the result for every PDF page, furniture listed, and the
 * `content_dropped` / `content_repeated` warnings on pages that lose or duplicate text.
 */
import { PDFDocument, StandardFonts, degrees } from 'pdf-lib';
import { convert } from '../../shared/engine/engine.ts';
import { checkCompleteness } from '../../shared/engine/completeness.ts';
import { buildPdf, fakeBold, lineNumberedPage, paragraphLines } from '../fixtures/pdf.ts';

const BODY = [
  'The committee met on the fourth of March to review the budget for the coming year.',
  'It approved the plan for new equipment and asked for a report on staffing by May.',
  'Members agreed that the library will open on Saturdays from the first of June on.',
];

/** Upright body text (nine lines) plus a block of lines set sideways (turned 90°) beside it, as a rotated table would be. */
async function pageWithSidewaysBlock(lines: string[]): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([612, 792]);
  [...BODY, ...BODY, ...BODY].forEach((t, i) => page.drawText(t, { x: 72, y: 700 - i * 14, size: 10, font }));
  lines.forEach((t, i) => page.drawText(t, { x: 120 + i * 14, y: 120, size: 10, font, rotate: degrees(90) }));
  return doc.save();
}

describe('pdf completeness check', () => {
  test('every page carries its figures; a complete page has nothing missing and no warning', async () => {
    const pdf = await buildPdf([paragraphLines(BODY, 72, 100), paragraphLines(BODY.slice(0, 2), 72, 100)]);
    const result = await convert(pdf);
    expect(result.pages?.map((p) => p.page)).toEqual([1, 2]);
    const first = result.pages![0].completeness!;
    const letters = BODY.join('').replace(/[^\p{L}\p{N}]/gu, '').length;
    expect(first).toEqual({
      textLayerChars: letters,
      outputChars: letters,
      furnitureChars: 0,
      furnitureLines: [],
      missingChars: 0,
      repeatedShare: 0,
    });
    expect(result.warnings).toEqual([]);
  });

  test('running headers and page numbers are listed as furniture, not as loss', async () => {
    const pages = [1, 2, 3].map((n) => [
      { text: 'Annual Report of the Library Committee', x: 72, y: 40, size: 9 },
      ...paragraphLines(
        BODY.map((t) => `${t} (${n})`),
        72,
        120,
      ),
      { text: `Page ${n}`, x: 290, y: 760, size: 9 },
    ]);
    const result = await convert(await buildPdf(pages));
    for (const p of result.pages!) {
      expect(p.completeness!.furnitureLines).toEqual(
        expect.arrayContaining(['Annual Report of the Library Committee', `Page ${p.page}`]),
      );
      expect(p.completeness!.missingChars).toBe(0);
    }
    expect(result.warnings).toEqual([]);
  });

  test('a sideways stamp in the margin is furniture', async () => {
    const result = await convert(await pageWithSidewaysBlock(['arXiv:2101.00001v1 [cs.CL] 4 Jan 2021']));
    expect(result.pages![0].completeness!.furnitureLines).toEqual(['arXiv:2101.00001v1 [cs.CL] 4 Jan 2021']);
    expect(result.warnings).toEqual([]);
  });

  test('a sideways block the engine leaves out of the flow is reported as dropped, naming the page', async () => {
    const sideways = [
      'Region North reported revenue of 4,120 in the first quarter',
      'Region South reported revenue of 3,870 in the first quarter',
      'Region East reported revenue of 2,990 in the first quarter',
    ];
    const result = await convert(await pageWithSidewaysBlock(sideways));
    const figures = result.pages![0].completeness!;
    expect(figures.furnitureLines).toEqual([]);
    expect(figures.missingChars).toBeGreaterThan(100);
    expect(result.warnings).toEqual([
      expect.objectContaining({ code: 'content_dropped', page: 1, message: expect.stringContaining('page 1') }),
    ]);
  });
});

const letterCount = (s: string) => s.replace(/[^\p{L}\p{N}]/gu, '').length;

describe('pdf completeness: text removed on purpose is no loss', () => {
  test('fake-bold lines (every glyph drawn twice) read once: the copies are counted apart, no warning', async () => {
    const bold = ['NOTICE OF ANNUAL GENERAL MEETING', 'All members are invited to attend'];
    const pdf = await buildPdf([
      [
        ...(await fakeBold(bold[0], 72, 100, 12)),
        ...paragraphLines(BODY, 72, 130),
        ...(await fakeBold(bold[1], 72, 190, 12)),
        ...paragraphLines(BODY.slice(0, 2), 72, 220),
      ],
    ]);
    const result = await convert(pdf);
    const figures = result.pages![0].completeness!;
    const copies = letterCount(bold.join(''));
    expect(figures.overprintChars).toBe(copies);
    expect(figures.textLayerChars).toBe(2 * copies + letterCount([...BODY, ...BODY.slice(0, 2)].join('')));
    expect(figures.missingChars).toBe(0);
    expect(result.warnings).toEqual([]);
  });

  test('overprint copies excuse only themselves: a line lost on a fake-bold page is still reported', () => {
    // As read: each glyph of the heading twice; the converter kept one copy of each.
    const source = {
      page: 1,
      text: `QQUUAARRTTEERRLLYY FFIIGGUURREESS ${BODY.join(' ')}`,
      furnitureLines: [],
      overprintCopies: 'QUARTERLYFIGURES',
    };
    const whole = checkCompleteness([source], [{ page: 1, markdown: `**QUARTERLY FIGURES**\n\n${BODY.join(' ')}` }]);
    expect(whole.figures.get(1)).toMatchObject({ overprintChars: 16, missingChars: 0 });
    expect(whole.warnings).toEqual([]);
    const lost = checkCompleteness([source], [{ page: 1, markdown: `**QUARTERLY FIGURES**\n\n${BODY[0]}` }]);
    expect(lost.figures.get(1)!.missingChars).toBe(letterCount(BODY.slice(1).join('')));
    expect(lost.warnings).toEqual([expect.objectContaining({ code: 'content_dropped', page: 1 })]);
  });

  test('margin line numbers of a transcript are listed as removed furniture, not dropped content', async () => {
    const lines = [
      'IN THE UNITED STATES DISTRICT COURT',
      'FOR THE NORTHERN DISTRICT OF OHIO',
      '',
      'UNITED STATES OF AMERICA,',
      '          Plaintiff,',
      '     v.                          Case No. 4:12-cr-00387',
      'ROBERT T. WALLACE,',
      '          Defendant.',
      '',
      'TRANSCRIPT OF SENTENCING HEARING',
      'BEFORE THE HONORABLE DAVID A. MORENO',
      'Tuesday, October 15, 2013',
      '',
      'APPEARANCES:',
      'For the Government: Karen L. Brooks, Assistant U.S. Attorney',
      'For the Defendant: Michael J. Porter, Esq.',
      '',
      'Court Reporter: Susan M. Kline, RMR, CRR',
      '',
      'Proceedings recorded by mechanical stenography;',
      'transcript produced by computer-aided transcription.',
      '',
      '',
      '',
      '',
    ];
    const result = await convert(await buildPdf([lineNumberedPage(lines)]));
    const figures = result.pages![0].completeness!;
    const numbers = lines.map((_, i) => String(i + 1));
    expect(figures.furnitureLines).toEqual(expect.arrayContaining(numbers));
    expect(figures.furnitureChars).toBeGreaterThanOrEqual(letterCount(numbers.join('')));
    expect(figures.missingChars).toBe(0);
    expect(result.markdown).toContain('TRANSCRIPT OF SENTENCING HEARING');
    expect(result.markdown).not.toMatch(/(^|\n)\d{1,2}( |\n|$)/);
    expect(result.warnings).toEqual([]);
  });
});

describe('completeness figures', () => {
  const text =
    'Invoice 2024-117 issued 3 May 2024 to Acme Ltd for consulting services rendered in April, total 4,200 EUR.';

  test('a page whose Markdown copies a line many times is content_repeated', () => {
    const md = Array.from({ length: 6 }, () => text).join('\n\n');
    const { figures, warnings } = checkCompleteness(
      [{ page: 2, text, furnitureLines: [] }],
      [{ page: 2, markdown: md }],
    );
    expect(figures.get(2)!.repeatedShare).toBeGreaterThan(0.5);
    expect(warnings).toEqual([expect.objectContaining({ code: 'content_repeated', page: 2 })]);
  });

  test('repetition the source has (an original and its copy) is no warning', () => {
    const twice = `${text} ${text}`;
    const md = `${text}\n\n${text}`;
    const { warnings } = checkCompleteness([{ page: 1, text: twice, furnitureLines: [] }], [{ page: 1, markdown: md }]);
    expect(warnings).toEqual([]);
  });

  test('a missing invoice number is dropped content; Markdown syntax and tags count for nothing', () => {
    const md =
      'Invoice issued 3 May 2024 to **Acme Ltd** for [consulting](https://example.com/x) services rendered in April, total 4,200<sup>1</sup> EUR.';
    const { figures, warnings } = checkCompleteness(
      [{ page: 1, text: `${text} 1`, furnitureLines: [] }],
      [{ page: 1, markdown: md }],
    );
    expect(figures.get(1)!.missingChars).toBe(7); // 2024117
    expect(warnings).toEqual([]); // 7 characters: under the 10-character floor
    const { warnings: more } = checkCompleteness(
      [{ page: 1, text: `${text} Order reference 99881-7712.`, furnitureLines: [] }],
      [{ page: 1, markdown: md }],
    );
    expect(more).toEqual([expect.objectContaining({ code: 'content_dropped', page: 1 })]);
  });

  test('rows moved to the page before (a continued table) are no loss', () => {
    const { warnings, figures } = checkCompleteness(
      [
        { page: 1, text: 'Name Count apple 12', furnitureLines: [] },
        { page: 2, text: 'pear 7 plum 30 cherry 44', furnitureLines: [] },
      ],
      [
        {
          page: 1,
          markdown: '| Name | Count |\n| --- | --- |\n| apple | 12 |\n| pear | 7 |\n| plum | 30 |\n| cherry | 44 |',
        },
        { page: 2, markdown: '' },
      ],
    );
    expect(figures.get(2)!.missingChars).toBe(0);
    expect(warnings).toEqual([]);
  });
});
