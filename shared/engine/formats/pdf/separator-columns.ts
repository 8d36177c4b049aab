/**
 * Separator columns: a court case caption sets the parties on the left and the docket number on the right,
 * with a column of lone colons between them, one per line (the typewriter form of a brace):
 *
 *     MICHAEL A. KNOWLES,        :
 *     WARDEN,                    :
 *       Petitioner               :
 *           v.                   :   No. 07-1315
 *     ALEXANDRE MIRZAYANCE.      :
 *
 * Left among the runs, the colons end every line of the left side ("WARDEN, :") and split the caption into
 * one-line paragraphs or table cells. They are punctuation of the layout, not of the text, and are taken out
 * before lines are built, so the left side reads as one paragraph and the right side apart from it.
 */
import type { Run } from './text-items.ts';

/** A separator column spans at least this many lines. */
const MIN_LINES = 3;
/** Glyphs that typewriter layouts stack into a column between two sides. */
const SEPARATOR = /^[:|§)]$/u;

/**
 * The runs without separator columns. A separator column: runs of one separator glyph alone, of one kind, at
 * the same x (within a fifth of the font size), on `MIN_LINES` or more baselines at most three line pitches
 * apart, each with text to its left on the same baseline, text to its right on at most half of them, and
 * nothing but such glyphs in the column's x-range between its first and last line (a column of a table's cells
 * would hold other text too).
 */
export function withoutSeparatorColumns(runs: Run[]): Run[] {
  const candidates = runs.filter((r) => SEPARATOR.test(r.text.trim()));
  if (candidates.length < MIN_LINES) return runs;
  const drop = new Set<Run>();
  const captions: Caption[] = [];
  const sorted = [...candidates].sort((a, b) => a.x0 - b.x0 || a.y - b.y);
  const used = new Set<Run>();
  for (const seed of sorted) {
    if (used.has(seed)) continue;
    const column = sorted
      .filter((r) => !used.has(r) && r.text.trim() === seed.text.trim() && Math.abs(r.x0 - seed.x0) <= 0.2 * seed.size)
      .sort((a, b) => a.y - b.y);
    for (const r of column) used.add(r);
    for (const group of consecutive(column)) {
      if (group.length < MIN_LINES) continue;
      const top = group[0].y - group[0].size;
      const bottom = group[group.length - 1].y;
      const x0 = Math.min(...group.map((r) => r.x0));
      const x1 = Math.max(...group.map((r) => r.x1));
      const other = runs.some(
        (r) => !group.includes(r) && r.y >= top && r.y <= bottom + 0.1 * r.size && r.x0 < x1 && r.x1 > x0,
      );
      const withLeft = group.every((g) =>
        runs.some((r) => r !== g && Math.abs(r.y - g.y) <= 0.3 * g.size && r.x1 <= g.x0 && r.text.trim()),
      );
      // A caption's right side holds the docket number on one or two lines; a form's colons have a value on
      // every line ("Start : 9.00"), and there they are text.
      const withRight = group.filter((g) =>
        runs.some((r) => r !== g && Math.abs(r.y - g.y) <= 0.3 * g.size && r.x0 >= g.x1 && r.text.trim()),
      ).length;
      if (other || !withLeft || withRight > group.length / 2) continue;
      for (const r of group) drop.add(r);
      captions.push({ top, bottom: bottom + 0.3 * group[0].size, x: x0, size: group[0].size });
    }
  }
  if (!drop.size) return runs;
  let out = runs.filter((r) => !drop.has(r));
  for (const c of captions) out = joinLeftSide(out, c);
  return out;
}

interface Caption {
  top: number;
  bottom: number;
  /** Left edge of the separator column. */
  x: number;
  size: number;
}

/** A typewriter rule: dashes (or underscores, equals signs) spaced out, perhaps closed by an "x" corner. */
const TYPEWRITER_RULE = /^(?:[-_=]\s?){8,}x?$/u;

/**
 * The caption's left side as one run: its lines are centred or indented one by one ("Petitioner", "v."), so
 * read apart they would fall into one-line paragraphs; they are one party statement. The typewriter rules
 * that box the caption (a line of spaced dashes ending in an "x" at the column) go with the column.
 */
function joinLeftSide(runs: Run[], c: Caption): Run[] {
  const left = runs
    .filter((r) => r.y >= c.top && r.y <= c.bottom && r.x1 <= c.x)
    .sort((a, b) => a.y - b.y || a.x0 - b.x0);
  const rules = runs.filter(
    (r) =>
      TYPEWRITER_RULE.test(r.text.trim()) &&
      Math.abs(r.x1 - (c.x + c.size / 2)) <= 1.5 * c.size &&
      r.y > c.top - 2.5 * c.size &&
      r.y < c.bottom + 2.5 * c.size,
  );
  if (left.length < 2) return runs.filter((r) => !rules.includes(r));
  const joined: Run = {
    ...left[0],
    text: left.map((r) => r.text.trim()).join(' '),
    x0: Math.min(...left.map((r) => r.x0)),
    x1: Math.max(...left.map((r) => r.x1)),
  };
  const gone = new Set<Run>([...left, ...rules]);
  return [...runs.filter((r) => !gone.has(r)), joined];
}

/** The column split where two glyphs are more than three line pitches (of the column's own median) apart. */
function consecutive(column: Run[]): Run[][] {
  if (column.length < 2) return [column];
  const steps = column.slice(1).map((r, i) => r.y - column[i].y);
  const pitch = [...steps].sort((a, b) => a - b)[Math.floor(steps.length / 2)];
  const out: Run[][] = [[column[0]]];
  column.slice(1).forEach((r, i) => {
    if (steps[i] > 3 * Math.max(pitch, r.size)) out.push([r]);
    else out[out.length - 1].push(r);
  });
  return out;
}
