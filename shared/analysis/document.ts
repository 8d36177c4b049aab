/**
 * The analysis view of a converted document: its Markdown parsed (CommonMark + GFM) into a flat list of
 * blocks in reading order, each with character offsets [start, end) into the Markdown, the heading path above
 * it, its section (number and heading) and its page. Every analysis (chunks, requirements, retrieval,
 * summaries, injection checks) works on these blocks, so every citation uses the same offsets.
 *
 * Offsets are UTF-16 code-unit indexes into the Markdown string (JavaScript string indexes, as
 * `mdast-util-from-markdown` reports them in `position.*.offset`), so `markdown.slice(start, end)` is the
 * cited text verbatim.
 */
import type { Heading, List, ListItem, Nodes, Root, RootContent, Table, TableCell, TableRow } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';
import type { PageResult } from '../engine/types.ts';
import { pageLocator, type PageLocator } from './pages.ts';
import { sectionNumber } from './sections.ts';

/** What an analysis is given: the Markdown of a conversion and, for paged formats, its pages. */
export interface AnalysisDocument {
  markdown: string;
  /** `ConvertResult.pages`: used for page numbers when the Markdown carries no `<!-- page N -->` markers. */
  pages?: PageResult[];
}

/** A character range [start, end) of the Markdown, in UTF-16 code units. */
export interface Span {
  start: number;
  end: number;
}

export interface Section {
  /** The heading's own number (`3.2`, `C.1`, `IV`) when it has one. */
  number?: string;
  /** The heading text, without Markdown syntax. */
  heading: string;
}

export type BlockKind = 'heading' | 'paragraph' | 'listItem' | 'tableRow' | 'code' | 'html' | 'other';

export interface Block extends Span {
  kind: BlockKind;
  /** Headings above this block, outermost first (a heading's own path ends with itself). */
  headingPath: string[];
  /** The innermost section the block belongs to; absent before the first heading. */
  section?: Section;
  /** 1-based page of the block's start, when the document is paged. */
  page?: number;
  /** For headings: the level 1–6. */
  depth?: number;
  /** For list items: the nesting depth, 0 for a top-level item. */
  listDepth?: number;
  /**
   * Spans holding running text to read sentences from: the paragraphs of a paragraph or list item (without
   * its nested lists), the cells of a table row. Empty for code, HTML and headings.
   */
  textSpans: Span[];
}

export interface ParsedDocument {
  markdown: string;
  root: Root;
  blocks: Block[];
  pages: PageLocator;
}

/** A page marker as `serialize` writes it with `pageSeparators`. */
export const PAGE_MARKER = /^<!--\s*page\s+(\d+)\s*-->$/;

