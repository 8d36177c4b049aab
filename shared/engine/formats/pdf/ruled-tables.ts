/**
 * Ruled tables from drawn lines. Rules are merged where collinear, grouped into tables where they touch
 * (a grid) or where horizontal rules of the same width are stacked (the booktabs style: top, middle and bottom
 * rules, no verticals). Rows lie between horizontal rules and columns between vertical ones; without vertical
 * rules the columns come from the gaps in the text. A rule missing inside a table merges the cells on either
 * side (a spanning cell); the merged cell's text is repeated in every grid position it covers, as a spanning
 * header is read ("TEDs" over "simple | complex | all"). Text runs go to the cell holding their centre; the
 * lines of a cell are joined with spaces.
 */
import type { Segment } from './graphics.ts';
import type { Run } from './text-items.ts';
import { CURRENCY, FIGURE, type TableRegion } from './tables.ts';
import { fragments, textColumns } from './text-columns.ts';
import { recordColumns } from './table-continuation.ts';
import { markScript, scriptOf } from './scripts.ts';
import { RTL } from './lines.ts';
import { withGroupRowJoined } from './group-header.ts';
import { withoutLeadingLeader, withoutTrailingLeader } from './cell-text.ts';

/** Rules closer than this (points) are the same rule; ends closer than this touch. */
const TOL = 2;
const MIN_RULE = 6;

interface Rule {
  pos: number;
  from: number;
  to: number;
}

export function ruledTables(segments: Segment[], runs: Run[]): { tables: TableRegion[]; used: Set<Run> } {
  const used = new Set<Run>();
  const tables: TableRegion[] = [];
  if (!segments.length || !runs.length) return { tables, used };
  const horizontal = mergeRules(
    segments.filter((s) => s.y0 === s.y1).map((s) => ({ pos: s.y0, from: s.x0, to: s.x1 })),
  );
  const vertical = mergeRules(
    segments.filter((s) => s.x0 === s.x1 && s.y0 !== s.y1).map((s) => ({ pos: s.x0, from: s.y0, to: s.y1 })),
  );
  const boxes = framedBoxes(segments);
  for (const region of joinStrips(regions(horizontal, vertical), runs)) {
    const inside = runs.filter((r) => !used.has(r) && centreIn(r, region));
    if (framedText(region, boxes, inside)) continue;
    const table = buildTable(
      region,
      inside,
      headerAbove(
        region,
        runs.filter((r) => !used.has(r)),
        inside,
      ),
    );
    if (!table) continue;
    tables.push(table.region);
    for (const r of table.runs) used.add(r);
  }
  return { tables, used };
}

interface Region {
  x0: number;
  x1: number;
  top: number;
  bottom: number;
  h: Rule[];
  v: Rule[];
}

const centreX = (r: Run) => (r.x0 + r.x1) / 2;
const centreY = (r: Run) => r.y - 0.3 * r.size;
const centreIn = (r: Run, g: { x0: number; x1: number; top: number; bottom: number }) => {
  const x = centreX(r);
  const y = centreY(r);
  return x > g.x0 - TOL && x < g.x1 + TOL && y > g.top - TOL && y < g.bottom + TOL;
};

/** Collinear pieces (a rule drawn per cell, dashed rules) become one rule. */
function mergeRules(rules: Rule[], tol = TOL): Rule[] {
  const sorted = rules.filter((r) => r.to - r.from >= 1).sort((a, b) => a.pos - b.pos || a.from - b.from);
  const out: Rule[] = [];
  const open: Rule[] = [];
  for (const r of sorted) {
    let merged = false;
    for (const o of open) {
      if (Math.abs(o.pos - r.pos) <= tol && r.from <= o.to + tol && r.to >= o.from - tol) {
        o.from = Math.min(o.from, r.from);
        o.to = Math.max(o.to, r.to);
        merged = true;
        break;
      }
    }
    if (!merged) {
      const rule = { ...r };
      open.push(rule);
      out.push(rule);
    }
    // Rules far above the current position can no longer merge.
    while (open.length && r.pos - open[0].pos > tol) open.shift();
  }
  return out.filter((r) => r.to - r.from >= MIN_RULE);
}

