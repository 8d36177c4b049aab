/**
 * Real-world PDFs from the bug hunt (`../shared/bughunt/cases` beside the repo, or MDRAFT_BUGHUNT), checked
 * against facts of their `.expect.md`. The files stay out of the repo (their licences vary); without them these
 * tests are reported as skipped, with a warning saying how to run them, never as passed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { convert } from '../../shared/engine/engine.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const cases = process.env.MDRAFT_BUGHUNT
  ? path.resolve(process.env.MDRAFT_BUGHUNT)
  : path.resolve(repoRoot, '..', 'shared', 'bughunt', 'cases');
const have = (name: string) => fs.existsSync(path.join(cases, name));
if (!have('pdf-fake-bold.pdf'))
  console.warn(
    `pdf-bughunt: no cases at ${cases}; these tests are SKIPPED. Set MDRAFT_BUGHUNT=/path/to/bughunt/cases to run them.`,
  );

async function markdownOf(name: string): Promise<string> {
  const bytes = new Uint8Array(fs.readFileSync(path.join(cases, name)));
  return (await convert(bytes, { fileName: name })).markdown;
}

const on = (name: string) => (have(name) ? test : test.skip);

describe('pdf bug hunt cases', () => {
  on('pdf-line-numbered-transcript.pdf')('transcript: the court line is kept, line numbers are no table', async () => {
    const md = await markdownOf('pdf-line-numbered-transcript.pdf');
    expect(md).toContain('IN THE SUPREME COURT OF THE UNITED STATES');
    expect(md).toContain('No. 07-1315');
    expect(md).toContain('Tuesday, January 13, 2009');
    expect(md).toContain(
      'The above-entitled matter came on for oral argument before the Supreme Court of the United States at 1:01 p.m.',
    );
    expect(md).toContain('CHARLES M. SEVILLA, ESQ., San Diego, Cal.; on behalf of the Respondent.');
    expect(md).toContain('MICHAEL A. KNOWLES, WARDEN, Petitioner v. ALEXANDRE MIRZAYANCE.');
    expect(md).toContain('Washington, D.C.');
    expect(md).toContain('APPEARANCES:');
    expect(md).toContain(
      'STEVEN E. MERCER, ESQ., Deputy Attorney General, Los Angeles, Cal.; on behalf of the Petitioner.',
    );
    expect(md).not.toMatch(/^\|/m);
    // Line numbers dropped (or kept on every line): here dropped, so no line starts with one.
    expect(md).not.toMatch(/^\d{1,2} /m);
  });

  on('pdf-ruled-table-no-row-lines.pdf')(
    'ruled table without row rules: one row per indicator, page-sized',
    async () => {
      const md = await markdownOf('pdf-ruled-table-no-row-lines.pdf');
      expect(md.length).toBeLessThan(10_000);
      expect(md).toMatch(/\| Any Injury \| 1\.9 \| 2\.1 \|/);
      expect(md).toMatch(/\| Acute Illness \| 4\.5 \| 5\.6 \|/);
      expect(md).toMatch(/\| Children \(6-59 months\) having anaemia \| 68\.5 \| 71\.9 \|/);
      expect(md).toMatch(/\| Very High \(Systolic >180 mm of Hg & Diastolic >110 mm of Hg \) \| 3\.7 \| 3\.1 \|/);
      expect(md.split('Any Injury').length - 1).toBe(1);
      expect(md).toContain('Bhandara - Key Indicators');
      const rows = md
        .split('\n')
        .filter((l) => l.startsWith('|') && !l.startsWith('| ---'))
        .map((l) =>
          l
            .split('|')
            .slice(1, -1)
            .map((c) => c.trim()),
        );
      // Five columns: the indicator, then TOTAL and RURAL under DLHS-4 (2012-13) and under DLHS-3 (2007-08). GFM has
      // one header row, and TOTAL | RURAL | TOTAL | RURAL alone would not tell the columns apart: the group labels
      // are read into it, column by column.
      expect(rows.every((r) => r.length === 5)).toBe(true);
      expect(rows[0]).toEqual([
        'Indicators',
        'DLHS-4 (2012-13): TOTAL',
        'DLHS-4 (2012-13): RURAL',
        'DLHS-3 (2007-08): TOTAL',
        'DLHS-3 (2007-08): RURAL',
      ]);
      expect(rows.slice(1).filter((r) => r.includes('TOTAL') || r.includes('Indicators'))).toEqual([]);
      // The DLHS-3 columns are empty.
      expect(rows.slice(1).every((r) => r[3] === '' && r[4] === '')).toBe(true);
      for (const section of [
        'Reported Prevalence of Morbidity',
        'Anaemia Status by Haemoglobin Level<sup>14</sup> (%)',
        'Blood Sugar Level (age 18 years and above) (%)',
        'Hypertension (age 18 years and above) (%)',
      ])
        expect(rows.some((r) => r[0] === section && r.slice(1).every((c) => c === ''))).toBe(true);
      expect(md).toMatch(/\| Chronic Illness \| 5\.1 \| 4\.1 \|/);
      expect(md).toMatch(/\| Blood Sugar Level >140 mg\/dl \(high\) \| 12\.9 \| 11\.1 \|/);
      // Each indicator label heads one row only.
      const labels = rows.slice(1).map((r) => r[0]);
      expect(new Set(labels).size).toBe(labels.length);
      // The two notes under the last row run across the frame below the column rules: paragraphs after the
      // table, not rows with only their first cell filled.
      expect(rows[rows.length - 1][0]).toBe('Very High (Systolic >180 mm of Hg & Diastolic >110 mm of Hg )');
      expect(rows.some((r) => /Any anaemia below|Chronic Illness :/.test(r[0]))).toBe(false);
      const after = md
        .slice(md.lastIndexOf('\n|') + 1)
        .split('\n\n')
        .map((p) => p.trim());
      expect(after).toContain(
        '14 Any anaemia below 11g/dl, severe anaemia below 7g/dl. <sup>15</sup> Excluding age group 19 years',
      );
      expect(after).toContain(
        'Chronic Illness :Any person with symptoms persisting for longer than one month is defined as suffering from chronic illness',
      );
    },
  );

  on('pdf-superscript-in-table.pdf')('superscript in a table: the footnote mark stays apart from 24.91', async () => {
    const md = await markdownOf('pdf-superscript-in-table.pdf');
    expect(md).toContain('| Kerala | 29.03 | 24.91<sup>2</sup> | - | - | 4.11 | 1.77 | - | 0.48 | - | 1.45 |');
    expect(md).not.toContain('24.912');
    // The column-number row is one row: the formulas wrapped under "2=" and "6=" stay in their cells.
    expect(md).toContain('| 1 | 2= (3 to 6)+14 | 3 | 4 | 5 | 6= (7 to13) | 7 | 8 | 9 | 10 | 11 |');
    expect(md).not.toMatch(/^\| \| \(3 to 6\)\+14 \|/m);
    // Markdown escapes the stray backtick ("\`"); the facts are about the text a reader sees.
    const text = md.replace(/\\([`*_[\]])/g, '$1');
    expect(text).toContain('TABLE 125: STATE-WISE COMPOSITION OF OUTSTANDING LIABILITIES - 1997 (Contd.)');
    const tableLines = md.split('\n').filter((l) => l.startsWith('|'));
    for (const caption of ['(As at end-March)', '(` Billion)']) {
      expect(text).toContain(caption);
      expect(tableLines.some((l) => l.replace(/\\`/g, '`').includes(caption))).toBe(false);
    }
    expect(tableLines[tableLines.length - 1]).toBe(
      '| ALL STATES | 513.38 | 436.02 | - | 25.57 | 51.06 | 14.18 | - | 8.21 | 11.83 | 11.08 |',
    );
    expect(text).toContain('2 Includes `2.45 crore outstanding under “Market Loan Suspense”.');
  });

  on('pdf-fake-bold.pdf')('fake bold: each glyph once', async () => {
    const md = await markdownOf('pdf-fake-bold.pdf');
    expect(md).toContain('Fake Bold PDF Test Document');
    expect(md).toContain('Normal text: Hello World');
    expect(md).toContain('BOLD TEXT SAMPLE');
    expect(md.split('BOLD TEXT SAMPLE').length - 1).toBe(1);
    expect(md.split('Testing Deduplication').length - 1).toBe(1);
    expect(md).toMatch(/Note: The 'fake bold' lines above [^\n]*instead of 'BOLD'\./);
    expect(md).not.toMatch(/BOLLDD|TTEEXXTT|Teesstt/);
    expect(md).toContain('More normal text: The quick brown fox jumps over the lazy dog.');
  });

  on('pdf-rotated-page-table.pdf')('table on a /Rotate 90 page: one table, every figure in its row', async () => {
    const md = await markdownOf('pdf-rotated-page-table.pdf');
    expect(md).toContain('NICS Firearm Background Checks');
    expect(md).toContain('November - 2015');
    expect(md).toContain(
      '| Alabama | 18,870 | 23,022 | 22,650 | 859 | 1,178 | 0 | 14 | 15 | 0 | 2,179 | 2,307 | 11 | 0 | 0 | 0 | | | 13 | 14 | 0 | 3 | 2 | 0 | 71,137 |',
    );
    expect(md).toMatch(/\| Wyoming \|[^\n]*\| 5,017 \|/);
    expect(md).toMatch(/\| Totals \| 804,006 \| 671,330 \| 636,903 \|[^\n]*\| 2,236,457 \|/);
    const tableLines = md.split('\n').filter((l) => l.startsWith('|'));
    // The title is a caption above the table, not the table's first row.
    expect(tableLines[0].startsWith('| State / Territory |')).toBe(true);
    expect(tableLines.some((l) => /NICS Firearm|November - 2015/.test(l))).toBe(false);
    expect(md.indexOf('November - 2015')).toBeLessThan(md.indexOf('| State / Territory'));
    const header = tableLines[0];
    expect(header.split(' | ')).toHaveLength(25);
    expect(header).toMatch(/\| Totals \|$/);
    for (const group of [
      'Pre-Pawn',
      'Redemption',
      'Returned/Disposition',
      'Rentals',
      'Private Sale',
      'Return to Seller - Private Sale',
    ])
      expect(header).toContain(group);
    // Each group label names every sub-column under it, in the one header row.
    for (const group of [
      'Pre-Pawn',
      'Redemption',
      'Returned/Disposition',
      'Private Sale',
      'Return to Seller - Private Sale',
    ])
      for (const sub of ['Handgun', 'Long Gun', '\\*Other']) expect(header).toContain(`| ${group} ${sub} |`);
    expect(header).toContain('| Rentals Handgun | Rentals Long Gun |');
    expect(tableLines[tableLines.length - 1]).toMatch(
      /^\| Totals \| 804,006 \| 671,330 \| 636,903 \|[^\n]*\| 2,236,457 \|$/,
    );
    expect(md).toContain('*Refers to frames, receivers and other firearms'.replace('*', '\\*'));
    expect(md).toContain('Multiple (multiple types of firearms selected)');
    expect(md).toContain('DISCLAIMERS');
  });

  on('pdf-cid-font-no-tounicode.pdf')(
    'CID font without ToUnicode: the Czech text read through the embedded font cmap, no OCR, no warning',
    async () => {
      const bytes = new Uint8Array(fs.readFileSync(path.join(cases, 'pdf-cid-font-no-tounicode.pdf')));
      const result = await convert(bytes, { fileName: 'pdf-cid-font-no-tounicode.pdf' });
      expect(result.markdown).not.toMatch(/3HQ|SURVW|WHFK/);
      expect(result.markdown).toContain('Peněžní prostředky na účtech');
      expect(result.warnings.filter((w) => w.code === 'garbled_text')).toEqual([]);
    },
  );
  // Issue 11: the completeness check must not cry wolf on text removed on purpose.
  on('pdf-fake-bold.pdf')('fake bold: the overprinted copies are counted apart, no content_dropped', async () => {
    const result = await convert(new Uint8Array(fs.readFileSync(path.join(cases, 'pdf-fake-bold.pdf'))));
    expect(result.warnings.filter((w) => w.code.startsWith('content_'))).toEqual([]);
    expect(result.pages![0].completeness!.overprintChars).toBeGreaterThan(0);
  });

  on('pdf-line-numbered-transcript.pdf')(
    'transcript: line numbers are furniture, no content_dropped; the file-name title is dropped',
    async () => {
      const name = 'pdf-line-numbered-transcript.pdf';
      const result = await convert(new Uint8Array(fs.readFileSync(path.join(cases, name))));
      expect(result.warnings.filter((w) => w.code.startsWith('content_'))).toEqual([]);
      expect(result.pages![0].completeness!.furnitureLines).toEqual(expect.arrayContaining(['1', '13', '25']));
      expect(result.title).toBeUndefined(); // its /Title is a file name ("….exe")
    },
  );
});
