/**
 * Serialize the document tree once, with the same escaping and table rules for every format.
 * `tidy` first normalizes what converters commonly get wrong (empty blocks, ragged tables, unsafe links,
 * line breaks inside table cells), then mdast-util-to-markdown writes GFM.
 */
import type { Nodes, Parents, PhrasingContent, Root, RootContent, Table, TableCell } from 'mdast';
import { defaultHandlers, toMarkdown, type Options as ToMarkdownOptions } from 'mdast-util-to-markdown';
import { withReadableUrls } from './markdown-urls.ts';
import { withUnsafeSubset } from './markdown-unsafe-subset.ts';
import { withLongTextEscaped } from './markdown-long-text.ts';
import { gfmToMarkdown } from 'mdast-util-gfm';
import { gfmTableToMarkdown } from 'mdast-util-gfm-table';
import { createTableHandler } from './markdown-table.ts';
import { mathToMarkdown } from 'mdast-util-math';
import type { PageResult } from './types.ts';
import type { PageBreak } from './mdast.ts';
import { isPhrasing } from './mdast.ts';
import { collapseBlankLines, trimLineEnds } from './whitespace.ts';

const SAFE_URL = /^(?:https?:|mailto:|tel:|ftp:|#|\/|\.{0,2}\/|[^:/?#]*(?:[/?#]|$))/i;

export interface SerializeOptions {
  pageSeparators?: boolean;
  embedImages?: boolean;
}

export interface Serialized {
  markdown: string;
  pages?: PageResult[];
}

const toMarkdownOptions: ToMarkdownOptions = {
  bullet: '-',
  bulletOther: '*',
  emphasis: '*',
  strong: '*',
  fence: '`',
  fences: true,
  rule: '-',
  listItemIndent: 'one',
  resourceLink: true,
  extensions: [gfmToMarkdown({ tablePipeAlign: false }), mathToMarkdown({ singleDollarTextMath: true })],
  handlers: {
    // A page break is provenance, not content: it is rendered (or not) by `serialize`.
    pageBreak: () => '',
    table: createTableHandler(gfmTableToMarkdown().handlers!.tableCell!),
    text: withLongTextEscaped(withReadableUrls(withUnsafeSubset(defaultHandlers.text))),
  } as unknown as ToMarkdownOptions['handlers'],
};

/** Serialize a whole tree to Markdown, with per-page Markdown when the tree carries page breaks. */
export function serialize(tree: Root, options: SerializeOptions = {}): Serialized {
  tidy(tree, options);
  const segments = splitPages(tree.children);
  if (segments.length === 0 || (segments.length === 1 && segments[0].page === undefined)) {
    return { markdown: render(tree.children) };
  }
  const pages: PageResult[] = [];
  const parts: string[] = [];
  for (const segment of segments) {
    const markdown = render(segment.children);
    if (segment.page === undefined) {
      if (markdown) parts.push(markdown);
      continue;
    }
    pages.push({ page: segment.page, markdown });
    if (options.pageSeparators) parts.push(`<!-- page ${segment.page} -->` + (markdown ? `\n\n${markdown}` : ''));
    else if (markdown) parts.push(markdown);
  }
  return { markdown: finish(parts.join('\n\n')), pages };
}

function render(children: RootContent[]): string {
  const content = children.filter((c) => c.type !== 'pageBreak');
  if (content.length === 0) return '';
  return finish(toMarkdown({ type: 'root', children: content }, toMarkdownOptions));
}

function finish(markdown: string): string {
  // trimLineEnds, not /[ \t]+$/gm: that pattern is quadratic in a long run of spaces (whitespace.ts).
  const trimmed = collapseBlankLines(trimLineEnds(markdown)).trim();
  return trimmed ? trimmed + '\n' : '';
}

function splitPages(children: RootContent[]): { page?: number; children: RootContent[] }[] {
  const segments: { page?: number; children: RootContent[] }[] = [];
  let current: { page?: number; children: RootContent[] } = { children: [] };
  for (const child of children) {
    if (child.type === 'pageBreak') {
      if (current.children.length > 0 || current.page !== undefined) segments.push(current);
      current = { page: (child as PageBreak).page, children: [] };
    } else {
      current.children.push(child);
    }
  }
  if (current.children.length > 0 || current.page !== undefined) segments.push(current);
  return segments;
}

/** Normalize a tree in place so every format serializes the same way. */
export function tidy(tree: Root, options: SerializeOptions = {}): Root {
  tidyParent(tree, options, false);
  return tree;
}

const PRESERVE_WS = new Set(['code', 'inlineCode', 'math', 'inlineMath', 'html']);

function tidyParent(node: Parents, options: SerializeOptions, inCell: boolean): void {
  const out: Nodes[] = [];
  for (const child of node.children as Nodes[]) {
    const kept = tidyNode(child, options, inCell || node.type === 'tableCell');
    for (const k of kept) {
      const prev = out[out.length - 1];
      if (k.type === 'text' && prev?.type === 'text') prev.value += k.value;
      else out.push(k);
    }
  }
  (node as { children: Nodes[] }).children = out;
  if (isBlockContainer(node)) trimEdges(node);
}

function isBlockContainer(node: Parents): boolean {
  return node.type === 'paragraph' || node.type === 'heading' || node.type === 'tableCell';
}

/** Remove whitespace at the start and end of a block's inline content. */
function trimEdges(node: Parents): void {
  const children = node.children as PhrasingContent[];
  while (children.length && isBlankInline(children[0])) children.shift();
  while (children.length && isBlankInline(children[children.length - 1])) children.pop();
  const first = children[0];
  if (first?.type === 'text') first.value = first.value.replace(/^\s+/, '');
  const last = children[children.length - 1];
  if (last?.type === 'text') last.value = last.value.trimEnd(); // not /\s+$/: quadratic in a run of spaces
}

function isBlankInline(node: PhrasingContent): boolean {
  return node.type === 'break' || (node.type === 'text' && node.value.trim() === '');
}

function tidyNode(node: Nodes, options: SerializeOptions, inCell: boolean): Nodes[] {
  switch (node.type) {
    case 'text': {
      const value = node.value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufeff]/g, '').replace(/\s+/g, ' ');
      return value ? [{ ...node, value }] : [];
    }
    case 'break':
      return inCell ? [{ type: 'html', value: '<br>' }] : [node];
    case 'link': {
      tidyParent(node, options, inCell);
      if (!SAFE_URL.test(node.url.trim())) return node.children as Nodes[];
      if (node.children.length === 0) return [];
      return [node];
    }
    case 'image': {
      if (/^data:/i.test(node.url) && !options.embedImages) return [{ ...node, url: '' }];
      if (!/^data:/i.test(node.url) && !SAFE_URL.test(node.url.trim())) return [{ ...node, url: '' }];
      return [node];
    }
    case 'code':
    case 'inlineCode':
    case 'math':
    case 'inlineMath':
      return node.value.trim() === '' && node.type !== 'code' ? [] : [node];
    case 'table':
      return tidyTable(node, options);
    default:
      break;
  }
  if (PRESERVE_WS.has(node.type)) return [node];
  if ('children' in node) {
    tidyParent(node as Parents, options, inCell);
    const children = (node as Parents).children;
    if (children.length === 0 && node.type !== 'tableCell' && node.type !== 'listItem' && node.type !== 'tableRow')
      return [];
    if ((node.type === 'paragraph' || node.type === 'heading') && children.every((c) => c.type === 'break')) return [];
    if (
      (node.type === 'emphasis' || node.type === 'strong' || node.type === 'delete') &&
      children.every((c) => c.type === 'text' && c.value.trim() === '')
    ) {
      return children as Nodes[];
    }
    if (inCell && (node.type === 'paragraph' || node.type === 'heading'))
      return [...(children as Nodes[]), { type: 'html', value: '<br>' }];
  }
  return [node];
}

