/**
 * The requirements (compliance) matrix, offline: every obligation of the document, verbatim.
 *
 * An obligation is a sentence of running text (a paragraph, a list item's own text, a table cell) containing a
 * modal of obligation — `shall`, `must`, `will`, `should`, `may`, `is/are required to` — or its negative
 * (`shall not`, `must not`, `may not`, `will not`, `should not`, `cannot`). The modal vocabulary is that of
 * RFC 2119 / ISO drafting rules (ISO/IEC Directives Part 2, clause 7) plus the `will` of US federal RFPs, which
 * states what the Government or the Offeror will do. Questions and code are not obligations. `May` followed or
 * preceded by a number is the month, not the modal; `at will` is not a modal.
 *
 * Each requirement carries its offsets into the Markdown, its section (the nearest heading's number and text,
 * or a clause number the paragraph itself starts with), its page, the party bound (the subject before the
 * modal when it names one, or the agent of a passive `by the X`), the dates and quantities in it
 * (`extract-facts.ts`) and a category (`categories.ts`).
 */
import {
  parseDocument,
  type AnalysisDocument,
  type Block,
  type ParsedDocument,
  type Section,
  type Span,
} from './document.ts';
import { sentenceSpans } from './sentences.ts';
import { findDates, findQuantities } from './extract-facts.ts';
import { categorize, type Category } from './categories.ts';
import { csvDocument } from '../common/csv.ts';

export type Modal = 'shall' | 'must' | 'will' | 'should' | 'may' | 'required';

/** RFC 2119 strength of the modal, with `declared` for `will` (a statement of what a party will do). */
export type ObligationLevel = 'mandatory' | 'prohibited' | 'recommended' | 'not_recommended' | 'permitted' | 'declared';

export interface Requirement {
  /** `R1`, `R2`… in document order. */
  id: string;
  /** The sentence, verbatim: `markdown.slice(start, end)`. */
  text: string;
  start: number;
  end: number;
  section?: Section;
  headingPath: string[];
  page?: number;
  /** The modal as written, normalized: `shall`, `must not`, `is required to`… */
  modalText: string;
  modal: Modal;
  negative: boolean;
  level: ObligationLevel;
  /** The party the obligation binds, as named ("The Contractor", "Offerors"), when it is stated. */
  party?: string;
  dates: string[];
  quantities: string[];
  category: Category;
}