/** Parses the Markdown into blocks. Never throws: any string is Markdown. */
export function parseDocument(doc: AnalysisDocument): ParsedDocument {
  const { markdown } = doc;
  const root = fromMarkdown(markdown, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
  const pages = pageLocator(markdown, root, doc.pages);
  const blocks: Block[] = [];
  const path: { depth: number; text: string; section: Section }[] = [];

  const push = (kind: BlockKind, node: Nodes, textSpans: Span[], extra: Partial<Block> = {}) => {
    const span = spanOf(node);
    if (!span) return;
    const top = path[path.length - 1];
    blocks.push({
      kind,
      ...span,
      headingPath: path.map((h) => h.text),
      ...(top ? { section: top.section } : {}),
      ...(pages.pageAt(span.start) !== undefined ? { page: pages.pageAt(span.start) } : {}),
      textSpans,
      ...extra,
    });
  };

  const visitList = (list: List, depth: number) => {
    for (const item of list.children) visitItem(item, depth);
  };
  const visitItem = (item: ListItem, depth: number) => {
    const own = item.children.filter((c) => c.type !== 'list');
    push('listItem', item, own.flatMap(textSpansOf), { listDepth: depth });
    for (const c of item.children) if (c.type === 'list') visitList(c, depth + 1);
  };

  const heading = (node: Nodes, text: string, depth: number) => {
    while (path.length && path[path.length - 1].depth >= depth) path.pop();
    const number = sectionNumber(text);
    path.push({ depth, text, section: { ...(number ? { number } : {}), heading: text } });
    push('heading', node, [], { depth });
  };

  const visit = (node: RootContent) => {
    switch (node.type) {
      case 'heading':
        heading(node, plain(markdown, node), node.depth);
        return;
      case 'paragraph':
      case 'list': {
        const numbered = numberedHeading(markdown, node);
        if (numbered) heading(node, numbered.text, numbered.depth);
        else if (node.type === 'paragraph') push('paragraph', node, textSpansOf(node));
        else visitList(node, 0);
        return;
      }
      case 'table':
        for (const row of (node as Table).children) push('tableRow', row, cellSpans(row));
        return;
      case 'blockquote':
        for (const c of node.children) visit(c);
        return;
      case 'code':
        push('code', node, []);
        return;
      case 'html':
        push('html', node, []);
        return;
      default:
        push('other', node, []);
    }
  };
  for (const node of root.children) visit(node);
  return { markdown, root, blocks, pages };
}

/**
 * A numbered section title that came out of a converter as a paragraph or a one-item ordered list (PDFs
 * whose headings are not set apart by size, `1. Introduction` read as a list): a single short line — a
 * section number, then at most 12 words starting with a capital and no sentence punctuation. Its depth is
 * the numbering depth plus one (below a document title).
 */
const NUMBERED_TITLE = /^((?:[A-Z]\.)?\d+(?:\.\d+)*)[.)]?\s+(\p{Lu}[^\n.!?;:]{0,100})$/u;

function numberedHeading(markdown: string, node: Nodes): { text: string; depth: number } | undefined {
  if (node.type === 'list' && !(node.ordered && node.children.length === 1 && node.children[0].children.length === 1))
    return undefined;
  if (node.type !== 'list' && node.type !== 'paragraph') return undefined;
  const span = spanOf(node);
  if (!span) return undefined;
  const text = markdown
    .slice(span.start, span.end)
    .replace(/\\([.)])/g, '$1')
    .trim();
  const m = NUMBERED_TITLE.exec(text);
  if (!m || m[2].split(/\s+/).length > 12) return undefined;
  return { text, depth: m[1].split('.').length + 1 };
}

export function spanOf(node: Nodes): Span | undefined {
  // The engine's `pageBreak` node (in mdast's Nodes by augmentation) has no position; parsed nodes do.
  const position = (node as { position?: { start: { offset?: number }; end: { offset?: number } } }).position;
  const start = position?.start.offset;
  const end = position?.end.offset;
  return start === undefined || end === undefined ? undefined : { start, end };
}

function textSpansOf(node: Nodes): Span[] {
  if (node.type === 'paragraph') {
    const s = spanOf(node);
    return s ? [s] : [];
  }
  if ('children' in node) return (node.children as Nodes[]).flatMap(textSpansOf);
  return [];
}

function cellSpans(row: TableRow): Span[] {
  return row.children.flatMap((cell: TableCell) => {
    const s = spanOf(cell);
    if (!s) return [];
    // A cell's position takes in its pipe and padding; the text starts at its first child.
    const first = cell.children[0] ? spanOf(cell.children[0]) : undefined;
    const last = cell.children.length ? spanOf(cell.children[cell.children.length - 1]) : undefined;
    return first && last ? [{ start: first.start, end: last.end }] : [];
  });
}

/** The text of a node as read (heading text without `#`, escapes and emphasis markers). */
export function plain(markdown: string, node: Nodes): string {
  let out = '';
  const walk = (n: Nodes) => {
    if (n.type === 'text' || n.type === 'inlineCode') out += n.value;
    else if (n.type === 'break') out += ' ';
    else if ('children' in n) for (const c of n.children as Nodes[]) walk(c);
  };
  walk(node);
  return (
    out.replace(/\s+/g, ' ').trim() || (spanOf(node) ? markdown.slice(spanOf(node)!.start, spanOf(node)!.end) : '')
  );
}

export type { Heading };
