/**
 * Guess the delimiter of delimited text from the consistency of field counts across lines (quotes respected).
 * Returns undefined when the text does not look tabular.
 */
const CANDIDATES = [',', '\t', ';', '|'];

export function sniffDelimiter(text: string, extension?: string): string | undefined {
  const lines = text.split(/\r\n|\n|\r/).slice(0, 60);
  while (lines.length && lines[lines.length - 1].trim() === '') lines.pop();
  const nonEmpty = lines.filter((l) => l.trim() !== '');
  if (nonEmpty.length === 0) return undefined;
  let best: { delimiter: string; score: number } | undefined;
  for (const delimiter of CANDIDATES) {
    const counts = nonEmpty.map((l) => countFields(l, delimiter));
    const multi = counts.filter((c) => c > 1);
    if (multi.length === 0) continue;
    const mode = modeOf(counts);
    const consistent = counts.filter((c) => c === mode).length / counts.length;
    if (mode < 2) continue;
    const score = consistent * Math.min(mode, 10) * (multi.length / counts.length);
    if (!best || score > best.score) best = { delimiter, score };
  }
  const hinted = extension === 'csv' || extension === 'tsv' || extension === 'tab';
  if (!best) return hinted ? (extension === 'csv' ? ',' : '\t') : undefined;
  // Prose has commas too: a single-line or inconsistent candidate is only accepted with an extension hint.
  const threshold = hinted ? 0 : nonEmpty.length >= 2 ? 1.5 : Infinity;
  return best.score >= threshold ? best.delimiter : undefined;
}

function countFields(line: string, delimiter: string): number {
  let n = 1;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') quoted = !quoted;
    else if (c === delimiter && !quoted) n++;
  }
  return n;
}

function modeOf(values: number[]): number {
  const freq = new Map<number, number>();
  for (const v of values) freq.set(v, (freq.get(v) ?? 0) + 1);
  let best = 0;
  let bestN = -1;
  for (const [v, n] of freq) if (n > bestN || (n === bestN && v > best)) { best = v; bestN = n; }
  return best;
}
