/**
 * The labelled RFP set for `npm run bench:ai` and the analysis tests, generated in code: RFP-like documents
 * with known obligations (sentence, section, page), distractor sentences that are not obligations, and
 * questions labelled with the passage that answers them. Each RFP is rendered as DOCX (`fixtures/docx.ts`),
 * HTML and PDF (`fixtures/pdf.ts`, pdf-lib; one section per page so pages are known).
 */
import { buildDocx, p, paragraphStyle, styled } from '../fixtures/docx.ts';
import { buildPdf, type TextSpec } from '../fixtures/pdf.ts';

export interface LabelledSentence {
  text: string;
  /** True when the sentence states an obligation (a modal of obligation in its legal sense). */
  obligation: boolean;
}

export interface RfpSection {
  number: string;
  title: string;
  sentences: LabelledSentence[];
}

export interface Rfp {
  name: string;
  title: string;
  sections: RfpSection[];
  /** Questions and a distinctive piece of the passage that answers them (`null`: not in the document). */
  questions: { question: string; answer: string | null }[];
}

const O = (text: string): LabelledSentence => ({ text, obligation: true });
const N = (text: string): LabelledSentence => ({ text, obligation: false });

interface Vars {
  buyer: string;
  service: string;
  bidder: string;
  due: string;
  copies: string;
  pages: number;
  bond: string;
  uptime: string;
  insurance: string;
  priceWeight: number;
}

function rfp(name: string, v: Vars): Rfp {
  return {
    name,
    title: `Request for Proposals: ${v.service}`,
    sections: [
      {
        number: '1',
        title: 'Introduction',
        sentences: [
          N(`The ${v.buyer} invites proposals for ${v.service}.`),
          N(`The ${v.buyer} was established in 1921 and serves a growing population.`),
          N(`This document describes the scope, the submission process and the evaluation method.`),
          // Modal verbs that bind no one: a forecast and a reader's aside (the extractor should skip them).
          N(`Historically, demand for the service will rise each winter.`),
          N(`Readers new to this procurement may find the glossary in the appendix helpful.`),
        ],
      },
      {
        number: '2',
        title: 'Submission Instructions',
        sentences: [
          O(`${v.bidder}s shall submit ${v.copies} of their proposal no later than ${v.due}.`),
          O(`Proposals must not exceed ${v.pages} pages, excluding appendices.`),
          O(`Each proposal shall include a signed cover letter from an authorized officer.`),
          O(`Late proposals will not be considered.`),
          N(`A pre-proposal conference took place in May 2025 at the main office.`),
          O(`${v.bidder}s may submit written questions until ten days before the due date.`),
        ],
      },
      {
        number: '3',
        title: 'Scope of Work',
        sentences: [
          N(`The current system has been in operation for fifteen years.`),
          O(`The Contractor shall provide ${v.service} for all departments.`),
          O(`The solution must achieve ${v.uptime} availability measured monthly.`),
          O(`All data shall be encrypted at rest and in transit.`),
          O(`The Contractor should provide training sessions for administrators.`),
          O(`The Contractor is required to deliver a migration plan within 30 days of award.`),
        ],
      },
      {
        number: '4',
        title: 'Evaluation Criteria',
        sentences: [
          O(`The ${v.buyer} will evaluate proposals on technical merit, experience and price.`),
          N(`Price accounts for ${v.priceWeight} points of the total score of 100 points.`),
          N(`Technical merit accounts for ${100 - v.priceWeight} points.`),
          O(`The ${v.buyer} may request oral presentations from the highest-ranked ${v.bidder}s.`),
        ],
      },
      {
        number: '5',
        title: 'Contract Terms',
        sentences: [
          O(`The Contractor shall maintain general liability insurance of ${v.insurance} per occurrence.`),
          O(`The Contractor must furnish a performance bond of ${v.bond}.`),
          O(`The Contractor shall not assign the contract without prior written consent.`),
          N(`Invoices are paid within 45 days of receipt.`),
        ],
      },
    ],
    questions: [
      { question: 'When is the proposal deadline?', answer: `no later than ${v.due}` },
      { question: `How many copies must ${v.bidder.toLowerCase()}s submit?`, answer: `submit ${v.copies}` },
      { question: 'What is the page limit for proposals?', answer: `must not exceed ${v.pages} pages` },
      { question: 'What availability must the solution achieve?', answer: `${v.uptime} availability` },
      { question: 'How many points does price account for?', answer: `Price accounts for ${v.priceWeight} points` },
      { question: 'What insurance must the contractor maintain?', answer: 'general liability insurance' },
      { question: 'How large is the performance bond?', answer: 'performance bond of' },
      { question: 'When is the migration plan due?', answer: 'migration plan within 30 days' },
      { question: 'How are invoices paid?', answer: 'Invoices are paid within 45 days' },
      { question: 'What is the parking policy for visitors to the site?', answer: null },
    ],
  };
}

