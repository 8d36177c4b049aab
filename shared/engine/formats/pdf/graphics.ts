/**
 * Ruling lines from a page's operator list: stroked axis-aligned lines, thin filled rectangles (how many
 * producers draw rules), and the edges of filled or stroked rectangles (cell borders and cell shading), in
 * viewport coordinates (points, y down). Curves and diagonal lines are ignored: they are drawings, not rules.
 *
 * pdf.js 6 hands paths over as `constructPath` with args `[paintOp, [pathData], minMax]`, where pathData is a
 * flat list of DrawOPS (moveTo x y, lineTo x y, curveTo 6 numbers, quadraticCurveTo 4, closePath) in user space;
 * the current transform comes from `transform`, `save`/`restore` and form XObjects, and is tracked here.
 */
import { loadPdfJs } from './load.ts';
import type { Run } from './text-items.ts';

/** A horizontal (`y0 === y1`) or vertical (`x0 === x1`) rule, coordinates ordered (x0 ≤ x1, y0 ≤ y1). */
export interface Segment {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface OperatorList {
  fnArray: ArrayLike<number>;
  argsArray: unknown[];
}

/** The pdf.js operator codes this module reads (passed in, so this module does not load pdf.js itself). */
export interface OpCodes {
  save: number;
  restore: number;
  transform: number;
  constructPath: number;
  setFillRGBColor: number;
  setLineWidth: number;
  paintFormXObjectBegin: number;
  paintFormXObjectEnd: number;
  stroke: number;
  closeStroke: number;
  fill: number;
  eoFill: number;
  fillStroke: number;
  eoFillStroke: number;
  closeFillStroke: number;
  closeEOFillStroke: number;
  beginAnnotation: number;
  endAnnotation: number;
}

export type Matrix = [number, number, number, number, number, number];

/** Pages drawn with more path points than this are drawings or charts; reading them for rules costs too much. */
const MAX_PATH_NUMBERS = 400_000;
const MAX_SEGMENTS = 4_000;
/** A filled rectangle this thin is a rule, not an area. */
const THIN = 2.5;
/** Axis-aligned within this many points. */
const SKEW = 0.5;

const DRAW_MOVE = 0;
const DRAW_LINE = 1;
const DRAW_CURVE = 2;
const DRAW_QUAD = 3;
const DRAW_CLOSE = 4;

export const multiply = (m: Matrix, n: Matrix): Matrix => [
  n[0] * m[0] + n[1] * m[2],
  n[0] * m[1] + n[1] * m[3],
  n[2] * m[0] + n[3] * m[2],
  n[2] * m[1] + n[3] * m[3],
  n[4] * m[0] + n[5] * m[2] + m[4],
  n[4] * m[1] + n[5] * m[3] + m[5],
];
const apply = (m: Matrix, x: number, y: number): [number, number] => [
  m[0] * x + m[2] * y + m[4],
  m[1] * x + m[3] * y + m[5],
];

// pdf.js hands some matrices over as typed arrays (a form XObject's /Matrix is a Float32Array): both count.
const isMatrix = (v: unknown): v is Matrix =>
  (Array.isArray(v) || ArrayBuffer.isView(v)) &&
  (v as ArrayLike<unknown>).length === 6 &&
  Array.from(v as ArrayLike<unknown>).every((n) => typeof n === 'number' && Number.isFinite(n));

/** Near-white fills are invisible on paper (page backgrounds, white-outs): their edges are no rules. */
export function isWhite(hex: unknown): boolean {
  if (typeof hex !== 'string' || !/^#[0-9a-f]{6}$/i.test(hex)) return false;
  return [1, 3, 5].every((i) => parseInt(hex.slice(i, i + 2), 16) >= 242);
}

/**
 * Where painted paths become rules: the one place that decides which path is a rule, fed by pdf.js's operator
 * list (`pageSegments`) or by our own content-stream reading (`content-rules.ts`). Coordinates are in the
 * space `ctm` maps to (viewport points, y down).
 */
export class SegmentSink {
  readonly segments: Segment[] = [];
  #budget = MAX_PATH_NUMBERS;
  #pageArea: number;
  /** True once the page has more path data than is worth reading: its rules are then none at all. */
  overBudget = false;

  constructor(page: { width: number; height: number }) {
    this.#pageArea = page.width * page.height;
  }

  /**
   * One painted path: `data` in pdf.js's DrawOPS encoding (see the module comment), in user space; `stroked`
   * and `filled` say how it is painted (`filled` false for a near-white fill). Returns false once over budget.
   */
  path(data: ArrayLike<number>, ctm: Matrix, stroked: boolean, filled: boolean): boolean {
    if (this.overBudget) return false;
    if (!stroked && !filled) return true;
    this.#budget -= data.length;
    if (this.#budget < 0) {
      this.overBudget = true;
      return false;
    }
    for (const sub of subpaths(data)) {
      const points = sub.points.map(([x, y]) => apply(ctm, x, y));
      const rect = sub.curved ? undefined : rectangleOf(points);
      if (rect) {
        const w = rect.x1 - rect.x0;
        const h = rect.y1 - rect.y0;
        if (filled && !stroked && (w < THIN || h < THIN)) {
          // A thin filled bar: one rule along its long side.
          if (w >= h) this.#add(rect.x0, (rect.y0 + rect.y1) / 2, rect.x1, (rect.y0 + rect.y1) / 2);
          else this.#add((rect.x0 + rect.x1) / 2, rect.y0, (rect.x0 + rect.x1) / 2, rect.y1);
          continue;
        }
        if (w * h > 0.6 * this.#pageArea) continue; // page or frame background
        this.#add(rect.x0, rect.y0, rect.x1, rect.y0);
        this.#add(rect.x0, rect.y1, rect.x1, rect.y1);
        this.#add(rect.x0, rect.y0, rect.x0, rect.y1);
        this.#add(rect.x1, rect.y0, rect.x1, rect.y1);
        continue;
      }
      if (!stroked || sub.curved) continue;
      for (let k = 1; k < points.length; k++) this.#add(points[k - 1][0], points[k - 1][1], points[k][0], points[k][1]);
      if (sub.closed && points.length > 2)
        this.#add(points[points.length - 1][0], points[points.length - 1][1], points[0][0], points[0][1]);
    }
    return true;
  }

  /** The page's rules: none when the page was over budget (a drawing or chart, not a table). */
  result(): Segment[] {
    return this.overBudget ? [] : this.segments;
  }

  #add(x0: number, y0: number, x1: number, y1: number) {
    const segments = this.segments;
    if (segments.length >= MAX_SEGMENTS) return;
    if (Math.abs(y0 - y1) <= SKEW) {
      const y = (y0 + y1) / 2;
      if (Math.abs(x1 - x0) > 1) segments.push({ x0: Math.min(x0, x1), x1: Math.max(x0, x1), y0: y, y1: y });
    } else if (Math.abs(x0 - x1) <= SKEW) {
      const x = (x0 + x1) / 2;
      if (Math.abs(y1 - y0) > 1) segments.push({ x0: x, x1: x, y0: Math.min(y0, y1), y1: Math.max(y0, y1) });
    }
  }
}

/** True when a path of this data, painted with a fill, could yield a rule (it holds an axis-aligned box). */
export function holdsRectangle(data: ArrayLike<number>, ctm: Matrix): boolean {
  for (const sub of subpaths(data))
    if (!sub.curved && rectangleOf(sub.points.map(([x, y]) => apply(ctm, x, y)))) return true;
  return false;
}

export function pageSegments(
  ops: OperatorList,
  codes: OpCodes,
  viewportTransform: number[],
  page: { width: number; height: number },
): Segment[] {
  const strokeOps = new Set([
    codes.stroke,
    codes.closeStroke,
    codes.fillStroke,
    codes.eoFillStroke,
    codes.closeFillStroke,
    codes.closeEOFillStroke,
  ]);
  const fillOps = new Set([
    codes.fill,
    codes.eoFill,
    codes.fillStroke,
    codes.eoFillStroke,
    codes.closeFillStroke,
    codes.closeEOFillStroke,
  ]);
  const sink = new SegmentSink(page);
  let ctm = (isMatrix(viewportTransform) ? viewportTransform : [1, 0, 0, 1, 0, 0]) as Matrix;
  let fill: unknown = '#000000';
  const stack: { ctm: Matrix; fill: unknown }[] = [];

  let inAnnotation = false;
  for (let i = 0; i < ops.fnArray.length; i++) {
    const fn = ops.fnArray[i];
    const args = ops.argsArray[i] as unknown[] | null;
    // Annotation appearances (link borders, form-field boxes) are drawn in the annotation's own space, which
    // the list gives only as beginAnnotation's arguments: they are no page rules, and are left out.
    if (fn === codes.beginAnnotation) inAnnotation = true;
    else if (fn === codes.endAnnotation) inAnnotation = false;
    if (inAnnotation) continue;
    if (fn === codes.save) {
      stack.push({ ctm, fill });
    } else if (fn === codes.restore) {
      const top = stack.pop();
      if (top) ({ ctm, fill } = top);
    } else if (fn === codes.transform) {
      if (isMatrix(args)) ctm = multiply(ctm, args);
    } else if (fn === codes.paintFormXObjectBegin) {
      stack.push({ ctm, fill });
      if (args && isMatrix(args[0])) ctm = multiply(ctm, Array.from(args[0]) as Matrix);
    } else if (fn === codes.paintFormXObjectEnd) {
      const top = stack.pop();
      if (top) ({ ctm, fill } = top);
    } else if (fn === codes.setFillRGBColor) {
      fill = args?.[0];
    } else if (fn === codes.constructPath && args) {
      const paint = args[0] as number;
      const data = (args[1] as unknown[] | undefined)?.[0] as ArrayLike<number> | null | undefined;
      if (!data || typeof data.length !== 'number') continue;
      if (!sink.path(data, ctm, strokeOps.has(paint), fillOps.has(paint) && !isWhite(fill))) return [];
    }
  }
  return sink.result();
}

interface Subpath {
  points: [number, number][];
  closed: boolean;
  curved: boolean;
}

function* subpaths(data: ArrayLike<number>): Generator<Subpath> {
  let current: Subpath | undefined;
  let i = 0;
  while (i < data.length) {
    const op = data[i++];
    if (op === DRAW_MOVE) {
      if (current && current.points.length > 1) yield current;
      current = { points: [[data[i], data[i + 1]]], closed: false, curved: false };
      i += 2;
    } else if (op === DRAW_LINE) {
      current ??= { points: [], closed: false, curved: false };
      current.points.push([data[i], data[i + 1]]);
      i += 2;
    } else if (op === DRAW_CURVE || op === DRAW_QUAD) {
      const n = op === DRAW_CURVE ? 6 : 4;
      current ??= { points: [], closed: false, curved: false };
      current.curved = true;
      current.points.push([data[i + n - 2], data[i + n - 1]]);
      i += n;
    } else if (op === DRAW_CLOSE) {
      if (current) current.closed = true;
    } else {
      return; // unknown drawing op: the rest of the data cannot be parsed reliably
    }
  }
  if (current && current.points.length > 1) yield current;
}

/** The box of a closed four-corner axis-aligned path (a trailing point equal to the first is allowed). */
function rectangleOf(points: [number, number][]): { x0: number; y0: number; x1: number; y1: number } | undefined {
  let pts = points;
  if (pts.length === 5 && Math.abs(pts[4][0] - pts[0][0]) < SKEW && Math.abs(pts[4][1] - pts[0][1]) < SKEW)
    pts = pts.slice(0, 4);
  if (pts.length !== 4) return undefined;
  for (let k = 0; k < 4; k++) {
    const [ax, ay] = pts[k];
    const [bx, by] = pts[(k + 1) % 4];
    if (Math.abs(ax - bx) > SKEW && Math.abs(ay - by) > SKEW) return undefined;
  }
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  return { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) };
}

/**
 * The rules of a page: from its content streams when `fromContent` can read them (content-rules.ts: the same
 * rules, without pdf.js's costly operator list), else from its operator list (fetched once per page and shared
 * with the font lookup). Pages whose text shows no sign of a table (no two lines with several separated pieces)
 * read neither: prose pages are most pages.
 */
export async function pageRules(
  operatorList: () => Promise<OperatorList>,
  runs: Run[],
  viewport: { transform: number[]; width: number; height: number },
  fromContent?: () => Promise<Segment[] | undefined>,
): Promise<Segment[]> {
  if (!mayHoldTable(runs)) return [];
  const own = await fromContent?.();
  if (own) return own;
  const [{ OPS }, ops] = await Promise.all([loadPdfJs(), operatorList()]);
  return pageSegments(ops, OPS, viewport.transform, viewport);
}

/** At least two baselines with two or more text pieces separated by more than a word space. */
export function mayHoldTable(runs: Run[]): boolean {
  const byLine = new Map<number, Run[]>();
  for (const r of runs) {
    const key = Math.round(r.y / 2);
    byLine.set(key, [...(byLine.get(key) ?? []), r]);
  }
  let rows = 0;
  for (const line of byLine.values()) {
    if (line.length < 2) continue;
    line.sort((a, b) => a.x0 - b.x0);
    if (line.some((r, i) => i > 0 && r.x0 - line[i - 1].x1 > 0.8 * r.size)) rows++;
    if (rows >= 2) return true;
  }
  return false;
}
