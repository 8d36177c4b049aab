/**
 * Okapi BM25 ranking (Robertson & Zaragoza, "The Probabilistic Relevance Framework: BM25 and Beyond", 2009),
 * implemented here: it is a dozen lines, and the npm packages for it are unmaintained or pull in an NLP
 * toolkit. Parameters k1 = 1.2 and b = 0.75 (the paper's usual values); IDF is Lucene's non-negative form
 * ln(1 + (N − n + 0.5) / (n + 0.5)), so a term in every passage still counts a little instead of negatively.
 */
import { terms } from './tokens.ts';

export interface Bm25Options {
  k1?: number;
  b?: number;
}

export interface Bm25Index {
  /** Number of passages. */
  size: number;
  /** BM25 score of every passage for `query`, by passage index. */
  scores(query: string): number[];
  /** IDF of a term (already folded by `terms`); a term seen nowhere gets the maximum, ln(1 + (N + 0.5) / 0.5). */
  idf(term: string): number;
  /** Whether passage `i` contains term `term`. */
  has(i: number, term: string): boolean;
}

export function bm25Index(passages: string[], options: Bm25Options = {}): Bm25Index {
  const k1 = options.k1 ?? 1.2;
  const b = options.b ?? 0.75;
  const docs = passages.map((p) => {
    const tf = new Map<string, number>();
    const ts = terms(p);
    for (const t of ts) tf.set(t, (tf.get(t) ?? 0) + 1);
    return { tf, length: ts.length };
  });
  const n = docs.length;
  const avgLength = docs.reduce((s, d) => s + d.length, 0) / Math.max(1, n) || 1;
  const df = new Map<string, number>();
  for (const d of docs) for (const t of d.tf.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  const idf = (t: string) => Math.log(1 + (n - (df.get(t) ?? 0) + 0.5) / ((df.get(t) ?? 0) + 0.5));
  return {
    size: n,
    idf,
    has: (i, t) => docs[i]?.tf.has(t) ?? false,
    scores(query) {
      const q = [...new Set(terms(query))];
      return docs.map((d) => {
        let score = 0;
        for (const t of q) {
          const f = d.tf.get(t);
          if (!f) continue;
          score += (idf(t) * (f * (k1 + 1))) / (f + k1 * (1 - b + (b * d.length) / avgLength));
        }
        return score;
      });
    },
  };
}
