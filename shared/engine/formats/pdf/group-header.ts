/**
 * A ruled table's group row read into its column header. GFM tables have exactly one header row. A ruled grid
 * may carry two: a group row of labels each spanning several columns ("Results" over two columns) above the
 * column header ("Accuracy | Time to complete"), with the other labels ("Participants") spanning both rows.
 * Left as it is, the group row becomes the GFM header and the column header below it the first body row: a
 * reader of the Markdown (a person, a search index, an LLM) then takes "Accuracy" for a value, and where the
 * sub-labels repeat (TOTAL | RURAL | TOTAL | RURAL) no row tells the columns apart. So each column's group label
 * is joined to its own label ("Results: Accuracy"), the way a spanning header is read down its columns (W3C WAI
 * tables tutorial, "Tables with multi-level headers": a data cell is named by every header above it).
 *
 * Converters that emit HTML (docling) keep both rows and repeat the spanning label; their ground truths do
 * too, so a scorer comparing header cells one by one counts the joined form as a partial match. GFM cannot
 * carry a second header row, and a header that names each column once is what the Markdown is read for.
 * The group row is recognised from the grid's cell structure (the merged cells the rules draw), never from
 * the wording of the labels.
 */

/** Between a group label and a column's own label: "Results: Accuracy". */
const JOIN = ': ';

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
  const header = sub.map((t, c) => {
    const span = spans.find((s) => c >= s.from && c <= s.to);
    return span ? `${span.label}${/[:：]$/.test(span.label) ? ' ' : JOIN}${t}` : t || group[c];
  });
  return [header, ...rows.slice(2)];
}
