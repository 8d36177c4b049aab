/**
 * The spreadsheet cases of the shared bug hunt (`../shared/bughunt/cases` beside the repo, or MDRAFT_BUGHUNT),
 * checked against the facts their `.expect.md` states. The files are third-party evaluation data and never enter
 * the repo, so on a clone without them these tests are reported as skipped by jest (with a warning), never as
 * passed. The classes they show are covered by built fixtures in xlsx-blocks.test.ts and xlsx.test.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { convert } from '../../shared/engine/engine.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const cases = process.env.MDRAFT_BUGHUNT
  ? path.resolve(process.env.MDRAFT_BUGHUNT)
  : path.resolve(repoRoot, '..', 'shared', 'bughunt', 'cases');

/** Table rows of the Markdown as their non-empty cell texts. */
function tableRows(markdown: string): string[][] {
  return markdown
    .split('\n')
    .filter((l) => l.startsWith('|') && !/^\|(\s*-+\s*\|)+$/.test(l))
    .map((l) =>
      l
        .slice(1, -1)
        .split('|')
        .map((c) => c.trim())
        .filter(Boolean),
    );
}

/** Header rows (the row above a delimiter row) of every table. */
function tableHeaders(markdown: string): string[][] {
  const lines = markdown.split('\n');
  const out: string[][] = [];
  lines.forEach((l, i) => {
    if (i > 0 && /^\|(\s*-+\s*\|)+$/.test(l)) out.push(tableRows(lines[i - 1])[0] ?? []);
  });
  return out;
}

async function run(name: string) {
  const bytes = new Uint8Array(fs.readFileSync(path.join(cases, name)));
  return convert(bytes, { fileName: name });
}

const have = (name: string) => fs.existsSync(path.join(cases, name));
const missing = ['xlsx-spacer-col-index.xlsx', 'xlsx-hidden-sheet.xlsx'].filter((n) => !have(n));
if (missing.length)
  console.warn(
    `xlsx-bughunt: ${missing.join(', ')} not found in ${cases}; those tests are SKIPPED. Put the bug hunt cases at ../shared/bughunt/cases beside the repo or set MDRAFT_BUGHUNT=/path/to/cases.`,
  );

describe('xlsx bug hunt cases', () => {
  (have('xlsx-spacer-col-index.xlsx') ? test : test.skip)(
    'xlsx-spacer-col-index: page numbers stay in the row of their topic across the spacer column',
    async () => {
      const { markdown } = await run('xlsx-spacer-col-index.xlsx');
      const rows = tableRows(markdown);
      const hasRow = (...cells: string[]) => rows.some((r) => r.join('\u0000') === cells.join('\u0000'));
      expect(hasRow('Quarterly revenue', 'Nine quarters to 30 June 2023', '1')).toBe(true);
      expect(hasRow('Group financial performance', 'FY 22', 'FY 23', '2')).toBe(true);
      expect(hasRow('Segmental results', 'FY 22', 'FY 23', '3')).toBe(true);
      expect(hasRow('Segmental analysis', 'FY 22', 'FY 23', '4')).toBe(true);
      expect(hasRow('Cash flow', 'FY 22', 'FY 23', '5')).toBe(true);
      const operational = [
        'Mobile customers',
        'Fixed broadband customers',
        'Marketable homes passed',
        'TV customers',
        'Converged customers',
        'Mobile churn',
        'Mobile data usage',
        'Mobile ARPU',
      ];
      operational.forEach((topic, i) => {
        const row = rows.find((r) => r[0] === topic);
        expect(row?.[row.length - 1]).toBe(String(6 + i));
      });
      expect(rows.find((r) => r[0] === 'Average foreign exchange rates')?.at(-1)).toBe('14');
      expect(hasRow('Guidance rates', 'FY 23/24', '14')).toBe(true);
      // No separate one-column "Page" table.
      expect(tableHeaders(markdown).some((h) => h.length === 1 && h[0] === 'Page')).toBe(false);
      expect(rows.some((r) => r.length === 1 && /^\d+$/.test(r[0]))).toBe(false);
    },
  );

  (have('xlsx-hidden-sheet.xlsx') ? test : test.skip)(
    'xlsx-hidden-sheet: the hidden sheet is included and marked, or left out with a warning naming it',
    async () => {
      const { markdown, warnings } = await run('xlsx-hidden-sheet.xlsx');
      expect(markdown).toContain('Sheet2A1');
      const included = markdown.includes('Sheet1A1') && /^## Sheet1 \(.*hidden.*\)$/m.test(markdown);
      const warned = warnings.some(
        (w) => ['unsupported_content', 'part_unreadable'].includes(w.code) && w.message.includes('"Sheet1"'),
      );
      expect(included || warned).toBe(true);
      // Never half of each: content shown without its marker.
      if (!included) expect(markdown).not.toContain('Sheet1A1');
    },
  );
});