/** GFM tables need rows of equal width, inline-only cells and a header row. */
function tidyTable(table: Table, options: SerializeOptions): Nodes[] {
  for (const r of table.children) {
    for (const c of r.children) flattenCell(c, options);
  }
  const rows = table.children.filter((r) => r.children.length > 0);
  if (rows.length === 0) return [];
  const width = Math.max(...rows.map((r) => r.children.length));
  // Drop columns that are empty in every row (layout spacers), keep at least one.
  const used = new Array<boolean>(width).fill(false);
  for (const r of rows)
    r.children.forEach((c, i) => {
      if (c.children.length) used[i] = true;
    });
  const keep = used.some(Boolean) ? used : used.map((_, i) => i === 0);
  for (const r of rows) {
    while (r.children.length < width) r.children.push({ type: 'tableCell', children: [] });
    r.children = r.children.filter((_, i) => keep[i]);
  }
  const nonEmptyRows = rows.filter((r) => r.children.some((c) => c.children.length > 0));
  if (nonEmptyRows.length === 0) return [];
  table.children = nonEmptyRows;
  table.align = null;
  return [table];
}

/** Block content inside a cell becomes inline content separated by `<br>`. */
function flattenCell(cellNode: TableCell, options: SerializeOptions): void {
  if (cellNode.children.every((c) => c.type === 'text')) {
    // The common case (spreadsheets, CSV): plain text only.
    const value = cellNode.children
      .map((c) => (c as { value: string }).value)
      .join('')
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufeff]/g, '')
      .replace(/\s+/g, ' ')
      .trim();
    cellNode.children = value ? [{ type: 'text', value }] : [];
    return;
  }
  const inline: PhrasingContent[] = [];
  const pushBlockBreak = () => {
    if (inline.length && !(inline[inline.length - 1].type === 'html')) inline.push({ type: 'html', value: '<br>' });
  };
  const visit = (node: Nodes): void => {
    switch (node.type) {
      case 'paragraph':
      case 'heading':
        pushBlockBreak();
        inline.push(...node.children);
        return;
      case 'list':
        node.children.forEach((item, index) => {
          pushBlockBreak();
          inline.push({ type: 'text', value: node.ordered ? `${(node.start ?? 1) + index}. ` : '• ' });
          for (const c of item.children) {
            if (c.type === 'paragraph') inline.push(...c.children);
            else visit(c);
          }
        });
        return;
      case 'code':
        pushBlockBreak();
        inline.push({ type: 'inlineCode', value: node.value.replace(/\s+/g, ' ') });
        return;
      case 'math':
        pushBlockBreak();
        inline.push({ type: 'inlineMath', value: node.value.replace(/\s+/g, ' ') });
        return;
      case 'table':
        for (const r of node.children) {
          pushBlockBreak();
          r.children.forEach((c, i) => {
            if (i) inline.push({ type: 'text', value: ' ' });
            inline.push(...c.children);
          });
        }
        return;
      case 'blockquote':
        for (const c of node.children) visit(c);
        return;
      case 'thematicBreak':
      case 'pageBreak':
        return;
      default:
        if ('children' in node && !isPhrasing(node)) {
          for (const c of (node as Parents).children) visit(c as Nodes);
          return;
        }
        inline.push(node as PhrasingContent);
    }
  };
  for (const c of cellNode.children as Nodes[]) visit(c);
  cellNode.children = inline;
  tidyParent(cellNode, options, true);
  // Collapse runs of <br> and drop them at the edges.
  const out: PhrasingContent[] = [];
  for (const c of cellNode.children) {
    const isBr = c.type === 'html' && c.value === '<br>';
    if (
      isBr &&
      (out.length === 0 ||
        (out[out.length - 1].type === 'html' && (out[out.length - 1] as { value: string }).value === '<br>'))
    )
      continue;
    out.push(c);
  }
  while (
    out.length &&
    out[out.length - 1].type === 'html' &&
    (out[out.length - 1] as { value: string }).value === '<br>'
  )
    out.pop();
  cellNode.children = out;
  trimEdges(cellNode);
}
