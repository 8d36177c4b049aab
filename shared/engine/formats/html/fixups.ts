/**
 * Tree repairs after hast-util-to-mdast. `<b> word</b>` keeps its leading space inside the strong node,
 * which Markdown cannot express: the serializer would fall back to character references (`&#x20;`).
 * Moving edge whitespace out of emphasis, strong and delete keeps the text readable.
 */
import type { Nodes, Parents, PhrasingContent, Text } from 'mdast';

const ATTENTION = new Set(['emphasis', 'strong', 'delete']);

export function hoistAttentionWhitespace(node: Parents): void {
  const out: Nodes[] = [];
  for (const child of node.children as Nodes[]) {
    if ('children' in child) hoistAttentionWhitespace(child);
    if (!ATTENTION.has(child.type)) {
      out.push(child);
      continue;
    }
    const kids = (child as Parents).children as PhrasingContent[];
    const lead = takeEdge(kids, 'start');
    const trail = takeEdge(kids, 'end');
    if (lead) out.push(space());
    if (kids.length) out.push(child);
    if (trail) out.push(space());
  }
  (node as { children: Nodes[] }).children = out;
}

/** Strip whitespace at one edge of inline content; true if there was any. */
function takeEdge(kids: PhrasingContent[], edge: 'start' | 'end'): boolean {
  let found = false;
  for (;;) {
    const i = edge === 'start' ? 0 : kids.length - 1;
    const k = kids[i];
    if (!k || k.type !== 'text') return found;
    const trimmed = edge === 'start' ? k.value.trimStart() : k.value.trimEnd();
    if (trimmed.length === k.value.length) return found;
    found = true;
    if (trimmed) {
      k.value = trimmed;
      return true;
    }
    kids.splice(i, 1);
  }
}

const space = (): Text => ({ type: 'text', value: ' ' });

/**
 * HTML has no loose/tight distinction, and hast-util-to-mdast marks a list loose as soon as an item holds
 * more than one block. An item that is one line of text plus nested lists reads best tight; items with
 * several paragraphs stay loose so the paragraphs do not run together.
 */
export function tightenLists(node: Parents): void {
  for (const child of node.children as Nodes[]) {
    if (!('children' in child)) continue;
    tightenLists(child);
    if (child.type !== 'list') continue;
    for (const item of child.children) {
      const [first, ...rest] = item.children;
      item.spread = !(
        first === undefined ||
        ((first.type === 'paragraph' || first.type === 'list') && rest.every((r) => r.type === 'list'))
      );
    }
    child.spread = child.children.some((i) => i.spread);
  }
}
