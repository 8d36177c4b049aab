/**
 * HTML text → the shared mdast tree: parse5 (linear and forgiving like a browser) → over-deep nesting
 * flattened (depth.ts) → hast → notes taken out as footnotes → prune what is never content → choose the main region →
 * hast-util-to-mdast with our handlers → footnote definitions appended. EPUB chapters come through here too
 * (through `parseHtml` / `hastToTree` / `notesToMdast`, so that notes may live in another chapter).
 */
import { parse } from 'parse5';
import { fromParse5 } from 'hast-util-from-parse5';
import { toMdast } from 'hast-util-to-mdast';
import { toText } from 'hast-util-to-text';
import type { Root as HastRoot } from 'hast';
import type { BlockContent, FootnoteDefinition, Root, RootContent } from 'mdast';
import { findFirst } from './hast-utils.ts';
import { pruneNonContent } from './prune.ts';
import { selectMainContent } from './main-content.ts';
import { createHandlers, type HandlerOptions } from './handlers.ts';
import { hoistAttentionWhitespace, tightenLists } from './fixups.ts';
import { extractNotes, type NoteDefinition } from './footnotes.ts';
import { isPhrasing } from '../../mdast.ts';
import type { ConversionWarning } from '../../types.ts';
import { flattenDeepNesting, MAX_HTML_DEPTH } from './depth.ts';

export interface HtmlTreeOptions extends HandlerOptions {
  /** Keep the whole body instead of choosing a main region (EPUB chapters are all content). */
  wholeBody?: boolean;
  /** Accept unmarked `<a href="#fn1">1</a>` note references (see footnotes.ts); EPUB turns this on. */
  noteHeuristics?: boolean;
}

export interface HtmlTree {
  root: Root;
  /** Text of `<title>`, if the page has one. */
  title?: string;
}

/** `warn` receives the typed warnings of parsing (see `parseHtml`). */
export function htmlToTree(
  html: string,
  options: HtmlTreeOptions = {},
  warn: (w: ConversionWarning) => void = () => {},
): HtmlTree {
  const hast = parseHtml(html, warn);
  const notes = extractNotes([{ root: hast }], { heuristics: options.noteHeuristics === true });
  const tree = hastToTree(hast, options);
  tree.root.children.push(...notesToMdast(notes, options));
  return tree;
}

/**
 * HTML text → hast, parsed by parse5 (the WHATWG algorithm, as a browser), with nesting past
 * `MAX_HTML_DEPTH` levels flattened first (depth.ts): the text is kept, and `warn` gets an
 * `unsupported_content` warning counting the elements whose structure was given up.
 */
export function parseHtml(html: string, warn: (w: ConversionWarning) => void = () => {}): HastRoot {
  const document = parse(html, { scriptingEnabled: false });
  const flattened = flattenDeepNesting(document);
  if (flattened > 0) {
    warn({
      code: 'unsupported_content',
      message: `${flattened} HTML elements nested deeper than ${MAX_HTML_DEPTH} levels were flattened: their text is kept, their structure is not`,
    });
  }
  return fromParse5(document) as HastRoot;
}

/** One parsed page (notes already extracted, if wanted) → mdast. Mutates `hast` (pruning). */
export function hastToTree(hast: HastRoot, options: HtmlTreeOptions = {}): HtmlTree {
  const title = titleOf(hast);
  pruneNonContent(hast);
  const region = options.wholeBody ? (findFirst(hast, (el) => el.tagName === 'body') ?? hast) : selectMainContent(hast);
  const content: HastRoot = { type: 'root', children: region.type === 'root' ? region.children : [region] };
  const root = toMdast(content, { handlers: createHandlers(options) }) as Root;
  hoistAttentionWhitespace(root);
  tightenLists(root);
  return title ? { root, title } : { root };
}

/** Extracted notes → `footnoteDefinition`s (empty notes are dropped; their references still number them). */
export function notesToMdast(notes: NoteDefinition[], options: HtmlTreeOptions = {}): FootnoteDefinition[] {
  const out: FootnoteDefinition[] = [];
  for (const note of notes) {
    const root = toMdast({ type: 'root', children: note.content }, { handlers: createHandlers(options) }) as Root;
    hoistAttentionWhitespace(root);
    tightenLists(root);
    const children = asBlocks(root.children);
    if (children.length === 0) children.push({ type: 'paragraph', children: [] });
    out.push({ type: 'footnoteDefinition', identifier: note.identifier, label: note.identifier, children });
  }
  return out;
}

/** Runs of inline nodes at the top of a note become paragraphs (a note `<li>` often holds bare text). */
function asBlocks(nodes: RootContent[]): BlockContent[] {
  const out: BlockContent[] = [];
  let run: RootContent[] = [];
  const flush = () => {
    if (run.some((n) => n.type !== 'text' || n.value.trim() !== '')) {
      out.push({ type: 'paragraph', children: run as never });
    }
    run = [];
  };
  for (const n of nodes) {
    if (isPhrasing(n)) run.push(n);
    else {
      flush();
      out.push(n as BlockContent);
    }
  }
  flush();
  return out;
}

function titleOf(hast: HastRoot): string | undefined {
  const el = findFirst(hast, (e) => e.tagName === 'title');
  const t = el ? toText(el).replace(/\s+/g, ' ').trim() : '';
  return t || undefined;
}