export const RFPS: Rfp[] = [
  rfp('county-records', {
    buyer: 'County of Example',
    service: 'a records management system',
    bidder: 'Offeror',
    due: 'March 15, 2026 at 5:00 PM',
    copies: 'three (3) copies',
    pages: 40,
    bond: '$250,000',
    uptime: '99.9%',
    insurance: '$1,000,000',
    priceWeight: 30,
  }),
  rfp('city-transit', {
    buyer: 'City Transit Authority',
    service: 'a fare collection platform',
    bidder: 'Bidder',
    due: 'June 30, 2026',
    copies: 'five (5) copies',
    pages: 25,
    bond: '$500,000',
    uptime: '99.95%',
    insurance: '$2,000,000',
    priceWeight: 40,
  }),
  rfp('university-it', {
    buyer: 'State University',
    service: 'managed network services',
    bidder: 'Vendor',
    due: '1 September 2026',
    copies: 'two (2) copies',
    pages: 60,
    bond: '$100,000',
    uptime: '99.5%',
    insurance: '$5,000,000',
    priceWeight: 25,
  }),
];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Two sentences per paragraph, so paragraphs hold several sentences as real RFPs do. */
function paragraphs(section: RfpSection): string[] {
  const out: string[] = [];
  for (let i = 0; i < section.sentences.length; i += 2)
    out.push(
      section.sentences
        .slice(i, i + 2)
        .map((s) => s.text)
        .join(' '),
    );
  return out;
}

export function rfpDocx(r: Rfp): Uint8Array {
  return buildDocx({
    styles: paragraphStyle('Title', 'Title') + paragraphStyle('Heading1', 'heading 1'),
    body: [
      styled('Title', esc(r.title)),
      ...r.sections.flatMap((s) => [
        styled('Heading1', esc(`${s.number}. ${s.title}`)),
        ...paragraphs(s).map((t) => p(esc(t))),
      ]),
    ].join(''),
  });
}

export function rfpHtml(r: Rfp): Uint8Array {
  const body = r.sections
    .map(
      (s) =>
        `<h2>${esc(`${s.number}. ${s.title}`)}</h2>\n${paragraphs(s)
          .map((t) => `<p>${esc(t)}</p>`)
          .join('\n')}`,
    )
    .join('\n');
  return new TextEncoder().encode(
    `<!doctype html><html><head><meta charset="utf-8"><title>${esc(r.title)}</title></head><body><main><h1>${esc(r.title)}</h1>\n${body}\n</main></body></html>`,
  );
}

/** One section per page; the section's page is its index + 1. */
export async function rfpPdf(r: Rfp): Promise<Uint8Array> {
  const pages: TextSpec[][] = r.sections.map((s, i) => {
    const specs: TextSpec[] = [];
    let y = 72;
    if (i === 0) {
      specs.push({ text: r.title, x: 72, y, size: 18, bold: true });
      y += 36;
    }
    specs.push({ text: `${s.number}. ${s.title}`, x: 72, y, size: 14, bold: true });
    y += 28;
    for (const para of paragraphs(s)) {
      for (const line of wrap(para, 88)) {
        specs.push({ text: line, x: 72, y, size: 11 });
        y += 14;
      }
      y += 12;
    }
    return specs;
  });
  return buildPdf(pages);
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}
