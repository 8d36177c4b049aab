/**
 * Extractive summary and outline, offline. Every sentence of a summary is a sentence of the document, quoted
 * with its offsets, page and section: nothing is paraphrased, so everything is traceable.
 *
 * Sentence scoring is Luhn-style frequency scoring with TF-IDF weights (sections play the part of documents):
 * a term weighs its frequency in the document times its IDF across sections, so words that characterise a
 * section beat words every section uses. A sentence scores the sum of its distinct terms' weights divided by
 * the square root of its length in terms (long sentences do not win on length alone), ×1.2 for the first
 * sentence of a section (the lead). Sentences of fewer than 4 terms are not candidates. The chosen sentences
 * are given back in document order.
 */
import { parseDocument, type AnalysisDocument, type ParsedDocument, type Section } from './document.ts';
import { sentenceSpans } from './sentences.ts';
import { terms } from './tokens.ts';
import type { Quote } from './ask.ts';

export interface SectionSummary {
  section?: Section;
  headingPath: string[];
  /** The section's range [start, end): its heading to the next heading. */
  start: number;
  end: number;
  pages: number[];
  sentences: Quote[];
}

export interface Summary {
  /** The whole document's summary sentences, in document order. */
  overall: Quote[];
  sections: SectionSummary[];
}

export interface OutlineEntry {
  depth: number;
  number?: string;
  heading: string;
  /** The heading's own range. */
  start: number;
  end: number;
  /** Where the section (with its subsections) ends. */
  sectionEnd: number;
  page?: number;
  pages: number[];
  /** The section's first sentence, verbatim, when it has text before its first subsection. */
  lead?: Quote;
}

export interface SummaryOptions {
  /** Sentences per section. Default 2. */
  perSection?: number;
  /** Sentences for the whole document. Default 6. */
  overall?: number;
}

interface Candidate extends Quote {
  group: number;
  terms: string[];
  lead: boolean;
}

/** Extractive summary of `doc`. Never throws; a document without sentences gives empty lists. */
export function summarize(doc: AnalysisDocument | ParsedDocument, options: SummaryOptions = {}): Summary {
  const parsed = 'blocks' in doc ? doc : parseDocument(doc);
  const groups = sectionGroups(parsed);
  const candidates: Candidate[] = [];
  groups.forEach((g, group) => {
    let first = true;
    for (const block of parsed.blocks) {
      if (block.start < g.start || block.start >= g.end || block.kind === 'heading') continue;
      for (const span of block.textSpans) {
        for (const s of sentenceSpans(parsed.markdown, span)) {
          const text = parsed.markdown.slice(s.start, s.end);
          const ts = terms(text);
          const page = parsed.pages.pageAt(s.start);
          if (ts.length >= 4)
            candidates.push({
              text,
              ...s,
              ...(page !== undefined ? { page } : {}),
              ...(block.section ? { section: block.section } : {}),
              group,
              terms: ts,
              lead: first,
            });
          first = false;
        }
      }
    }
  });
  const df = new Map<string, number>();
  groups.forEach((_, group) => {
    for (const t of new Set(candidates.filter((c) => c.group === group).flatMap((c) => c.terms)))
      df.set(t, (df.get(t) ?? 0) + 1);
  });
  const tf = new Map<string, number>();
  for (const c of candidates) for (const t of c.terms) tf.set(t, (tf.get(t) ?? 0) + 1);
  const n = Math.max(1, groups.length);
  const weight = (t: string) => (tf.get(t) ?? 0) * Math.log(1 + n / (df.get(t) ?? 1));
  const score = (c: Candidate) => {
    const unique = [...new Set(c.terms)];
    return (unique.reduce((s, t) => s + weight(t), 0) / Math.sqrt(c.terms.length)) * (c.lead ? 1.2 : 1);
  };
  const scored = candidates.map((c) => ({ c, score: score(c) }));
  const pick = (list: typeof scored, k: number): Quote[] =>
    [...list]
      .sort((a, b) => b.score - a.score || a.c.start - b.c.start)
      .slice(0, k)
      .sort((a, b) => a.c.start - b.c.start)
      .map(({ c }) => quote(c));
  return {
    overall: pick(scored, options.overall ?? 6),
    sections: groups.map((g, group) => ({
      ...(g.section ? { section: g.section } : {}),
      headingPath: g.headingPath,
      start: g.start,
      end: g.end,
      pages: parsed.pages.pagesIn(g.start, g.end),
      sentences: pick(
        scored.filter((x) => x.c.group === group),
        options.perSection ?? 2,
      ),
    })),
  };
}

function quote(c: Candidate): Quote {
  return {
    text: c.text,
    start: c.start,
    end: c.end,
    ...(c.page !== undefined ? { page: c.page } : {}),
    ...(c.section ? { section: c.section } : {}),
  };
}

/** Sections as ranges from each heading to the next heading of any level (text before the first heading too). */
function sectionGroups(
  parsed: ParsedDocument,
): { start: number; end: number; section?: Section; headingPath: string[] }[] {
  const headings = parsed.blocks.filter((b) => b.kind === 'heading');
  const out: { start: number; end: number; section?: Section; headingPath: string[] }[] = [];
  const firstStart = headings[0]?.start ?? parsed.markdown.length;
  if (parsed.blocks.some((b) => b.kind !== 'heading' && b.start < firstStart && b.textSpans.length))
    out.push({ start: 0, end: firstStart, headingPath: [] });
  headings.forEach((h, i) => {
    out.push({
      start: h.start,
      end: headings[i + 1]?.start ?? parsed.markdown.length,
      ...(h.section ? { section: h.section } : {}),
      headingPath: h.headingPath,
    });
  });
  return out;
}

/** The heading structure of `doc`, each entry with its offsets, pages and lead sentence. Never throws. */
export function outline(doc: AnalysisDocument | ParsedDocument): OutlineEntry[] {
  const parsed = 'blocks' in doc ? doc : parseDocument(doc);
  const headings = parsed.blocks.filter((b) => b.kind === 'heading');
  return headings.map((h, i) => {
    const next = headings.slice(i + 1).find((o) => (o.depth ?? 6) <= (h.depth ?? 6));
    const sectionEnd = next?.start ?? parsed.markdown.length;
    const ownEnd = headings[i + 1]?.start ?? parsed.markdown.length;
    const firstText = parsed.blocks.find((b) => b.start > h.start && b.start < ownEnd && b.textSpans.length);
    const leadSpan = firstText ? sentenceSpans(parsed.markdown, firstText.textSpans[0])[0] : undefined;
    const page = parsed.pages.pageAt(h.start);
    const leadPage = leadSpan ? parsed.pages.pageAt(leadSpan.start) : undefined;
    return {
      depth: h.depth ?? 1,
      ...(h.section?.number ? { number: h.section.number } : {}),
      heading: h.section?.heading ?? '',
      start: h.start,
      end: h.end,
      sectionEnd,
      ...(page !== undefined ? { page } : {}),
      pages: parsed.pages.pagesIn(h.start, sectionEnd),
      ...(leadSpan
        ? {
            lead: {
              text: parsed.markdown.slice(leadSpan.start, leadSpan.end),
              ...leadSpan,
              ...(leadPage !== undefined ? { page: leadPage } : {}),
              ...(h.section ? { section: h.section } : {}),
            },
          }
        : {}),
    };
  });
}
