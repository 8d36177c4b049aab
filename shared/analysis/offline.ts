/**
 * The offline `Analyzer`: no model, no network, deterministic. Requirements from the document tree
 * (`requirements.ts`), `ask` by BM25 passage retrieval (`ask.ts`), extractive summaries and the heading
 * outline (`summary.ts`). Every result carries the `prompt_injection_suspected` warning when the document
 * holds instruction-like, hidden or exfiltration text (`injection.ts`): this engine cannot be steered by it,
 * but the reader should know before handing the document to anything that can.
 */
import { askOffline } from './ask.ts';
import { parseDocument, type AnalysisDocument, type ParsedDocument } from './document.ts';
import { findInjection, injectionWarning, type AnalysisWarning } from './injection.ts';
import type { AnalysisRequest, Analyzer } from './port.ts';
import { AnalysisError } from './port.ts';
import { extractRequirements } from './requirements.ts';
import type { AnalysisResult, Claim } from './schema.ts';
import { outline, summarize } from './summary.ts';
import type { Quote } from './ask.ts';

export function createOfflineAnalyzer(): Analyzer {
  return {
    engine: 'offline',
    async analyze(doc, request) {
      return analyzeOffline(doc, request);
    },
  };
}

/** The offline engine as a plain function. @throws AnalysisError `invalid_request` for an empty question. */
export function analyzeOffline(doc: AnalysisDocument, request: AnalysisRequest): AnalysisResult {
  const parsed = parseDocument(doc);
  const base = { engine: 'offline' as const, warnings: documentWarnings(parsed), droppedClaims: 0 };
  switch (request.kind) {
    case 'requirements':
      return { kind: 'requirements', ...base, requirements: extractRequirements(parsed) };
    case 'ask': {
      if (!request.question.trim()) throw new AnalysisError('invalid_request', 'the question is empty');
      const a = askOffline(parsed, request.question);
      return {
        kind: 'ask',
        ...base,
        question: a.question,
        found: a.found,
        answer: a.answer,
        claims: a.quotes.map(asClaim),
        passages: a.passages,
      };
    }
    case 'summary': {
      const s = summarize(parsed);
      return {
        kind: 'summary',
        ...base,
        overall: s.overall.map(asClaim),
        sections: s.sections.map(({ sentences, ...rest }) => ({ ...rest, claims: sentences.map(asClaim) })),
      };
    }
    case 'outline':
      return { kind: 'outline', ...base, outline: outline(parsed) };
  }
}

/** The warnings every analysis of `parsed` carries, whichever engine runs it. */
export function documentWarnings(parsed: ParsedDocument): AnalysisWarning[] {
  const w = injectionWarning(findInjection(parsed.markdown, parsed.pages.pageAt));
  return w ? [w] : [];
}

/** An extractive claim: the sentence itself, backed by itself. */
function asClaim(q: Quote): Claim {
  return { text: q.text, quotes: [q] };
}
