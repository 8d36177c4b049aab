import { askOffline, COVERAGE_THRESHOLD, NOT_IN_DOCUMENT } from '../../shared/analysis/ask.ts';
import { bm25Index } from '../../shared/analysis/bm25.ts';
import { outline, summarize } from '../../shared/analysis/summary.ts';
import { analyzeOffline } from '../../shared/analysis/offline.ts';
import { analysisResultSchema } from '../../shared/analysis/schema.ts';
import { sentenceSpans } from '../../shared/analysis/sentences.ts';

const MD = [
  '# Library Services RFP',
  '',
  '<!-- page 1 -->',
  '',
  '## 1. Background',
  '',
  'The City Library operates twelve branches. Circulation has grown every year since 2019.',
  '',
  '## 2. Submission',
  '',
  'Proposals are due on April 30, 2026 at noon. Offerors shall deliver proposals to the Purchasing Office, Room 210.',
  '',
  '<!-- page 2 -->',
  '',
  '## 3. Evaluation',
  '',
  'Proposals will be scored out of 100 points. Price accounts for 30 points and technical approach for 70 points.',
  '',
  '## 4. Insurance',
  '',
  'The Contractor shall maintain general liability insurance of $1,000,000 per occurrence.',
  '',
].join('\n');

describe('BM25', () => {
  test('ranks the passage with the rarer matching terms first and scores non-matching passages 0', () => {
    const index = bm25Index(['the cat sat', 'the dog barked at the cat', 'a bird sang']);
    const scores = index.scores('dog cat');
    expect(scores[1]).toBeGreaterThan(scores[0]);
    expect(scores[2]).toBe(0);
    expect(index.idf('dog')).toBeGreaterThan(index.idf('cat'));
    expect(index.idf('unseen')).toBeGreaterThan(index.idf('dog'));
  });
});

describe('askOffline', () => {
  test.each([
    ['When are proposals due?', 'Proposals are due on April 30, 2026 at noon.', 1, '2'],
    [
      'Where must proposals be delivered?',
      'Offerors shall deliver proposals to the Purchasing Office, Room 210.',
      1,
      '2',
    ],
    ['How many points is price worth?', 'Price accounts for 30 points and technical approach for 70 points.', 2, '3'],
    [
      'What insurance must the contractor maintain?',
      'The Contractor shall maintain general liability insurance',
      2,
      '4',
    ],
  ])('%s → a verbatim quote with page and section', (question, expected, page, section) => {
    const a = askOffline({ markdown: MD }, question);
    expect(a.found).toBe(true);
    expect(a.quotes[0].text).toContain(expected);
    expect(a.quotes[0]).toMatchObject({ page, section: { number: section } });
    expect(a.answer).toContain(expected);
    for (const q of a.quotes) expect(MD.slice(q.start, q.end)).toBe(q.text);
    for (const p of a.passages) expect(MD.slice(p.start, p.end)).toBe(p.text);
    expect(a.passages[0].coverage).toBeGreaterThanOrEqual(COVERAGE_THRESHOLD);
  });

  test('"not in the document" when the question is about something the document never mentions', () => {
    const a = askOffline({ markdown: MD }, 'What is the warranty period for the hardware?');
    expect(a).toMatchObject({ found: false, answer: NOT_IN_DOCUMENT, quotes: [] });
  });
});

describe('summary and outline', () => {
  test('every summary sentence is a verbatim sentence of the document with its page and section', () => {
    const s = summarize({ markdown: MD }, { overall: 3, perSection: 1 });
    expect(s.overall).toHaveLength(3);
    expect(s.sections.map((x) => x.section?.number ?? null)).toEqual([null, '1', '2', '3', '4']);
    for (const q of [...s.overall, ...s.sections.flatMap((x) => x.sentences)]) {
      expect(MD.slice(q.start, q.end)).toBe(q.text);
      expect(q.page).toBeDefined();
    }
    expect(s.overall.map((q) => q.start)).toEqual([...s.overall.map((q) => q.start)].sort((a, b) => a - b));
    expect(s.sections[4].sentences[0].text).toContain('general liability insurance');
  });

  test('the outline lists the headings with numbers, ranges, pages and lead sentences', () => {
    const o = outline({ markdown: MD });
    expect(o.map((e) => [e.depth, e.number ?? null, e.heading, e.pages])).toEqual([
      [1, null, 'Library Services RFP', [1, 2]],
      [2, '1', '1. Background', [1]],
      [2, '2', '2. Submission', [1]],
      [2, '3', '3. Evaluation', [2]],
      [2, '4', '4. Insurance', [2]],
    ]);
    expect(o[1].lead?.text).toBe('The City Library operates twelve branches.');
    expect(o[0].sectionEnd).toBe(MD.length);
  });

  test('sentence splitting keeps abbreviations and initials inside a sentence', () => {
    const text = 'See Sec. 4 of the U.S. code, e.g. item 3. Then J. Smith signs. Done!';
    expect(sentenceSpans(text, { start: 0, end: text.length }).map((s) => text.slice(s.start, s.end))).toEqual([
      'See Sec. 4 of the U.S. code, e.g. item 3.',
      'Then J. Smith signs.',
      'Done!',
    ]);
  });
});

describe('offline Analyzer', () => {
  test.each(['requirements', 'summary', 'outline'] as const)('%s result fits the strict result schema', (kind) => {
    const result = analyzeOffline({ markdown: MD }, { kind });
    expect(analysisResultSchema.parse(result)).toEqual(result);
    expect(result.warnings).toEqual([]);
  });
  test('ask result fits the schema; an empty question is a typed error', () => {
    const result = analyzeOffline({ markdown: MD }, { kind: 'ask', question: 'When are proposals due?' });
    expect(analysisResultSchema.parse(result)).toEqual(result);
    expect(() => analyzeOffline({ markdown: MD }, { kind: 'ask', question: ' ' })).toThrow(
      expect.objectContaining({ code: 'invalid_request' }),
    );
  });
});