/** Grids (touching horizontal and vertical rules) and stacks of same-width horizontal rules. */
function regions(horizontal: Rule[], vertical: Rule[]): Region[] {
  const n = horizontal.length + vertical.length;
  const parent = Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const union = (a: number, b: number) => {
    parent[find(a)] = find(b);
  };
  horizontal.forEach((h, i) => {
    vertical.forEach((v, j) => {
      if (v.pos >= h.from - TOL && v.pos <= h.to + TOL && h.pos >= v.from - TOL && h.pos <= v.to + TOL)
        union(i, horizontal.length + j);
    });
  });
  // Stacked horizontal rules of the same extent (booktabs): each joins the next one below it of that extent.
  const byY = horizontal.map((h, i) => ({ h, i })).sort((a, b) => a.h.pos - b.h.pos);
  for (let a = 0; a < byY.length; a++) {
    for (let b = a + 1; b < byY.length; b++) {
      const p = byY[a].h;
      const q = byY[b].h;
      if (q.pos - p.pos > 400) break;
      const width = Math.max(p.to - p.from, q.to - q.from);
      const overlap = Math.min(p.to, q.to) - Math.max(p.from, q.from);
      if (
        overlap >= 0.9 * width ||
        (overlap > 0 && q.to - q.from < p.to - p.from && overlap >= 0.9 * (q.to - q.from) && hasPartner(byY, b, q))
      ) {
        union(byY[a].i, byY[b].i);
        break;
      }
    }
  }
  const groups = new Map<number, { h: Rule[]; v: Rule[] }>();
  horizontal.forEach((h, i) => {
    const g = groups.get(find(i)) ?? { h: [], v: [] };
    g.h.push(h);
    groups.set(find(i), g);
  });
  vertical.forEach((v, j) => {
    const k = find(horizontal.length + j);
    const g = groups.get(k) ?? { h: [], v: [] };
    g.v.push(v);
    groups.set(k, g);
  });
  const out: Region[] = [];
  for (const g of groups.values()) {
    if (g.h.length + g.v.length < 2) continue;
    const xs = [...g.h.flatMap((r) => [r.from, r.to]), ...g.v.map((r) => r.pos)];
    const ys = [...g.v.flatMap((r) => [r.from, r.to]), ...g.h.map((r) => r.pos)];
    const region = {
      x0: Math.min(...xs),
      x1: Math.max(...xs),
      top: Math.min(...ys),
      bottom: Math.max(...ys),
      h: g.h,
      v: g.v,
    };
    if (region.x1 - region.x0 < 20 || region.bottom - region.top < 8) continue;
    out.push(region);
  }
  return mergeOverlapping(out).sort((a, b) => a.top - b.top);
}

/**
 * A booktabs table taller than the stacking reach of its rules (a long body between a ruled header and a ruled
 * totals strip, as statistical tables print "ALL STATES" or "Total" between the last two rules): two regions of
 * horizontal rules only, of the same width, with nothing between them but table rows (lines of two or more cell
 * fragments, mostly figures) are one table. Prose between them (two tables on one page) keeps them apart.
 */
function joinStrips(regions: Region[], runs: Run[]): Region[] {
  const out = [...regions];
  for (let i = 0; i + 1 < out.length; i++) {
    const a = out[i];
    const b = out[i + 1];
    if (a.v.length || b.v.length || Math.abs(a.x0 - b.x0) > 3 * TOL || Math.abs(a.x1 - b.x1) > 3 * TOL) continue;
    if (b.top <= a.bottom) continue;
    const between = runs.filter(
      (r) => centreY(r) > a.bottom + TOL && centreY(r) < b.top - TOL && centreX(r) > a.x0 && centreX(r) < a.x1,
    );
    const bands = bandsOf(between);
    if (bands.length < 2 || !bands.every((band) => fragments(band.runs).length >= 2)) continue;
    if (numericShare(between) < 0.5) continue;
    // Nothing outside the table's width on those lines either (a table beside a text column is no strip).
    const beside = runs.some(
      (r) => centreY(r) > a.bottom + TOL && centreY(r) < b.top - TOL && (r.x1 < a.x0 - TOL || r.x0 > a.x1 + TOL),
    );
    if (beside) continue;
    out.splice(i, 2, {
      x0: Math.min(a.x0, b.x0),
      x1: Math.max(a.x1, b.x1),
      top: a.top,
      bottom: b.bottom,
      h: [...a.h, ...b.h],
      v: [],
    });
    i--;
  }
  return out;
}

/** Regions whose boxes overlap are one table (a shaded row inside a ruled frame, rules under a header). */
function mergeOverlapping(regions: Region[]): Region[] {
  const out = [...regions];
  for (let changed = true; changed;) {
    changed = false;
    for (let i = 0; i < out.length && !changed; i++) {
      for (let j = i + 1; j < out.length && !changed; j++) {
        const a = out[i];
        const b = out[j];
        if (a.x0 < b.x1 - TOL && b.x0 < a.x1 - TOL && a.top < b.bottom - TOL && b.top < a.bottom - TOL) {
          out[i] = {
            x0: Math.min(a.x0, b.x0),
            x1: Math.max(a.x1, b.x1),
            top: Math.min(a.top, b.top),
            bottom: Math.max(a.bottom, b.bottom),
            h: [...a.h, ...b.h],
            v: [...a.v, ...b.v],
          };
          out.splice(j, 1);
          changed = true;
        }
      }
    }
  }
  return out;
}

interface Box {
  x0: number;
  x1: number;
  top: number;
  bottom: number;
}

/** Rules closer than this are one rule when finding frames: boxes a hairline apart stay two boxes. */
const FRAME_TOL = 0.5;

/**
 * Closed frames: a top and a bottom rule of the same extent joined at both ends by side rules. Found on the
 * rules as drawn (only touching pieces joined), so panels set a hairline apart are separate frames, while the
 * merged rules used for grids would fuse their edges into one.
 */
