/**
 * Bound the nesting depth of a parsed HTML tree before anything recursive walks it. parse5 itself builds
 * trees of any depth iteratively, but the hast conversion, our pruning and the mdast/Markdown steps recurse
 * once per level: a page of a few thousand nested `<div>`s overflowed the stack and failed (or, with a larger
 * stack, went on to lose text). Browsers bound the DOM the same way: Blink's HTML parser caps tree depth at
 * 512 (`kMaximumHTMLParserDOMTreeDepth`) and attaches deeper elements flat instead of nested.
 *
 * Here an element at the cap keeps its whole subtree's text and leaf elements (images, line breaks) in
 * document order, but the elements in between are removed; a line break stands at each removed element's
 * start and end so that words of adjacent blocks do not run together. Iterative, linear in the tree size.
 */
import type { DefaultTreeAdapterMap } from 'parse5';

type P5Node = DefaultTreeAdapterMap['node'];
type P5Parent = DefaultTreeAdapterMap['parentNode'];

/** Deepest element level kept as structure (the source: Blink's parser limit, see above). */
export const MAX_HTML_DEPTH = 512;

/**
 * Flatten, in place, every subtree below `maxDepth` levels of `document` (a parse5 default-tree document).
 * Returns the number of elements removed (0 when the tree was within the bound).
 */
export function flattenDeepNesting(document: P5Parent, maxDepth = MAX_HTML_DEPTH): number {
  let removed = 0;
  const stack: { node: P5Parent; depth: number }[] = [{ node: document, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    const kids = childrenOf(node);
    if (depth >= maxDepth) {
      if (kids.some((c) => childrenOf(c).length > 0)) removed += flattenInto(node);
      continue;
    }
    for (const c of kids) if (childrenOf(c).length > 0) stack.push({ node: c as P5Parent, depth: depth + 1 });
  }
  return removed;
}

/** Replace `parent`'s children by its subtree's leaves in document order; returns the elements removed. */
function flattenInto(parent: P5Parent): number {
  const out: P5Node[] = [];
  let removed = 0;
  // One line break between leaves however many removed elements open or close there: a run of thousands of
  // whitespace-only siblings makes the whitespace minifier's look-ahead quadratic (measured: 20,000 nested
  // elements took 18 s instead of well under 1 s).
  let lastWasBreak = false;
  const pushBreak = () => {
    if (!lastWasBreak) out.push({ nodeName: '#text', value: '\n', parentNode: parent } as P5Node);
    lastWasBreak = true;
  };
  // Work items: a node to emit, or a marker closing a removed element.
  const work: (P5Node | null)[] = [...childrenOf(parent)].reverse();
  while (work.length > 0) {
    const n = work.pop()!;
    if (n === null) {
      pushBreak();
      continue;
    }
    const kids = childrenOf(n);
    if (kids.length === 0) {
      (n as { parentNode: P5Parent | null }).parentNode = parent;
      out.push(n);
      lastWasBreak = false;
      continue;
    }
    removed++;
    pushBreak();
    work.push(null);
    for (let i = kids.length - 1; i >= 0; i--) work.push(kids[i]!);
  }
  setChildren(parent, wrapForParent(parent, out));
  return removed;
}

/**
 * Table and list elements hold text only inside their cells and items (HTML's content models; the Markdown
 * mapping drops text lying directly in a `<tr>` or `<ul>`), so leaves flattened into one of them go into the
 * cell or item it expects.
 */
const TEXT_HOLDER: Record<string, string[]> = {
  table: ['tr', 'td'],
  tbody: ['tr', 'td'],
  thead: ['tr', 'td'],
  tfoot: ['tr', 'td'],
  tr: ['td'],
  ul: ['li'],
  ol: ['li'],
  menu: ['li'],
  dl: ['dd'],
};

function wrapForParent(parent: P5Parent, leaves: P5Node[]): P5Node[] {
  const chain = TEXT_HOLDER[parent.nodeName];
  if (!chain) return leaves;
  let holderParent = parent;
  let top: P5Node | undefined;
  let innermost: P5Parent | undefined;
  for (const tagName of chain) {
    const element = {
      nodeName: tagName,
      tagName,
      attrs: [],
      namespaceURI: 'http://www.w3.org/1999/xhtml',
      childNodes: [],
      parentNode: holderParent,
    } as unknown as P5Parent;
    if (innermost) (innermost as { childNodes: P5Node[] }).childNodes = [element as P5Node];
    top ??= element as P5Node;
    innermost = element;
    holderParent = element;
  }
  for (const leaf of leaves) (leaf as { parentNode: P5Parent | null }).parentNode = innermost!;
  (innermost as { childNodes: P5Node[] }).childNodes = leaves;
  return [top!];
}

/** Children of a parse5 node, including a `<template>`'s content fragment (parse5 keeps it apart). */
function childrenOf(node: P5Node): P5Node[] {
  const own = 'childNodes' in node ? (node.childNodes as P5Node[]) : [];
  const content = 'content' in node && node.content ? (node.content.childNodes as P5Node[]) : [];
  return content.length > 0 ? [...own, ...content] : own;
}

function setChildren(node: P5Parent, children: P5Node[]): void {
  (node as { childNodes: P5Node[] }).childNodes = children;
  if ('content' in node && node.content) node.content.childNodes = [];
}