const MODAL =
  /\b(?:((?:is|are|shall\s+be|will\s+be)\s+(?:not\s+)?required\s+to)|(shall|must|will|should|may)(\s+not\b|n['’]t\b)?|(cannot|can\s*not))\b/gi;

/** Finds the obligations of `doc`. Never throws. */
export function extractRequirements(doc: AnalysisDocument | ParsedDocument): Requirement[] {
  const parsed = 'blocks' in doc ? doc : parseDocument(doc);
  const out: Requirement[] = [];
  for (const block of parsed.blocks) {
    for (const span of block.textSpans) {
      for (const s of sentenceSpans(parsed.markdown, span)) {
        const r = obligation(parsed, block, s, span);
        if (r) out.push({ id: `R${out.length + 1}`, ...r });
      }
    }
  }
  return out;
}

function obligation(
  parsed: ParsedDocument,
  block: Block,
  s: Span,
  paragraph: Span,
): Omit<Requirement, 'id'> | undefined {
  const text = parsed.markdown.slice(s.start, s.end);
  if (/\?["'”’)*_]*$/.test(text)) return undefined;
  const m = findModal(text);
  if (!m) return undefined;
  const page = parsed.pages.pageAt(s.start);
  const section = clauseSection(parsed.markdown.slice(paragraph.start, paragraph.end), block.section);
  const party = partyOf(text.slice(0, m.index), text.slice(m.index + m.length));
  return {
    text,
    start: s.start,
    end: s.end,
    ...(section ? { section } : {}),
    headingPath: block.headingPath,
    ...(page !== undefined ? { page } : {}),
    modalText: m.modalText,
    modal: m.modal,
    negative: m.negative,
    level: m.level,
    ...(party ? { party } : {}),
    dates: findDates(text),
    quantities: findQuantities(text),
    category: categorize(text),
  };
}

interface ModalMatch {
  index: number;
  length: number;
  modalText: string;
  modal: Modal;
  negative: boolean;
  level: ObligationLevel;
}

/** The first modal of obligation in `text`, skipping the month May and `at will`. */
export function findModal(text: string): ModalMatch | undefined {
  for (const m of text.matchAll(MODAL)) {
    const before = text.slice(0, m.index);
    const after = text.slice(m.index + m[0].length);
    const word = m[2]?.toLowerCase();
    if (word === 'may' && (/\d[\s,]*$/.test(before) || /^\.?\s+\d/.test(after))) continue;
    if (word === 'will' && /\bat\s+$/i.test(before)) continue;
    if (word === 'will' && /^\s+(?:of|and)\b/i.test(after)) continue;
    let modal: Modal;
    let negative: boolean;
    if (m[1]) {
      modal = 'required';
      negative = /\bnot\b/i.test(m[1]);
    } else if (m[4]) {
      modal = 'may';
      negative = true;
    } else {
      modal = word as Modal;
      negative = Boolean(m[3]);
    }
    const modalText = m[4]
      ? 'cannot'
      : m[0]
          .toLowerCase()
          .replace(/\s+/g, ' ')
          .replace(/n['’]t$/, ' not');
    return { index: m.index, length: m[0].length, modalText, modal, negative, level: levelOf(modal, negative) };
  }
  return undefined;
}

function levelOf(modal: Modal, negative: boolean): ObligationLevel {
  switch (modal) {
    case 'shall':
    case 'must':
      return negative ? 'prohibited' : 'mandatory';
    case 'required':
      // "is not required to" lifts an obligation: it permits.
      return negative ? 'permitted' : 'mandatory';
    case 'should':
      return negative ? 'not_recommended' : 'recommended';
    case 'may':
      // In contracts "may not" forbids (Garner, Legal Writing in Plain English, §37).
      return negative ? 'prohibited' : 'permitted';
    case 'will':
      return 'declared';
  }
}

/** Words that name a party to an RFP or contract; a subject ending in one of them is a party. */
const PARTY_NOUNS =
  /\b(?:contractors?|subcontractors?|offerors?|bidders?|vendors?|suppliers?|proposers?|respondents?|consultants?|providers?|sellers?|buyers?|purchasers?|government|agency|authority|department|county|city|state|owner|client|customer|licensee|licensor|lessee|lessor|tenant|landlord|employer|employee|party|parties|applicants?|awardee|recipient|grantee|company|firm|team|we|you|university|board|commission|ministry|council|manager|officer|staff|personnel|contracting officer|successful\s+\w+)$/i;
const NON_PARTY_START = /^(?:it|this|that|these|those|there|which|who|such|each\s+(?:proposal|response|submission))\b/i;

/** The party bound: the subject before the modal, or the agent of a passive ("… shall be approved by the Owner"). */
function partyOf(before: string, after: string): string | undefined {
  const subject = before
    .replace(/[*_`\\]/g, '')
    .split(/[,;:()]|\b(?:if|when|unless|where|upon|after|before|that|and|or)\b\s/i)
    .pop()!
    .trim()
    .replace(/^(?:\(?[a-z0-9]{1,3}[.)]\s*)+/i, '')
    .replace(/^\d+(?:\.\d+)*\s+/, '');
  const words = subject.split(/\s+/).filter(Boolean);
  if (words.length > 0 && words.length <= 6 && !NON_PARTY_START.test(subject)) {
    const head = subject.replace(/['’]s$/, '');
    if (
      PARTY_NOUNS.test(head) ||
      (/^(?:The\s+)?[A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*)*$/.test(head) && !/^(?:The|A|An|All|Each)$/.test(head))
    )
      return subject;
  }
  const agent = /\bby\s+((?:the|each|an?|all)\s+)?([\w-]+(?:\s+[\w-]+)?)/i.exec(after.replace(/[*_`\\]/g, ''));
  if (agent) {
    for (const candidate of [`${agent[1] ?? ''}${agent[2]}`, `${agent[1] ?? ''}${agent[2].split(/\s+/)[0]}`]) {
      if (PARTY_NOUNS.test(candidate.trim())) return candidate.trim();
    }
  }
  return undefined;
}

/** A clause number the paragraph itself starts with ("3.2.1 The Contractor shall…") refines the heading's section. */
function clauseSection(paragraph: string, section: Section | undefined): Section | undefined {
  const m = /^(?:\*\*)?((?:[A-Z]\.)?\d+(?:\.\d+)+)\.?(?:\*\*)?\s/.exec(paragraph);
  if (!m) return section;
  return { number: m[1], heading: section?.heading ?? '' };
}

/** The matrix's CSV columns, in order (`requirementCsvFields` gives one row's). */
export const CSV_COLUMNS = [
  'id',
  'section',
  'heading',
  'page',
  'level',
  'modal',
  'party',
  'category',
  'dates',
  'quantities',
  'text',
  'start',
  'end',
] as const;

/**
 * The matrix as CSV (RFC 4180: CRLF line ends, a field with a comma, a double quote, CR or LF is quoted and
 * its quotes doubled, a formula-like field made text), with a header row, through the shared writer
 * `common/csv.ts`. Lists (dates, quantities) are joined with `; `.
 */
export function requirementsToCsv(requirements: Requirement[]): string {
  return csvDocument(CSV_COLUMNS, requirements.map(requirementCsvFields));
}

/** One requirement's fields in `CSV_COLUMNS` order (lists joined with `; `). */
export function requirementCsvFields(r: Requirement): string[] {
  return [
    r.id,
    r.section?.number ?? '',
    r.section?.heading ?? '',
    r.page !== undefined ? String(r.page) : '',
    r.level,
    r.modalText,
    r.party ?? '',
    r.category,
    r.dates.join('; '),
    r.quantities.join('; '),
    r.text,
    String(r.start),
    String(r.end),
  ];
}