function framedBoxes(segments: Segment[]): Box[] {
  const h = mergeRules(
    segments.filter((s) => s.y0 === s.y1).map((s) => ({ pos: s.y0, from: s.x0, to: s.x1 })),
    FRAME_TOL,
  );
  const v = mergeRules(
    segments.filter((s) => s.x0 === s.x1 && s.y0 !== s.y1).map((s) => ({ pos: s.x0, from: s.y0, to: s.y1 })),
    FRAME_TOL,
  );
  const boxes: Box[] = [];
  if (h.length * v.length > 250_000) return boxes; // a drawing, not a page of frames
  const near = (a: number, b: number) => Math.abs(a - b) <= TOL;
  for (const left of v) {
    const tops = h.filter((t) => near(t.pos, left.from) && near(t.from, left.pos));
    if (!tops.length) continue;
    const bottoms = h.filter((b) => near(b.pos, left.to) && near(b.from, left.pos));
    for (const t of tops) {
      for (const b of bottoms) {
        if (!near(t.to, b.to) || t.to - t.from < 20) continue;
        if (!v.some((r) => r !== left && near(r.pos, t.to) && near(r.from, t.pos) && near(r.to, b.pos))) continue;
        const box = { x0: left.pos, x1: t.to, top: t.pos, bottom: b.pos };
        // One frame drawn twice (a fill and a stroke, an outline over a shade) is one frame.
        if (
          !boxes.some(
            (o) => near(o.x0, box.x0) && near(o.x1, box.x1) && near(o.top, box.top) && near(o.bottom, box.bottom),
          )
        )
          boxes.push(box);
      }
    }
  }
  return boxes;
}

const boxHolds = (outer: Box, inner: Box) =>
  inner.x0 >= outer.x0 - TOL &&
  inner.x1 <= outer.x1 + TOL &&
  inner.top >= outer.top - TOL &&
  inner.bottom <= outer.bottom + TOL;

/**
 * A region that is really framed text: two or more separate frames (panels, call-outs, cards) that hold all its
 * text, each frame one column of text with no column rule inside, and most of them paragraphs of sentences.
 * Their rules meet or stack like a grid's, but a table's cells are short and line up in columns across rows;
 * these hold prose. A table drawn as one frame per cell keeps short cells and so stays a table.
 */
function framedText(region: Region, boxes: Box[], runs: Run[]): boolean {
  const within = boxes.filter((b) => boxHolds(region, b));
  const outer = within.filter((b) => !within.some((o) => o !== b && boxHolds(o, b) && !boxHolds(b, o)));
  if (outer.length < 2) return false;
  const held = outer.map((b) => runs.filter((r) => centreIn(r, b)));
  if (runs.some((r) => !held.some((rs) => rs.includes(r)))) return false;
  let texts = 0;
  let prose = 0;
  for (const [k, box] of outer.entries()) {
    if (!held[k].length) continue;
    texts++;
    const height = box.bottom - box.top;
    const columnRule = region.v.some(
      (r) =>
        r.pos > box.x0 + 3 * TOL &&
        r.pos < box.x1 - 3 * TOL &&
        r.from < box.bottom &&
        r.to > box.top &&
        Math.min(r.to, box.bottom) - Math.max(r.from, box.top) >= 0.4 * height,
    );
    const bands = bandsOf(held[k]).map((b) => b.runs);
    if (columnRule || (textColumns(bands)?.length ?? 0) >= 2) return false;
    if (
      bands.length >= 2 &&
      bands.some((b) => {
        const f = fragments(b);
        return f.length === 1 && f[0].words >= 6;
      })
    )
      prose++;
  }
  return texts >= 2 && 2 * prose >= texts;
}

/** A shorter (mid) rule only links to a wider one when some rule of its own width continues below. */
function hasPartner(byY: { h: Rule }[], from: number, q: Rule): boolean {
  return byY.slice(from + 1).some(({ h }) => Math.abs(h.from - q.from) < 3 * TOL || Math.abs(h.to - q.to) < 3 * TOL);
}

/** Distinct positions of rules (clustered), sorted. */
function positions(values: number[]): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  const out: number[] = [];
  for (const v of sorted) {
    if (out.length && v - out[out.length - 1] <= TOL * 1.5) continue;
    out.push(v);
  }
  return out;
}

/** Fraction of [from, to] covered by rules at `pos`. */
function coverage(rules: Rule[], pos: number, from: number, to: number): number {
  const span = to - from;
  if (span <= 0) return 1;
  const pieces = rules
    .filter((r) => Math.abs(r.pos - pos) <= TOL * 1.5)
    .map((r) => [Math.max(from, r.from), Math.min(to, r.to)] as const)
    .filter(([a, b]) => b > a)
    .sort((a, b) => a[0] - b[0]);
  let covered = 0;
  let end = from;
  for (const [a, b] of pieces) {
    const s = Math.max(a, end);
    if (b > s) {
      covered += b - s;
      end = b;
    }
  }
  return covered / span;
}

interface Band {
  y: number;
  size: number;
  runs: Run[];
}

/**
 * Runs grouped by baseline. A run set clearly smaller than its neighbour band may sit further off its baseline
 * (a superscript or subscript: up to 60% of the larger size) and still belongs to it; the band keeps the
 * baseline of its largest text.
 */
