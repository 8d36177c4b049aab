/**
 * SmartArt: the text lives in the diagram's data model (`dgm:dataModel`) as points joined by parent-of
 * connections. Top-level points become paragraphs and their children nested bullet lists, which is how a
 * reader would outline the graphic.
 */
import type { BlockContent, ListItem } from '../../mdast.ts';
import { list, listItem, paragraph, strong, text } from '../../mdast.ts';
import { attr, child, childrenNamed, descendants, textOf, type XmlElement } from '../../xml.ts';

interface Point {
  id: string;
  type: string;
  text: string;
  children: { ord: number; id: string }[];
}

const MAX_DEPTH = 20;

export function diagramBlocks(dataModel: XmlElement): BlockContent[] {
  const points = new Map<string, Point>();
  for (const pt of childrenNamed(child(dataModel, 'dgm:ptLst'), 'dgm:pt')) {
    const id = attr(pt, 'modelId');
    if (!id) continue;
    const body = child(pt, 'dgm:t');
    const lines = body ? childrenNamed(body, 'a:p').map((p) => descendants(p, 'a:t').map(textOf).join('').trim()) : [];
    points.set(id, { id, type: attr(pt, 'type') ?? 'node', text: lines.filter(Boolean).join(' '), children: [] });
  }
  const hasParent = new Set<string>();
  for (const cxn of childrenNamed(child(dataModel, 'dgm:cxnLst'), 'dgm:cxn')) {
    const type = attr(cxn, 'type') ?? 'parOf';
    if (type !== 'parOf') continue;
    const src = points.get(attr(cxn, 'srcId') ?? '');
    const dest = attr(cxn, 'destId') ?? '';
    if (!src || !points.has(dest)) continue;
    src.children.push({ ord: Number(attr(cxn, 'srcOrd') ?? 0) || 0, id: dest });
    hasParent.add(dest);
  }
  for (const p of points.values()) p.children.sort((a, b) => a.ord - b.ord);
  const content = (p: Point) => p.type === 'node';
  const roots = [...points.values()].filter((p) => p.type === 'doc' || (content(p) && !hasParent.has(p.id)));
  const blocks: BlockContent[] = [];
  const seen = new Set<string>();
  const childrenOf = (p: Point) => p.children.map((c) => points.get(c.id)).filter((c): c is Point => !!c && content(c));
  const itemsOf = (p: Point, depth: number): ListItem[] => {
    const items: ListItem[] = [];
    for (const c of childrenOf(p)) {
      if (seen.has(c.id) || depth > MAX_DEPTH) continue;
      seen.add(c.id);
      const nested = itemsOf(c, depth + 1);
      if (!c.text) {
        items.push(...nested);
        continue;
      }
      items.push(listItem([paragraph([text(c.text)]), ...(nested.length ? [list(false, nested)] : [])]));
    }
    return items;
  };
  for (const r of roots) {
    const tops = r.type === 'doc' ? childrenOf(r) : [r];
    for (const top of tops) {
      if (seen.has(top.id)) continue;
      seen.add(top.id);
      if (top.text) blocks.push(paragraph([strong([text(top.text)])]));
      const items = itemsOf(top, 1);
      if (items.length) blocks.push(list(false, items));
    }
  }
  return blocks;
}

/** The drawing SmartArt also caches as plain shapes: only their text, when the data model is unreadable. */
export function diagramDrawingText(drawing: XmlElement): string[] {
  return descendants(drawing, 'a:p')
    .map((p) => descendants(p, 'a:t').map(textOf).join('').replace(/\s+/g, ' ').trim())
    .filter(Boolean);
}
