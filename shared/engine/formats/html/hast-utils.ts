/** Small helpers over hast elements: class tokens, attributes and text length, all linear. */
import type { Element, Nodes, Parents } from 'hast';

export function classTokens(el: Element): string[] {
  const c = el.properties?.className;
  if (Array.isArray(c)) return c.map(String);
  return typeof c === 'string' ? (c as string).split(/\s+/) : [];
}

export function prop(el: Element, name: string): string | undefined {
  const v = el.properties?.[name];
  if (v === undefined || v === null || v === false) return undefined;
  return Array.isArray(v) ? v.join(' ') : String(v);
}

/**
 * Visible text length (non-space characters) and link text length below each node, memoised so that
 * heuristics asking about nested containers stay linear in the size of the page.
 */
export class TextMeasure {
  private readonly cache = new WeakMap<object, { text: number; link: number }>();

  text(node: Nodes): number {
    return this.measure(node, false).text;
  }

  link(node: Nodes): number {
    return this.measure(node, false).link;
  }

  private measure(node: Nodes, inLink: boolean): { text: number; link: number } {
    if (node.type === 'text') {
      const n = countNonSpace(node.value);
      return { text: n, link: inLink ? n : 0 };
    }
    if (!('children' in node)) return { text: 0, link: 0 };
    const hit = this.cache.get(node);
    if (hit && !inLink) return hit;
    const isLink = inLink || (node.type === 'element' && node.tagName === 'a');
    let text = 0;
    let link = 0;
    for (const c of node.children) {
      const m = this.measure(c, isLink);
      text += m.text;
      link += m.link;
    }
    if (isLink) link = text;
    const result = { text, link };
    if (!inLink) this.cache.set(node, result);
    return result;
  }
}

/** Visible text length of one subtree (unmemoised; for one-off checks). */
export function textLength(node: Nodes): number {
  if (node.type === 'text') return countNonSpace(node.value);
  if (!('children' in node)) return 0;
  let n = 0;
  for (const c of node.children) n += textLength(c);
  return n;
}

function countNonSpace(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) n++;
  }
  return n;
}

/** Depth-first search for the first element matching a test (without descending into matches). */
export function findAll(node: Parents, test: (el: Element) => boolean, out: Element[] = []): Element[] {
  for (const c of node.children) {
    if (c.type !== 'element') continue;
    if (test(c)) out.push(c);
    else findAll(c, test, out);
  }
  return out;
}

export function findFirst(node: Parents, test: (el: Element) => boolean): Element | undefined {
  for (const c of node.children) {
    if (c.type !== 'element') continue;
    if (test(c)) return c;
    const hit = findFirst(c, test);
    if (hit) return hit;
  }
  return undefined;
}

/** Remove, in place, every child for which `drop` says yes; recurse into the rest. */
export function filterTree(node: Parents, drop: (child: Nodes, parent: Parents) => boolean): void {
  const kept: typeof node.children = [];
  for (const c of node.children) {
    if (drop(c, node)) continue;
    if ('children' in c) filterTree(c, drop);
    kept.push(c as never);
  }
  node.children = kept as never;
}