function bandsOf(runs: Run[]): Band[] {
  const bands: Band[] = [];
  for (const r of [...runs].sort((a, b) => a.y - b.y || a.x0 - b.x0)) {
    const last = bands[bands.length - 1];
    const big = last && Math.max(r.size, last.size);
    const mixed = last && Math.min(r.size, last.size) <= 0.85 * big;
    if (last && Math.abs(r.y - last.y) <= (mixed ? 0.6 : 0.4) * big) {
      last.runs.push(r);
      if (r.size > last.size) last.y = r.y;
      last.size = Math.max(last.size, r.size);
    } else {
      bands.push({ y: r.y, size: r.size, runs: [r] });
    }
  }
  for (const b of bands) b.runs.sort((a, c) => a.x0 - c.x0);
  return bands;
}

const numericShare = (runs: Run[]) =>
  runs.length ? runs.filter((r) => FIGURE.test(r.text.replace(/[$€£¥]/g, ''))).length / runs.length : 0;
const RTL_ALL = new RegExp(RTL.source, 'gu');
const rightToLeft = (runs: Run[]) => {
  const text = runs.map((r) => r.text).join('');
  return (text.match(RTL_ALL)?.length ?? 0) > (text.match(/\p{L}/gu)?.length ?? 0) / 2;
};

/**
 * Runs grouped into text lines as a cell's text is (superscripts and subscripts kept on their line), top-down,
 * each line's runs left to right: for text taken out of a table (its notes) to be laid out as lines.
 */
export function cellLines(runs: Run[]): Run[][] {
  return bandsOf(runs).map((b) => b.runs);
}

/** Text of runs in reading order: bands top-down, runs left to right, spaces restored from gaps. */
export function runsText(runs: Run[]): string {
  let out = '';
  for (const band of bandsOf(runs)) {
    let line = '';
    let prev: Run | undefined;
    let base: Run | undefined; // the last run on the band's own baseline
    for (const r of rightToLeft(band.runs) ? [...band.runs].reverse() : band.runs) {
      const gap = prev ? Math.max(r.x0 - prev.x1, prev.x0 - r.x1) : 0;
      // Raised or lowered text right after a run (a footnote mark on a figure) stays apart from it, marked.
      const script = base && gap < 0.4 * base.size ? scriptOf(r, base) : undefined;
      if (prev && !script && (r.spaceBefore || gap > 0.15 * Math.min(r.size, prev.size)) && !line.endsWith(' '))
        line += ' ';
      line += script ? markScript(r.text.trim(), script) + (/\s$/.test(r.text) ? ' ' : '') : r.text;
      prev = r;
      if (!script) base = r;
    }
    line = line.trim();
    if (!line) continue;
    if (/\p{L}-$/u.test(out) && /^\p{Ll}/u.test(line)) out = out.slice(0, -1) + line;
    // A line broken after a slash between words ("Incomplete/" over "Terminated") runs on without a space: a
    // slash is a break opportunity inside a word group (UAX #14, class SY), not a word space.
    else if (/\p{L}\/$/u.test(out) && /^\p{L}/u.test(line)) out += line;
    else out = out ? `${out} ${line}` : line;
  }
  return out.replace(/\s+/g, ' ').trim();
}

/**
 * A column header set just above a table's top rule ("Year Ended" over the date columns of a financial
 * statement, with the dates between the rules): the one or two text lines right above the top rule, close to
 * it, short, entirely within the table's width, and not starting at its left edge (that is a caption or a
 * heading). They become header rows, placed in the columns their text or the rule under them covers.
 */
function headerAbove(region: Region, free: Run[], inside: Run[]): Run[] {
  if (!inside.length) return [];
  const size = [...inside].map((r) => r.size).sort((a, b) => a - b)[Math.floor(inside.length / 2)];
  const leftEdge = Math.min(...inside.map((r) => r.x0));
  const taken: Run[] = [];
  let edge = region.top;
  const bands = bandsOf(
    free.filter((r) => centreY(r) < region.top - TOL && centreY(r) > region.top - 4 * size),
  ).reverse();
  for (const band of bands.slice(0, 2)) {
    if (edge - band.y > 1.6 * band.size) break; // not right above
    const sameBaseline = free.filter((r) => Math.abs(r.y - band.y) <= 0.4 * band.size);
    const within = sameBaseline.every((r) => r.x0 >= region.x0 - TOL && r.x1 <= region.x1 + TOL);
    const text = band.runs.map((r) => r.text).join(' ');
    const words = text.split(/\s+/).filter(Boolean).length;
    if (!within || words > 6 || FIGURE.test(text) || band.runs[0].x0 <= leftEdge + 2 * band.size) break;
    // A line that is one parenthesised phrase ("(As at end-March)", "(in millions)") qualifies the whole table
    // (its date, its unit): part of the caption, not a column's label.
    if (QUALIFIER.test(runsText(band.runs))) break;
    if (Math.abs(band.size - size) > 0.25 * size) break;
    taken.push(...band.runs);
    edge = band.y - band.size;
  }
  return taken;
}

const QUALIFIER = /^\([^()]*\)$/u;

