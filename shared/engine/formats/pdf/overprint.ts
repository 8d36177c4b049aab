/**
 * Overprinted glyphs: "fake bold" draws each glyph twice, the second copy shifted by a fraction of a point
 * (there is no bold font, so the stroke is thickened by overprinting). pdf.js joins glyphs into text items by
 * position, so an item holds the second copy of one glyph and the first copy of the next ("B", "BO", "OL",
 * "LD"…): items that overlap their predecessor and repeat its last character. Left alone they read
 * "BBOOLLDD" and, overlapping, are even split into separate lines. Here the repeated characters go before
 * lines are built, so paragraphs and table cells both see each glyph once.
 */
import type { Run } from './text-items.ts';

/** A copy lies within this fraction of the font size of the glyph it repeats (≈1 pt at 10–12 pt). */
const SHIFT = 0.12;

/**
 * The runs with overprinted copies removed. A run whose start lies inside the previous run on the same baseline
 * (same size, baselines within `SHIFT` of the size) and whose first characters repeat that run's last ones is a
 * copy of those characters: they are cut from it, and a run left empty goes. A run drawn again whole on (almost)
 * the same spot goes too. Within such a chain a run may hold both copies of a narrow glyph ("ii" for one "i");
 * once a band shows overprinting (two cuts or more), such pairs in the runs taking part are read as one glyph.
 */
export function withoutOverprint(runs: Run[]): Run[] {
  if (runs.length < 2) return runs;
  const sorted = [...runs].sort((a, b) => a.y - b.y || a.x0 - b.x0);
  const out = new Map<Run, Run | undefined>();
  let band: Run[] = [];
  const flush = () => {
    dedupeBand(band, out);
    band = [];
  };
  for (const r of sorted) {
    if (band.length && Math.abs(r.y - band[0].y) > SHIFT * 2 * r.size) flush();
    band.push(r);
  }
  flush();
  if (![...out.entries()].some(([k, v]) => k !== v)) return runs;
  return runs.flatMap((r) => {
    const v = out.get(r);
    return v ? [v] : [];
  });
}

function dedupeBand(band: Run[], out: Map<Run, Run | undefined>): void {
  const ordered = [...band].sort((a, b) => a.x0 - b.x0);
  let prev: Run | undefined;
  let prevInput: Run | undefined;
  const changed: Run[] = [];
  const chain = new Set<Run>(); // runs taking part in overprinting: cut, or the run a cut repeats
  const cutAt = new Map<Run, number>(); // how many leading characters were cut from a run
  for (const input of ordered) {
    let run: Run | undefined = input;
    if (prev && Math.abs(prev.size - input.size) <= 0.1 * input.size) {
      const overlap = prev.x1 - input.x0;
      if (input.text === prev.text && Math.abs(input.x0 - prev.x0) <= SHIFT * input.size) run = undefined;
      else if (overlap > SHIFT * input.size && input.x0 >= prevInput!.x0 - SHIFT * input.size) {
        const k = repeatedPrefix(prev.text, input.text);
        if (k > 0) {
          chain.add(input).add(prevInput!);
          const rest = input.text.slice(k);
          cutAt.set(input, k);
          run = rest.trim()
            ? { ...input, text: rest.trimStart(), x0: Math.max(input.x0, prev.x1), spaceBefore: /^\s/.test(rest) }
            : undefined;
        }
      }
    }
    out.set(input, run);
    if (run !== input) changed.push(input);
    if (run) {
      prev = run;
      prevInput = input;
    }
  }
  if (changed.length < 2) return;
  // An overprinted band: both copies of a narrow glyph can sit in one run ("ii" for one "i"): read as one.
  const rests = [...chain].map((input) => [input, input.text.slice(cutAt.get(input) ?? 0)] as const);
  // A pair with a space on both sides means the glyphs sit in fixed cells (a narrow glyph leaves a gap after
  // it), and pdf.js fills every such gap with a space: "t ii n" for "tin". A space after a narrow glyph is then
  // no word gap. (Set in proportional widths the pairs touch their neighbours: "niin" for "nin".)
  const cells = rests.some(([, rest]) => SPACED_PAIR.test(rest));
  for (const [input, rest] of rests) {
    const run = out.get(input);
    if (!run) continue;
    const cleaned = singleGlyphs(input.text.slice(0, cutAt.get(input) ?? 0), rest, cells);
    if (cleaned === rest) continue;
    const text = cleaned.trimStart();
    if (text) out.set(input, { ...run, text, spaceBefore: cutAt.has(input) ? /^\s/.test(cleaned) : run.spaceBefore });
    else out.set(input, undefined);
  }
}

const SPACED_PAIR = /\s(\p{L}|\p{N})\1\s/u;
/** Glyphs narrower than about a third of an em in common text faces. */
const NARROW = /[fijlrtI1!|.,:;'"()[\]`]/u;

/**
 * `rest` with each doubled glyph read once and, in a glyph-cell band, the spaces that follow a narrow glyph
 * (or a doubled one, always narrow) dropped. `before` is the cut part of the run: it tells what precedes `rest`.
 * A real word gap after a narrow letter ("it is") reads the same and is lost there: the price of the rule.
 */
function singleGlyphs(before: string, rest: string, cells: boolean): string {
  let narrow = before ? NARROW.test(before.trimEnd().slice(-1)) : false;
  let out = '';
  const chars = [...rest];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (/\s/u.test(c)) {
      if (!(cells && narrow)) out += c;
      continue;
    }
    if (/[\p{L}\p{N}]/u.test(c) && chars[i + 1] === c) {
      out += c;
      i++;
      narrow = true;
      continue;
    }
    out += c;
    narrow = NARROW.test(c);
  }
  return out;
}

/** Length of the longest start of `next` (up to 3 characters) that `prev` ends with, spaces aside. */
function repeatedPrefix(prev: string, next: string): number {
  const tail = prev.trimEnd();
  for (let k = Math.min(3, next.length); k >= 1; k--) {
    const head = next.slice(0, k);
    if (head.trim() && tail.endsWith(head)) return k;
  }
  return 0;
}
