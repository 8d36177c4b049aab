import fc from 'fast-check';
import { chunkDocument } from '../../shared/analysis/chunks.ts';
import { parseDocument } from '../../shared/analysis/document.ts';
import { estimateTokens } from '../../shared/analysis/tokens.ts';

const words = (n: number, seed = 'word') => Array.from({ length: n }, (_, i) => `${seed}${i}`).join(' ');

const DOC = [
  '# Tender',
  '',
  '<!-- page 1 -->',
  '',
  '## 1. Scope',
  '',
  `${words(30, 'scope')}.`,
  '',
  '- First item with some text that runs long enough to matter here.',
  '  - A nested item under the first item.',
  '- Second item.',
  '',
  '<!-- page 2 -->',
  '',
  '## 2. Prices',
  '',
  '| Item | Price |',
  '| --- | --- |',
  '| Licence | 100 |',
  '| Support | 200 |',
  '| Training | 300 |',
  '',
].join('\n');

describe('chunkDocument', () => {
  test('chunks are verbatim slices with their heading path, section and pages', () => {
    const chunks = chunkDocument({ markdown: DOC }, { targetTokens: 40 });
    for (const c of chunks) {
      expect(DOC.slice(c.start, c.end)).toBe(c.text);
      expect(c.tokens).toBe(estimateTokens(c.text));
    }
    const prices = chunks.filter((c) => c.headingPath.at(-1) === '2. Prices');
    expect(prices.length).toBeGreaterThan(0);
    expect(prices[0].text.startsWith('## 2. Prices')).toBe(true);
    expect(prices[0].section).toEqual({ number: '2', heading: '2. Prices' });
    expect(prices.every((c) => c.pages.join() === '2')).toBe(true);
    const scope = chunks.find((c) => c.text.includes('scope0'))!;
    expect(scope.pages).toEqual([1]);
    expect(scope.headingPath).toEqual(['Tender', '1. Scope']);
  });

  test('a heading always starts a chunk and is never left alone at a chunk end', () => {
    const chunks = chunkDocument({ markdown: DOC }, { targetTokens: 10 });
    for (const c of chunks) {
      const headings = [...c.text.matchAll(/^#{1,6} /gm)];
      expect(headings.every((h) => h.index === 0)).toBe(true);
      expect(headings.length).toBeLessThanOrEqual(1);
    }
    // "# Tender" is followed directly by a page marker and a heading: it is a chunk of its own, not glued on.
    expect(chunks.some((c) => c.text.includes('## 1. Scope') && c.text.includes('scope0'))).toBe(true);
  });

  test('a list item (with its nested items) and a table row are never split, even when over the target', () => {
    const chunks = chunkDocument({ markdown: DOC }, { targetTokens: 5 });
    const parsed = parseDocument({ markdown: DOC });
    for (const b of parsed.blocks.filter((b) => b.kind === 'tableRow' || (b.kind === 'listItem' && !b.listDepth))) {
      expect(chunks.filter((c) => c.start <= b.start && c.end >= b.end)).toHaveLength(1);
    }
  });

  test('a paragraph longer than the target is cut between sentences', () => {
    const para = Array.from({ length: 12 }, (_, i) => `Sentence number ${i} says something about the scope.`).join(' ');
    const md = `# Long\n\n${para}\n`;
    const chunks = chunkDocument({ markdown: md }, { targetTokens: 40 });
    expect(chunks.length).toBeGreaterThan(2);
    for (const c of chunks.slice(1)) expect(c.text).toMatch(/^Sentence number \d+ .*scope\.$/);
    for (const c of chunks) expect(c.tokens).toBeLessThanOrEqual(40);
  });

  test('pages come from ConvertResult.pages when the Markdown has no markers', () => {
    const md = '# A\n\nFirst page text.\n\n# B\n\nSecond page text.\n';
    const chunks = chunkDocument(
      {
        markdown: md,
        pages: [
          { page: 1, markdown: '# A\n\nFirst page text.\n' },
          { page: 2, markdown: '# B\n\nSecond page text.\n' },
        ],
      },
      { targetTokens: 100 },
    );
    expect(chunks.map((c) => c.pages)).toEqual([[1], [2]]);
  });

  test('rejects a non-positive target', () => {
    expect(() => chunkDocument({ markdown: DOC }, { targetTokens: 0 })).toThrow(RangeError);
  });

  test('property: chunks are ordered, disjoint, verbatim, and cover every block', () => {
    const block = fc.oneof(
      fc.constantFrom('## Heading', '### Sub 1.2', '- item one\n- item two', '| a | b |\n| - | - |\n| 1 | 2 |'),
      fc
        .array(fc.constantFrom('Alpha beta.', 'Gamma delta epsilon.', 'The Contractor shall act.'), {
          minLength: 1,
          maxLength: 8,
        })
        .map((s) => s.join(' ')),
    );
    fc.assert(
      fc.property(
        fc.array(block, { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 3, max: 80 }),
        (blocks, target) => {
          const md = blocks.join('\n\n') + '\n';
          const chunks = chunkDocument({ markdown: md }, { targetTokens: target });
          let last = 0;
          for (const c of chunks) {
            expect(c.start).toBeGreaterThanOrEqual(last);
            expect(c.end).toBeGreaterThan(c.start);
            expect(md.slice(c.start, c.end)).toBe(c.text);
            last = c.end;
          }
          for (const b of parseDocument({ markdown: md }).blocks) {
            if (b.kind === 'html') continue;
            expect(chunks.some((c) => c.start <= b.start && c.end > b.start)).toBe(true);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
