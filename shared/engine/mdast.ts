/**
 * The one tree every converter builds: mdast with GFM tables, plus a `pageBreak` marker node for provenance.
 * Small builders keep converter code short and uniform.
 */
import type {
  Blockquote,
  Break,
  Code,
  Emphasis,
  Heading,
  Image,
  InlineCode,
  Link,
  List,
  ListItem,
  Paragraph,
  PhrasingContent,
  Root,
  RootContent,
  Strong,
  Table,
  TableCell,
  TableRow,
  Text,
  ThematicBreak,
  Delete,
  BlockContent,
} from 'mdast';
import type { InlineMath, Math as MathNode } from 'mdast-util-math';

export interface PageBreak {
  type: 'pageBreak';
  /** 1-based number of the page that starts here. */
  page: number;
}

declare module 'mdast' {
  interface RootContentMap {
    pageBreak: PageBreak;
  }
  interface BlockContentMap {
    pageBreak: PageBreak;
  }
}

export type { Root, RootContent, PhrasingContent, BlockContent, Table, TableRow, TableCell, List, ListItem };

export const root = (children: RootContent[] = []): Root => ({ type: 'root', children });
export const text = (value: string): Text => ({ type: 'text', value });
export const paragraph = (children: PhrasingContent[]): Paragraph => ({ type: 'paragraph', children });
export const heading = (depth: number, children: PhrasingContent[]): Heading => ({
  type: 'heading',
  depth: Math.min(6, Math.max(1, Math.round(depth))) as Heading['depth'],
  children,
});
export const strong = (children: PhrasingContent[]): Strong => ({ type: 'strong', children });
export const emphasis = (children: PhrasingContent[]): Emphasis => ({ type: 'emphasis', children });
export const del = (children: PhrasingContent[]): Delete => ({ type: 'delete', children });
export const inlineCode = (value: string): InlineCode => ({ type: 'inlineCode', value });
export const code = (value: string, lang?: string): Code => ({ type: 'code', lang: lang || null, value });
export const brk = (): Break => ({ type: 'break' });
export const rule = (): ThematicBreak => ({ type: 'thematicBreak' });
export const blockquote = (children: BlockContent[]): Blockquote => ({ type: 'blockquote', children });
export const link = (url: string, children: PhrasingContent[], title?: string): Link => ({
  type: 'link',
  url,
  title: title ?? null,
  children,
});
export const image = (url: string, alt: string, title?: string): Image => ({
  type: 'image',
  url,
  alt,
  title: title ?? null,
});
export const inlineMath = (value: string): InlineMath => ({ type: 'inlineMath', value });
export const math = (value: string): MathNode => ({ type: 'math', value });
export const list = (ordered: boolean, items: ListItem[], start?: number): List => ({
  type: 'list',
  ordered,
  start: ordered ? (start ?? 1) : null,
  spread: false,
  children: items,
});
export const listItem = (children: BlockContent[]): ListItem => ({ type: 'listItem', spread: false, children });
export const cell = (children: PhrasingContent[]): TableCell => ({ type: 'tableCell', children });
export const row = (cells: TableCell[]): TableRow => ({ type: 'tableRow', children: cells });
export const table = (rows: TableRow[]): Table => ({ type: 'table', align: null, children: rows });
export const pageBreak = (page: number): PageBreak => ({ type: 'pageBreak', page });

/** A table from plain strings; the first row is the header row. */
export function tableFromStrings(rows: string[][]): Table {
  return table(rows.map((r) => row(r.map((c) => cell(c ? [text(c)] : [])))));
}

/** Plain text of any node (for titles, comparisons, heuristics). */
export function toPlainText(node: { type: string; value?: unknown; alt?: unknown; children?: unknown[] }): string {
  if (typeof node.value === 'string') return node.value;
  if (node.type === 'break') return '\n';
  if (!Array.isArray(node.children)) return '';
  return (node.children as (typeof node)[]).map(toPlainText).join('');
}

/** Placeholder for an image whose bytes are not embedded: a Markdown image with alt text and no blob. */
export function imagePlaceholder(alt: string | undefined, name?: string): Image {
  const cleanAlt = (alt ?? '').replace(/\s+/g, ' ').trim();
  return image(name ? `${name}` : '', cleanAlt || 'image');
}

/** Node types that are phrasing (inline) content in mdast, including the GFM, footnote and math extensions. */
const PHRASING_TYPES: ReadonlySet<string> = new Set([
  'text',
  'emphasis',
  'strong',
  'delete',
  'link',
  'linkReference',
  'inlineCode',
  'inlineMath',
  'break',
  'image',
  'imageReference',
  'html',
  'footnoteReference',
]);

/** Whether `node` is phrasing (inline) content. */
export function isPhrasing(node: { type: string }): node is PhrasingContent {
  return PHRASING_TYPES.has(node.type);
}