/**
 * Header lines above the top rule as grid rows. A line whose text is underlined by a rule shorter than the table
 * (a group label over the columns it names) goes in every column under that rule, as a spanning cell is read;
 * otherwise each piece goes in the column holding its centre.
 */
function headerRows(header: Run[], xs: number[], topRules: Rule[]): string[][] {
  const nCols = xs.length - 1;
  return bandsOf(header).map((band) => {
    const cells: Run[][] = Array.from({ length: nCols }, () => []);
    const x0 = Math.min(...band.runs.map((r) => r.x0));
    const x1 = Math.max(...band.runs.map((r) => r.x1));
    const under = topRules.filter((r) => r.from < x1 && r.to > x0);
    const from = Math.min(...under.map((r) => r.from));
    const to = Math.max(...under.map((r) => r.to));
    const spanned =
      under.length && to - from < xs[nCols] - xs[0] - 3 * TOL
        ? Array.from({ length: nCols }, (_, c) => c).filter(
            (c) => (xs[c] + xs[c + 1]) / 2 > from && (xs[c] + xs[c + 1]) / 2 < to,
          )
        : [];
    if (spanned.length) {
      const text = runsText(band.runs);
      return Array.from({ length: nCols }, (_, c) => (spanned.includes(c) ? text : ''));
    }
    for (const r of band.runs) {
      const x = centreX(r);
      let c = 0;
      while (c < nCols - 1 && x >= xs[c + 1]) c++;
      cells[c].push(r);
    }
    return cells.map(runsText);
  });
}

/** Longest spanning label repeated over the positions it spans. */
const SPAN_REPEAT_WORDS = 6;

/**
 * Whether the text on the two sides of a missing rule is one cell's text: one side is empty, or every text
 * line present on both sides runs on across the boundary (a label wider than its column), never a separate
 * piece with a gap wider than a word space before it.
 */
function oneText(left: Run[], right: Run[]): boolean {
  if (!left.length || !right.length) return true;
  const lb = bandsOf(left);
  const rb = bandsOf(right);
  if (lb.length !== rb.length) return false;
  return lb.every((band, i) => {
    const other = rb[i];
    if (Math.abs(other.y - band.y) > 0.4 * Math.max(band.size, other.size)) return false;
    const gap = Math.min(...other.runs.map((r) => r.x0)) - Math.max(...band.runs.map((r) => r.x1));
    return gap < 0.6 * Math.max(band.size, other.size);
  });
}

/** A cell's text; a dot leader running out to the figures beside it ("Any Injury ........") is no content. */
function cellText(runs: Run[]): string {
  return withoutLeadingLeader(withoutTrailingLeader(runsText(runs)));
}

