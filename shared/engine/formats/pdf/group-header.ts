/**
 * A ruled table's group row read into its column header. GFM tables have exactly one header row. A ruled grid
 * may carry two: a group row of labels each spanning several columns ("Survey A (2012)" over two columns,
 * "Survey B (2007)" over the next two) above the column header ("Indicators | TOTAL | RURAL | TOTAL | RURAL").
 * Left as it is, the group row becomes the GFM header and the header below it a body row whose labels repeat
 * (TOTAL, RURAL, TOTAL, RURAL): no single row then tells the columns apart. Each column's group label is then
 * joined to its own label with a space ("Survey A (2012) TOTAL"), the way a spanning header is read down its
 * columns (W3C WAI tables tutorial, "Tables with multi-level headers": a data cell is named by every header
 * above it).
 *
 * Narrow on purpose. Where the column header already names every column distinctly ("Score" over "simple |
 * complex | all", "Results" over "Accuracy | Time"), both rows stay as they are: the group row as
 * the header, its label repeated over the columns it spans, and row-spanning labels repeated in both rows. That
 * keeps the table's two header levels as written (the form converters such as docling write and their
 * ground truths keep), and nothing is ambiguous. The group row is recognised from the grid's cell structure
 * (the merged cells the rules draw), never from the wording of the labels.
 */

/**
 * The rows with a leading group row joined into the column header below it, or the rows unchanged.
 *
 * rows: the table's cell texts, first row first (equal lengths). cells: a grid of the same shape naming the
 * drawn cell each position belongs to (positions with the same id are one merged cell: a spanning label
 * repeated over its positions). The first row is a group row when:
 * - a body follows the two header rows (at least three rows);
 * - each of its positions is empty, or one cell with the position below (a label spanning both header rows),
 *   or part of a cell spanning two or more adjacent columns of this row only (a group label);
 * - there is at least one group label, and under each one every column has a label of its own, all different;
 * - and the row below names two columns alike (a label under a group label repeated elsewhere in that row):
 *   only then is the group label needed to tell the columns apart.
 * Returns a new array (the input is not changed).
 */
export function withGroupRowJoined(rows: string[][], cells: number[][]): string[][] {
  if (rows.length < 3 || cells.length < 2) return rows;
  const [group, sub] = rows;
  const [gid, sid] = cells;
  const n = group.length;
  if (n < 2 || sub.length !== n || gid.length !== n || sid.length !== n) return rows;
  // Group labels: runs of adjacent positions of one cell that does not reach into the row below.
  const spans: { from: number; to: number; label: string }[] = [];
  for (let c = 0; c < n;) {
    let e = c;
    while (e + 1 < n && gid[e + 1] === gid[c]) e++;
    const label = group.slice(c, e + 1).find(Boolean) ?? '';
    // A label whose cell reaches into the row below spans both header rows: it names its column already.
    const reachesBelow = sid.some((id) => id === gid[c]);
    if (label && !reachesBelow) {
      if (e === c) return rows; // a label over one column only: the row is a body row, not a group row
      spans.push({ from: c, to: e, label });
    }
    c = e + 1;
  }
  if (!spans.length) return rows;
  for (const s of spans) {
    const labels = sub.slice(s.from, s.to + 1);
    if (labels.some((t) => !t) || new Set(labels).size !== labels.length) return rows;
  }
  const grouped = new Set(spans.flatMap((s) => Array.from({ length: s.to - s.from + 1 }, (_, i) => s.from + i)));
  const ambiguous = [...grouped].some((c) => sub.some((t, k) => k !== c && t === sub[c]));
  if (!ambiguous) return rows;
  const header = sub.map((t, c) => {
    const span = spans.find((s) => c >= s.from && c <= s.to);
    return span ? `${span.label} ${t}` : t || group[c];
  });
  return [header, ...rows.slice(2)];
}
