/**
 * Margin line numbers: court transcripts, pleadings, legislative bills and manuscripts under review print a
 * column of consecutive numbers (1, 2, 3, …) in the margin, one per text line, blank lines included. They are
 * not part of the text: left among the runs they become the first cell of every "row" (a table of one-word
 * cells) and glue themselves to the line they number. They are taken out before lines and tables are built.
 */
import type { Run } from './text-items.ts';

/** At least this many numbers in sequence before a column counts as line numbering. */
const MIN_NUMBERS = 5;
const INTEGER = /^\d{1,4}$/;

/**
 * The runs without a margin line-number column, when the page has one; otherwise the runs unchanged.
 *
 * A column of line numbers: bare integers, each the outermost run on its baseline (leftmost, or rightmost for
 * numbering in the right margin), aligned within a few points; read top-down they go up by one at least 80% of
 * the time, at an even step (the page's line pitch); and no other text of the page starts on their side of the
 * column within its height (a margin, not the first column of a table whose header or title starts there). A
 * column of row numbers in a table fails that last test or has text on every numbered line; line numbering
 * also numbers blank lines, so at least one numbered line is otherwise empty, or the column runs to 10 numbers.
 */
export function withoutLineNumbers(runs: Run[]): Run[] {
  const column = lineNumberColumn(runs);
  if (!column.length) return runs;
  const drop = new Set(column);
  return runs.filter((r) => !drop.has(r));
}

/**
 * The runs of the page's margin line-number column, top-down (empty when it has none): what
 * `withoutLineNumbers` takes out, so the completeness check can count it as removed furniture, not as loss.
 */
export function lineNumberColumn(runs: Run[]): Run[] {
  if (runs.length < MIN_NUMBERS) return [];
  for (const side of ['left', 'right'] as const) {
    const column = numberColumn(runs, side);
    if (column) return column;
  }
  return [];
}

function numberColumn(runs: Run[], side: 'left' | 'right'): Run[] | undefined {
  // The outermost run of each baseline, if it is a bare integer set apart from the rest of its line.
  const byBaseline = new Map<number, Run[]>();
  for (const r of runs) {
    const key = Math.round(r.y);
    const near = [key - 1, key, key + 1].find((k) => byBaseline.has(k));
    byBaseline.set(near ?? key, [...(byBaseline.get(near ?? key) ?? []), r]);
  }
  const candidates: { run: Run; alone: boolean }[] = [];
  for (const line of byBaseline.values()) {
    line.sort((a, b) => a.x0 - b.x0);
    const outer = side === 'left' ? line[0] : line[line.length - 1];
    if (!INTEGER.test(outer.text.trim())) continue;
    const next = side === 'left' ? line[1] : line[line.length - 2];
    if (next && (side === 'left' ? next.x0 - outer.x1 : outer.x0 - next.x1) < 1.5 * outer.size) continue;
    candidates.push({ run: outer, alone: !next });
  }
  if (candidates.length < MIN_NUMBERS) return undefined;
  // Aligned: the numbers' edge nearest the text (right edge for a left column) within a few points of the median.
  const edge = (r: Run) => (side === 'left' ? r.x1 : r.x0);
  const edges = candidates.map((c) => edge(c.run)).sort((a, b) => a - b);
  const median = edges[Math.floor(edges.length / 2)];
  const column = candidates
    .filter((c) => Math.abs(edge(c.run) - median) <= 1.5 * c.run.size)
    .sort((a, b) => a.run.y - b.run.y);
  if (column.length < MIN_NUMBERS) return undefined;
  const values = column.map((c) => Number(c.run.text.trim()));
  let consecutive = 0;
  const steps: number[] = [];
  for (let i = 1; i < column.length; i++) {
    if (values[i] === values[i - 1] + 1) {
      consecutive++;
      steps.push(column[i].run.y - column[i - 1].run.y);
    }
  }
  if (consecutive < 0.8 * (column.length - 1)) return undefined;
  steps.sort((a, b) => a - b);
  const pitch = steps[Math.floor(steps.length / 2)];
  if (!(pitch > 0) || steps.filter((s) => Math.abs(s - pitch) <= 0.15 * pitch).length < 0.8 * steps.length)
    return undefined;
  if (!column.some((c) => c.alone) && column.length < 10) return undefined;
  // A margin: nothing else starts beyond the column's inner edge within its height.
  const top = column[0].run.y - 2 * column[0].run.size;
  const bottom = column[column.length - 1].run.y + column[0].run.size;
  const taken = new Set(column.map((c) => c.run));
  const size = column[0].run.size;
  const outside = runs.some(
    (r) =>
      !taken.has(r) &&
      r.y >= top &&
      r.y <= bottom &&
      (side === 'left' ? r.x0 < median + 0.5 * size : r.x1 > median - 0.5 * size),
  );
  return outside ? undefined : column.map((c) => c.run);
}
