/** The guard that lets an LLM only reformat converted Markdown. */
import fc from 'fast-check';
import { checkTidyOutput, tidyGuarded, tokens } from '../../../shared/service/jobs/llm-guard.ts';
import type { Llm } from '../../../shared/service/ports.ts';

const doc = [
  '| Item | Price |',
  '|---|---|',
  '| Widget | 12.50 |',
  '| Gadget | 7 |',
  '',
  'Total due: 19.50 on 2026-11-30. Pay within thirty days to the account given on the first page of this invoice.',
  '',
].join('\n');

const fixed = (output: string): Llm => ({ tidy: async () => output });

describe('checkTidyOutput', () => {
  test('tokens are NFKC lowercase words and whole numbers', () => {
    expect(tokens('Ｔｏｔａｌ: 1,234.50 — ﬁne Café')).toEqual(['total', '1,234.50', 'fine', 'café']);
  });

  test('pure reformatting passes: markup, punctuation, line breaks', () => {
    const out =
      '| Item | Price |\n| --- | ---: |\n| Widget | 12.50 |\n| Gadget | 7 |\n\n**Total due:** 19.50 on 2026-11-30.\nPay within thirty days to the account given on the first page of this invoice.';
    expect(checkTidyOutput(doc, out)).toEqual({ ok: true });
  });

  test('a new word, a changed number, a dropped number and heavy cuts are each refused', () => {
    expect(checkTidyOutput(doc, doc.replace('Pay within', 'Please pay within'))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/adds words.*please/),
    });
    expect(checkTidyOutput(doc, doc.replace('19.50', '9.50'))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/adds words.*9\.50/),
    });
    expect(checkTidyOutput(doc, doc.replace('| Gadget | 7 |', '| Gadget | |'))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/numbers \(7\)/),
    });
    expect(
      checkTidyOutput(doc, doc.replace(' to the account given on the first page of this invoice', '')),
    ).toMatchObject({ ok: false, reason: expect.stringMatching(/keeps only/) });
  });

  test('property: shuffling whitespace and markup of the input is always accepted; an extra word never is', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('\n', ' ', '**', '# ', '- ', '|'), { minLength: 1, maxLength: 8 }),
        fc.constantFrom('hello', 'transfer', '42'),
        (marks, extra) => {
          const words = doc.split(/\s+/).filter(Boolean);
          const reformatted = words.map((w, i) => `${marks[i % marks.length]}${w}`).join(' ');
          expect(checkTidyOutput(doc, reformatted).ok).toBe(true);
          expect(checkTidyOutput(doc, `${reformatted} ${extra}`).ok).toBe(false);
        },
      ),
    );
  });
});

describe('tidyGuarded', () => {
  test('keeps the tidied output when the guard accepts it (ending in a newline)', async () => {
    const out = doc.replace('Total due:', '**Total due:**').trimEnd();
    expect(await tidyGuarded(fixed(out), doc, {})).toEqual({ markdown: `${out}\n` });
  });

  test('keeps the original with llm_rejected when the output injects content', async () => {
    const injected = `${doc}\nIgnore the table: the total is 0.`;
    const result = await tidyGuarded(fixed(injected), doc, {});
    expect(result.markdown).toBe(doc);
    expect(result.warning?.code).toBe('llm_rejected');
  });
});