function buildTable(region: Region, runs: Run[], header: Run[] = []): { region: TableRegion; runs: Run[] } | undefined {
  if (runs.length < 2) return undefined;
  const ys = positions(region.h.map((r) => r.pos));
  const innerV = positions(region.v.map((r) => r.pos));
  // Columns are ruled when some vertical rule inside the frame runs down a good part of the table; a frame
  // alone (or a shaded band's sides) leaves the columns to the text.
  const height = region.bottom - region.top;
  const ruledColumns = region.v.some(
    (r) => r.pos > region.x0 + 3 * TOL && r.pos < region.x1 - 3 * TOL && r.to - r.from >= 0.4 * height,
  );
  // Column boundaries: vertical rules, or gaps in the text.
  let xs: number[];
  if (ruledColumns) {
    xs = innerV;
    if (xs[0] > region.x0 + 3 * TOL) xs.unshift(region.x0);
    if (xs[xs.length - 1] < region.x1 - 3 * TOL) xs.push(region.x1);
  } else {
    const cols = textColumns(bandsOf(runs).map((b) => b.runs));
    if (!cols || cols.length < 2) return undefined;
    // Two text columns inside a frame are as often a form (label, value) as a table: ask for a column of figures.
    if (
      cols.length === 2 &&
      !cols.some((c) => numericShare(runs.filter((r) => centreX(r) >= c.x0 - 1 && centreX(r) <= c.x1 + 1)) > 0.6)
    )
      return undefined;
    xs = [
      Math.min(region.x0, cols[0].x0) - 1,
      ...cols.slice(1).map((c, i) => (cols[i].x1 + c.x0) / 2),
      Math.max(region.x1, cols[cols.length - 1].x1) + 1,
    ];
  }
  // A ruled grid ends at its first and last rules; text beyond them is not part of it.
  if (ruledColumns && ys.length >= 2) {
    runs = runs.filter((r) => centreY(r) > ys[0] - TOL && centreY(r) < ys[ys.length - 1] + TOL);
    if (runs.length < 2) return undefined;
  }
  // Row boundaries: horizontal rules, plus the top and bottom of the text when rules do not close the table.
  const textTop = Math.min(...runs.map((r) => r.y - r.size));
  const textBottom = Math.max(...runs.map((r) => r.y + 0.3 * r.size));
  const rowEdges = [...ys];
  if (!rowEdges.length || rowEdges[0] > textTop + TOL) rowEdges.unshift(Math.min(region.top, textTop) - 1);
  if (rowEdges[rowEdges.length - 1] < textBottom - TOL) rowEdges.push(Math.max(region.bottom, textBottom) + 1);
  const nCols = xs.length - 1;
  const colOf = (r: Run) => {
    const x = centreX(r);
    for (let c = 0; c < nCols; c++) if (x < xs[c + 1]) return c;
    return nCols - 1;
  };
  // A group label in a ruled header: the rules between its sub-columns start below it, inside the same ruled
  // row ("Pre-Pawn" over "Handgun | Long Gun | *Other", the inner rules drawn from under the label down). At the
  // label's height those sub-columns are one cell, so the label names each of them: it goes in every column
  // between the nearest rules that do reach it, as a spanning cell is read. A rule missing over the whole row
  // is left to the spanning-cell merge below; this only reads rules that stop partway into the row.
  const spannedColumns = (r: Run, top: number, bottom: number): number[] => {
    const c = colOf(r);
    if (!ruledColumns || FIGURE.test(r.text) || r.text.split(/\s+/).length > SPAN_REPEAT_WORDS) return [c];
    const y = centreY(r);
    const open = (k: number) =>
      !region.v.some((v) => Math.abs(v.pos - xs[k]) <= 1.5 * TOL && v.from <= y && v.to >= y) &&
      coverage(region.v, xs[k], top, bottom) > 0.2;
    let a = c;
    let b = c;
    while (a > 0 && open(a)) a--;
    while (b < nCols - 1 && open(b + 1)) b++;
    return Array.from({ length: b - a + 1 }, (_, i) => a + i);
  };
  // Rows: the runs between two horizontal rules; split into text lines when each line fills many columns
  // (rules only around the header, or no horizontal rules between body rows).
  const firstColumnX = Math.min(...runs.filter((r) => colOf(r) === 0).map((r) => r.x0));
  const bodySize = [...runs].map((r) => r.size).sort((p, q) => p - q)[Math.floor(runs.length / 2)];
  interface RowSpec {
    top: number;
    bottom: number;
    cells: Run[][];
    ruledBelow: boolean[];
    interval: number;
  }
  // A line with nothing in the row-label column, whose every cell is words (no bare figure) under a cell of the
  // line above, is those cells' text wrapped onto a second line ("2=" over "(3 to 6)+14" in a column-number row):
  // it continues that row rather than starting one.
  const wrapsAbove = (b: Band, above: Band | undefined): boolean => {
    if (!above) return false;
    const aboveCols = new Set(above.runs.map(colOf));
    const texts = new Map<number, string>();
    for (const r of b.runs) texts.set(colOf(r), `${texts.get(colOf(r)) ?? ''} ${r.text}`.trim());
    return !texts.has(0) && [...texts].every(([c, t]) => aboveCols.has(c) && !FIGURE.test(t));
  };
  const rows: RowSpec[] = [];
  for (let k = 0; k + 1 < rowEdges.length; k++) {
    const top = rowEdges[k];
    const bottom = rowEdges[k + 1];
    const inRow = runs.filter((r) => centreY(r) >= top && centreY(r) < bottom);
    if (!inRow.length) continue;
    const bands = bandsOf(inRow);
    const filled = (b: Band) => new Set(b.runs.map(colOf)).size;
    // The first ruled interval of several, without figures, is the header: its lines are wrapped labels
    // ("Total / Internal / Debt"), each column's label one cell, however many columns each line fills.
    const header =
      k === 0 &&
      ys.length >= 3 &&
      rowEdges[0] === ys[0] &&
      numericShare(inRow) < 0.2 &&
      runs.some((r) => centreY(r) >= rowEdges[1] + TOL);
    const split =
      !header &&
      bands.length > 1 &&
      (ruledColumns
        ? bands.every((b) => filled(b) >= Math.max(2, nCols / 2))
        : bands.filter((b) => filled(b) >= 2).length >= bands.length / 2);
    const groups: Run[][] = [];
    let prevBand: Band | undefined;
    if (split) {
      for (const b of bands) {
        // In a table without vertical rules, a line with text in one column only continues the row above
        // (a wrapped cell), unless it is in the first column (a new row label).
        // A line only in the first column continues the row above when it is indented or set smaller.
        const prev = groups[groups.length - 1];
        const continues =
          filled(b) === 1 &&
          (colOf(b.runs[0]) !== 0 || b.runs[0].x0 > firstColumnX + 0.8 * b.size || b.size < 0.9 * bodySize);
        if (!ruledColumns && prev && (continues || wrapsAbove(b, prevBand))) prev.push(...b.runs);
        else groups.push([...b.runs]);
        prevBand = b;
      }
    } else {
      groups.push(inRow);
    }
    groups.forEach((g, gi) => {
      const cells: Run[][] = Array.from({ length: nCols }, () => []);
      for (const r of g) for (const c of spannedColumns(r, top, bottom)) cells[c].push(r);
      const last = gi === groups.length - 1;
      rows.push({
        top,
        bottom,
        cells,
        interval: k,
        ruledBelow: cells.map((_, c) => last && coverage(region.h, bottom, xs[c] + 1, xs[c + 1] - 1) > 0.5),
      });
    });
  }
  if (rows.length < 2) return undefined;
  // A title bar: the first ruled row crossed by no inner vertical rule, holding words rather than figures, over
  // a ruled grid ("Monthly Checks / November 2015" boxed across the top of the table). It is
  // the table's caption: its text leaves the grid and is read as lines above the table.
  let caption: Run[] = [];
  if (
    ruledColumns &&
    !header.length &&
    rows[0].interval !== rows[1].interval &&
    !xs.slice(1, -1).some((x) => coverage(region.v, x, rows[0].top + 1, rows[0].bottom - 1) > 0.2) &&
    rows.slice(1).some((row) => xs.slice(1, -1).some((x) => coverage(region.v, x, row.top + 1, row.bottom - 1) > 0.5))
  ) {
    const first = [...new Set(rows[0].cells.flat())];
    if (numericShare(first) < 0.5 && bandsOf(first).length <= 3) {
      caption = first;
      rows.shift();
      runs = runs.filter((r) => !caption.includes(r));
    }
  }
  // Notes set inside a table's frame under its last row ("14 Any anaemia below 11g/dl …", "Source: …"): the
  // column rules end above them, so they are no row of the grid. Each is read as a paragraph after the table
  // (its runs stay taken from the text flow, so nothing reads them twice).
  const { notes, from } = ruledColumns ? trailingNotes(rows, xs, region.v) : { notes: [], from: rows.length };
  rows.splice(from);
  // Spanning cells: where the rule between two grid positions is missing, they are one cell, unless both
  // positions hold text of their own: then the missing rule only means the table draws no rules there (rows
  // told apart by their text lines, shading on some columns only), and merging would pour many cells into one.
  const nRows = rows.length;
  const parent = Array.from({ length: nRows * nCols }, (_, i) => i);
  const held = new Map<number, Run[]>();
  for (let r = 0; r < nRows; r++) for (let c = 0; c < nCols; c++) held.set(r * nCols + c, rows[r].cells[c]);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const union = (a: number, b: number) => {
    const [ra, rb] = [find(a), find(b)];
    if (ra === rb) return;
    parent[ra] = rb;
    held.set(rb, [...new Set([...held.get(rb)!, ...held.get(ra)!])]);
    held.delete(ra);
  };
  if (ruledColumns) {
    for (let r = 0; r < nRows; r++) {
      // A row crossed by no vertical rule at all (an unshaded row between shaded ones) says nothing about spans.
      const inner = xs.slice(1, -1).some((x) => coverage(region.v, x, rows[r].top + 1, rows[r].bottom - 1) > 0.5);
      if (!inner) continue;
      for (let c = 0; c + 1 < nCols; c++) {
        if (
          coverage(region.v, xs[c + 1], rows[r].top + 1, rows[r].bottom - 1) < 0.5 &&
          oneText(held.get(find(r * nCols + c))!, rows[r].cells[c + 1])
        )
          union(r * nCols + c, r * nCols + c + 1);
      }
    }
    for (let r = 0; r + 1 < nRows; r++) {
      if (rows[r].interval === rows[r + 1].interval) continue; // split text lines of one ruled row stay apart
      // A cell runs on down into the next row only where the rule between the two rows is drawn under some
      // other cell with text on both sides: a rule drawn only under empty or shaded columns separates nothing.
      const ruledBetween = rows[r].ruledBelow.some(
        (ruled, c) => ruled && rows[r].cells[c].length && rows[r + 1].cells[c].length,
      );
      if (!ruledBetween) continue;
      for (let c = 0; c < nCols; c++) if (!rows[r].ruledBelow[c]) union(r * nCols + c, (r + 1) * nCols + c);
    }
  }
  const groupText = new Map<number, string>();
  const firstPosition = new Map<number, number>();
  for (let i = 0; i < nRows * nCols; i++) if (!firstPosition.has(find(i))) firstPosition.set(find(i), i);
  for (const [k, rs] of held) groupText.set(k, cellText(rs));
  // A spanning label is read in every position it covers ("Sales" over "2023 | 2024"); longer text stays in
  // its first position only, so a missed rule can never multiply a page's text.
  const textAt = (i: number) => {
    const k = find(i);
    const t = groupText.get(k) ?? '';
    return firstPosition.get(k) === i || t.split(/\s+/).length <= SPAN_REPEAT_WORDS ? t : '';
  };
  let grid = rows.map((_, r) => Array.from({ length: nCols }, (_, c) => textAt(r * nCols + c)));
  // A column whose only text is spanning labels repeated from its neighbour (a sliver between doubled rules)
  // has nothing of its own.
  const ownText = Array.from({ length: nCols }, (_, c) =>
    rows.some((_, r) => grid[r][c] && firstPosition.get(find(r * nCols + c)) === r * nCols + c),
  );
  grid = grid.map((row) => row.map((t, c) => (ownText[c] ? t : '')));
  if (header.length) {
    grid.unshift(
      ...headerRows(
        header,
        xs,
        region.h.filter((r) => ys.length && Math.abs(r.pos - ys[0]) <= 1.5 * TOL),
      ),
    );
    runs = [...runs, ...header];
  }
  // Empty rows and columns (between doubled rules, margins inside the frame) go.
  // Currency symbols set in a column of their own belong to the figures beside them.
  grid = grid.map((row) => row.map((c) => (CURRENCY.test(c) ? '' : c)));
  // Which drawn cell each position belongs to (a merged cell, or one label placed over the columns it spans),
  // kept beside the grid so the header rows can be read by their structure. Lines above the grid are their own.
  let cellIds = [
    ...grid.slice(0, grid.length - nRows).map((row, r) => row.map((_, c) => -1 - (r * nCols + c))),
    ...rows.map((row, r) => {
      const ids: number[] = [];
      for (let c = 0; c < nCols; c++) {
        const same = c > 0 && row.cells[c].length > 0 && sameRuns(row.cells[c], row.cells[c - 1]);
        ids.push(same ? ids[c - 1] : find(r * nCols + c));
      }
      return ids;
    }),
  ];
  const filled = grid.map((row) => row.some(Boolean));
  grid = grid.filter((_, i) => filled[i]);
  cellIds = cellIds.filter((_, i) => filled[i]);
  // A spanning header label over a column of currency signs alone does not keep that column.
  const headerCount = header.length ? bandsOf(header).length : 0;
  const keep = Array.from({ length: nCols }, (_, c) =>
    grid.some((row, i) => row[c] && (i >= headerCount || !grid.slice(headerCount).length)),
  );
  grid = grid.map((row) => row.filter((_, c) => keep[c]));
  cellIds = cellIds.map((row) => row.filter((_, c) => keep[c]));
  // GFM has one header row: a group row over a column header that repeats its labels is read into it.
  if (!header.length) grid = withGroupRowJoined(grid, cellIds);
  // Columns that only ever repeat their left neighbour (a span across a rule-less gap) collapse.
  if (grid.length < 2 || grid[0].length < 2) return undefined;
  const cellsWithText = grid.flat().filter(Boolean).length;
  if (cellsWithText < 4) return undefined;
  // A framed paragraph or a two-column text box is not a table: cells must be short on average.
  const words = grid
    .flat()
    .filter(Boolean)
    .map((t) => t.split(/\s+/).length);
  if (!ruledColumns && words.reduce((a, b) => a + b, 0) / words.length > 12) return undefined;
  // Right-to-left tables read from the rightmost column.
  if (rightToLeft(runs)) for (const row of grid) row.reverse();
  else {
    // Boundaries of the kept columns (a dropped empty column's space goes to its left neighbour).
    const kept = keep.flatMap((k, c) => (k ? [c] : []));
    recordColumns(grid, [...kept.map((c) => xs[c]), xs[kept[kept.length - 1] + 1]]);
  }
  const top = caption.length
    ? Math.max(...caption.map((r) => r.y + 0.3 * r.size))
    : Math.min(region.top, textTop, ...header.map((r) => r.y - r.size));
  return {
    region: {
      rows: grid,
      x0: region.x0,
      x1: region.x1,
      top,
      // The notes under the grid start below the table's end.
      bottom: notes.length ? Math.min(...notes.flat().map((r) => r.y - r.size)) : Math.max(region.bottom, textBottom),
      ...(notes.length ? { notes } : {}),
    },
    runs,
  };
}

