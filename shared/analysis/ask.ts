/**
 * `ask`, offline: BM25 passage retrieval over small chunks of the document (`chunks.ts`, 160 estimated tokens:
 * about a paragraph, so the passage cited is the one that answers), and an answer made only of quoted
 * passages.
 *
 * "Not in the document": BM25 scores are not comparable across queries, so the decision uses query-term
 * coverage instead: the IDF-weighted share of the question's terms that the best passage contains. Below
 * `COVERAGE_THRESHOLD` (0.5: at least half of what the question is about, weighted by how specific each
 * word is) the answer is "not in the document". A term absent from the document gets the highest IDF, so a
 * question about something the document never mentions fails the threshold.
 */
import { bm25Index } from './bm25.ts';
import { chunkDocument, type Chunk } from './chunks.ts';
import { parseDocument, type AnalysisDocument, type ParsedDocument, type Section } from './document.ts';
import { sentenceSpans } from './sentences.ts';
import { terms } from './tokens.ts';

export const ASK_CHUNK_TOKENS = 160;
export const COVERAGE_THRESHOLD = 0.5;
export const NOT_IN_DOCUMENT = 'not in the document';

export interface Passage {
  start: number;
  end: number;
  text: string;
  page?: number;
  pages: number[];
  section?: Section;
  headingPath: string[];
  /** BM25 score of the passage for the question. */
  score: number;
  /** IDF-weighted share of the question's terms in the passage, 0–1. */
  coverage: number;
}

export interface Quote {
  /** Verbatim: `markdown.slice(start, end)`. */
  text: string;
  start: number;
  end: number;
  page?: number;
  section?: Section;
}

export interface AskAnswer {
  question: string;
  /** False when the best passage is below the coverage threshold. */
  found: boolean;
  /** The quoted sentences, joined; or `not in the document`. */
  answer: string;
  /** The sentences that make up the answer, each a verbatim quote. */
  quotes: Quote[];
  /** The best passages, best first (at most `topK`). */
  passages: Passage[];
}

export interface AskOptions {
  /** Passages returned. Default 3. */
  topK?: number;
}

/** Ranks the passages of `doc` for `question` and answers with quotes. Never throws. */
export function askOffline(
  doc: AnalysisDocument | ParsedDocument,
  question: string,
  options: AskOptions = {},
): AskAnswer {
  const parsed = 'blocks' in doc ? doc : parseDocument(doc);
  const passages = rankPassages(parsed, question, options.topK ?? 3);
  const best = passages[0];
  if (!best || best.coverage < COVERAGE_THRESHOLD) {
    return { question, found: false, answer: NOT_IN_DOCUMENT, quotes: [], passages };
  }
  const quotes: Quote[] = [];
  for (const p of passages) {
    if (p.score < best.score * 0.5 || p.coverage < COVERAGE_THRESHOLD) continue;
    const q = bestSentence(parsed, p, question);
    if (q) quotes.push(q);
  }
  return { question, found: true, answer: quotes.map((q) => `“${q.text}”`).join(' '), quotes, passages };
}

/** The `topK` best passages for `question`, best first; passages scoring 0 are left out. */
export function rankPassages(parsed: ParsedDocument, question: string, topK: number, chunks?: Chunk[]): Passage[] {
  const list = (chunks ?? chunkDocument(parsed, { targetTokens: ASK_CHUNK_TOKENS })).filter((c) =>
    c.text.replace(/^#+\s.*$/m, '').trim(),
  );
  const index = bm25Index(list.map((c) => [...c.headingPath.slice(-1), c.text].join('\n')));
  const scores = index.scores(question);
  const q = [...new Set(terms(question))];
  const total = q.reduce((s, t) => s + index.idf(t), 0);
  return list
    .map((c, i) => ({ c, i, score: scores[i] }))
    .filter((x) => x.score > 0)
    .sort((a, b) => b.score - a.score || a.c.start - b.c.start)
    .slice(0, topK)
    .map(({ c, i, score }) => {
      const covered = q.filter((t) => index.has(i, t)).reduce((s, t) => s + index.idf(t), 0);
      const page = parsed.pages.pageAt(c.start);
      return {
        start: c.start,
        end: c.end,
        text: c.text,
        ...(page !== undefined ? { page } : {}),
        pages: c.pages,
        ...(c.section ? { section: c.section } : {}),
        headingPath: c.headingPath,
        score,
        coverage: total > 0 ? covered / total : 0,
      };
    });
}

/** The sentence of the passage sharing the most (IDF-weighted) question terms. */
function bestSentence(parsed: ParsedDocument, passage: Passage, question: string): Quote | undefined {
  const q = new Set(terms(question));
  let best: { start: number; end: number; score: number } | undefined;
  for (const block of parsed.blocks) {
    if (block.end <= passage.start || block.start >= passage.end) continue;
    for (const span of block.textSpans) {
      for (const s of sentenceSpans(parsed.markdown, span)) {
        if (s.start < passage.start || s.end > passage.end) continue;
        const ts = new Set(terms(parsed.markdown.slice(s.start, s.end)));
        let score = 0;
        for (const t of q) if (ts.has(t)) score++;
        if (!best || score > best.score) best = { ...s, score };
      }
    }
  }
  if (!best) return undefined;
  const page = parsed.pages.pageAt(best.start);
  const block = parsed.blocks.find((b) => b.start <= best!.start && b.end >= best!.end);
  return {
    text: parsed.markdown.slice(best.start, best.end),
    start: best.start,
    end: best.end,
    ...(page !== undefined ? { page } : {}),
    ...(block?.section ? { section: block.section } : {}),
  };
}
