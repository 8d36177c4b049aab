/**
 * The shapes of a slide in reading order. Groups are flattened with their child transforms applied, so a
 * grouped shape sorts by where it really is on the slide; `mc:AlternateContent` contributes one branch only.
 */
import { attr, child, elements, localName, path, type XmlElement } from '../../xml.ts';
import { inheritedShapes, placeholderOf, type SlideBase } from './inherit.ts';

export interface PlacedShape {
  el: XmlElement;
  /** Slide coordinates in EMU, when known. */
  x?: number;
  y?: number;
  /** Position in the shape tree, for a stable order among shapes without coordinates. */
  seq: number;
}

interface Transform {
  ox: number;
  oy: number;
  sx: number;
  sy: number;
}

const IDENTITY: Transform = { ox: 0, oy: 0, sx: 1, sy: 1 };
const SHAPES = new Set(['sp', 'pic', 'graphicFrame', 'grpSp', 'cxnSp', 'contentPart']);
const MAX_GROUP_DEPTH = 64;

export function collectShapes(spTree: XmlElement | undefined, base: SlideBase): PlacedShape[] {
  const out: PlacedShape[] = [];
  if (spTree) walk(spTree, IDENTITY, base, out, 0);
  return out;
}

function walk(container: XmlElement, t: Transform, base: SlideBase, out: PlacedShape[], depth: number): void {
  for (const el of elements(container)) {
    const name = localName(el.name);
    if (name === 'AlternateContent') {
      // Prefer the richer Choice; fall back only when it holds nothing we can place.
      const before = out.length;
      const choice = child(el, 'mc:Choice');
      if (choice) walk(choice, t, base, out, depth);
      if (out.length === before) {
        const fallback = child(el, 'mc:Fallback');
        if (fallback) walk(fallback, t, base, out, depth);
      }
      continue;
    }
    if (!SHAPES.has(name)) continue;
    if (name === 'grpSp') {
      if (depth < MAX_GROUP_DEPTH) walk(el, compose(t, child(child(el, 'p:grpSpPr'), 'a:xfrm')), base, out, depth + 1);
      continue;
    }
    const offset = offsetOf(el) ?? inheritedOffset(el, base);
    const placed: PlacedShape = { el, seq: out.length };
    if (offset) {
      placed.x = t.ox + offset.x * t.sx;
      placed.y = t.oy + offset.y * t.sy;
    }
    out.push(placed);
  }
}

/** A group maps its child space (chOff/chExt) onto its own box (off/ext), inside the parent's mapping. */
function compose(parent: Transform, xfrm: XmlElement | undefined): Transform {
  if (!xfrm) return parent;
  const off = point(child(xfrm, 'a:off'), 'x', 'y');
  const ext = point(child(xfrm, 'a:ext'), 'cx', 'cy');
  const chOff = point(child(xfrm, 'a:chOff'), 'x', 'y') ?? off;
  const chExt = point(child(xfrm, 'a:chExt'), 'cx', 'cy') ?? ext;
  if (!off || !chOff) return parent;
  const sx = ext && chExt && chExt.x > 0 ? ext.x / chExt.x : 1;
  const sy = ext && chExt && chExt.y > 0 ? ext.y / chExt.y : 1;
  // child x → off.x + (x - chOff.x) * sx, then through the parent.
  return {
    ox: parent.ox + (off.x - chOff.x * sx) * parent.sx,
    oy: parent.oy + (off.y - chOff.y * sy) * parent.sy,
    sx: parent.sx * sx,
    sy: parent.sy * sy,
  };
}

function point(el: XmlElement | undefined, xName: string, yName: string): { x: number; y: number } | undefined {
  if (!el) return undefined;
  const x = Number(attr(el, xName));
  const y = Number(attr(el, yName));
  return Number.isFinite(x) && Number.isFinite(y) ? { x, y } : undefined;
}

function offsetOf(el: XmlElement): { x: number; y: number } | undefined {
  const xfrm = path(el, 'p:spPr', 'a:xfrm') ?? child(el, 'p:xfrm');
  return point(child(xfrm, 'a:off'), 'x', 'y');
}

function inheritedOffset(el: XmlElement, base: SlideBase): { x: number; y: number } | undefined {
  for (const shape of inheritedShapes(base, placeholderOf(el))) {
    const off = offsetOf(shape);
    if (off) return off;
  }
  return undefined;
}

/** Shapes whose tops are this close (EMU; 0.1 inch) are read as one row, left to right. */
const ROW_TOLERANCE = 91440;

/** Top to bottom, rows left to right; shapes without a position keep their tree order after the placed ones. */
export function readingOrder(shapes: PlacedShape[]): PlacedShape[] {
  const placed = shapes.filter((s) => s.y !== undefined).sort((a, b) => a.y! - b.y! || a.seq - b.seq);
  const unplaced = shapes.filter((s) => s.y === undefined);
  const ordered: PlacedShape[] = [];
  let rowStart = 0;
  for (let i = 1; i <= placed.length; i++) {
    if (i === placed.length || placed[i].y! - placed[rowStart].y! > ROW_TOLERANCE) {
      ordered.push(...placed.slice(rowStart, i).sort((a, b) => (a.x ?? 0) - (b.x ?? 0) || a.seq - b.seq));
      rowStart = i;
    }
  }
  return [...ordered, ...unplaced];
}