const sameRuns = (a: Run[], b: Run[]) => a.length === b.length && a.every((r) => b.includes(r));

/**
 * The notes at the foot of a ruled grid, each note's runs, top-down (empty when none), and the index of the
 * first row they take. A note row holds text in
 * one column only, no inner column rule crosses its text, and it lies below the last row that a column rule does
 * cross: the grid's columns end above it (a footnote or source line set across the frame's width). Rows between
 * shaded ones that carry no rules are never at the foot, so stay rows. Note rows with no rule drawn between them
 * under their text are one note (its lines wrapped); a rule between them separates two notes.
 */
function trailingNotes(
  rows: { cells: Run[][]; ruledBelow: boolean[] }[],
  xs: number[],
  vertical: Rule[],
): { notes: Run[][]; from: number } {
  const inner = xs.slice(1, -1);
  const crossed = (cells: Run[][]) => {
    const rs = cells.flat();
    if (!rs.length) return false;
    const top = Math.min(...rs.map((r) => r.y - 0.8 * r.size));
    const bottom = Math.max(...rs.map((r) => r.y));
    return inner.some((x) => coverage(vertical, x, top, bottom) > 0.5);
  };
  let first = rows.length;
  while (first > 1) {
    const { cells } = rows[first - 1];
    if (cells.filter((c) => c.length).length !== 1 || crossed(cells)) break;
    first--;
  }
  // The grid must keep a crossed row right above the notes (and rows of its own).
  if (first === rows.length || first < 2 || !crossed(rows[first - 1].cells)) return { notes: [], from: rows.length };
  const notes: Run[][] = [];
  for (let k = first; k < rows.length; k++) {
    const column = rows[k].cells.findIndex((c) => c.length);
    const joined = k > first && !rows[k - 1].ruledBelow[column];
    if (joined) notes[notes.length - 1].push(...rows[k].cells[column]);
    else notes.push([...rows[k].cells[column]]);
  }
  return { notes, from: first };
}
