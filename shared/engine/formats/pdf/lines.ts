/**
 * Runs → lines. Runs sharing a baseline band are x-sorted and joined; pdf.js often omits the spaces between
 * items, so a space is restored wherever the gap between two runs is wider than a thin fraction of the font size.
 * A band is cut into separate line segments at gaps too wide to be word spacing (column gutters, table cells).
 */
import type { Run } from './text-items.ts';
import { bulletGlyph, isBulletGlyph, isPrivateUseGlyph } from './lists.ts';
import { scriptOf } from './scripts.ts';

export interface Line {
  runs: Run[];
  text: string;
  x0: number;
  x1: number;
  /** Top and bottom of the line box (approximate: from the font size). */
  top: number;
  bottom: number;
  baseline: number;
  /** Dominant font size of the line (by characters). */
  size: number;
  bold: boolean;
  italic: boolean;
  /** Mostly set in a monospace font. */
  mono: boolean;
  /** Where each of `runs` starts in `text` (for link spans). */
  offsets: number[];
}

/** Gaps wider than this many font sizes are never word spaces. */
const HARD_SPLIT = 2.2;
/** Gaps wider than this, without a whitespace item from the source, split the line too. */
const SOFT_SPLIT = 1.0;
/** A gap wider than this fraction of the font size is a space. */
const SPACE_GAP = 0.15;

export function buildLines(input: Run[]): Line[] {
  const { runs, caps } = takeDropCaps(input);
  const lines = joinBands(runs);
  return caps.length ? attachDropCaps(lines, caps) : lines;
}

function joinBands(runs: Run[]): Line[] {
  const bands = groupBands(runs);
  const lines: Line[] = [];
  for (const unsorted of bands) {
    const band = placeAccents(unsorted.sort((a, b) => a.x0 - b.x0));
    let current: Run[] = [];
    for (const run of band) {
      const prev = current[current.length - 1];
      if (prev) {
        const gap = run.x0 - prev.x1;
        const size = Math.max(prev.size, run.size);
        const bullet = current.length === 1 ? lineStartBullet(prev, gap, size) : undefined;
        const afterBullet = (bullet !== undefined || isBulletGlyph(prev.text)) && gap < 4 * size;
        // A bullet read as a private-use code point or a letter `o` is written as the bullet it shows.
        if (bullet !== undefined && bullet !== prev.text) current[0] = { ...prev, text: bullet };
        if (!afterBullet && (gap > HARD_SPLIT * size || (gap > SOFT_SPLIT * size && !run.spaceBefore))) {
          lines.push(makeLine(current));
          current = [];
        }
      }
      current.push(run);
    }
    if (current.length) lines.push(makeLine(current));
  }
  return lines;
}

/**
 * The bullet a line's first run shows when it is a lone glyph set apart from the text after it: a bullet glyph
 * (private-use Symbol/Wingdings codes mapped to Unicode; any other lone private-use glyph, a dingbat without a
 * Unicode meaning, as `•`), or the letter `o` that Word sets in Courier New for a
 * second-level bullet, followed by a gap wider than a word space (a tab stop), never by an ordinary space.
 */
function lineStartBullet(run: Run, gap: number, size: number): string | undefined {
  const glyph = bulletGlyph(run.text);
  if (glyph) return glyph;
  if (isPrivateUseGlyph(run.text) && gap >= 0.4 * size) return '•';
  return run.text.trim() === 'o' && gap >= 0.8 * size ? '◦' : undefined;
}

/** Spacing accents (as NFKC leaves them: a space and a combining mark, or a modifier letter) → combining marks. */
const TRAILING_ACCENT = / ?[\u0300-\u036f]$|[\u02c6\u02c7\u02d8-\u02dd]$/u;
const COMBINING: Record<string, string> = {
  '\u02c6': '\u0302',
  '\u02c7': '\u030c',
  '\u02d8': '\u0306',
  '\u02d9': '\u0307',
  '\u02da': '\u030a',
  '\u02db': '\u0328',
  '\u02dc': '\u0303',
  '\u02dd': '\u030b',
};

/**
 * TeX and other typesetters draw an accented letter as an accent glyph followed by the letter, moved back under
 * it (`J´an Min´aˇc` for "Ján Mináč"): the accent ends one item and the next item starts left of where it
 * ended. The accent goes onto that letter, composed where Unicode has the precomposed letter.
 */
function placeAccents(band: Run[]): Run[] {
  let out = band;
  for (let i = 1; i < out.length; i++) {
    const prev = out[i - 1];
    const run = out[i];
    const accent = TRAILING_ACCENT.exec(prev.text);
    if (!accent || run.x0 >= prev.x1 - 0.05 * run.size) continue;
    const [first, ...rest] = [...run.text];
    if (!first || !/\p{L}/u.test(first)) continue;
    const mark = accent[0].trim();
    if (out === band) out = [...band];
    out[i - 1] = { ...prev, text: prev.text.slice(0, -accent[0].length) };
    out[i] = { ...run, text: (first + (COMBINING[mark] ?? mark)).normalize('NFC') + rest.join('') };
  }
  return out === band ? band : out.filter((r) => r.text.trim());
}

/**
 * Drop caps: a paragraph's first letter set large, several lines tall, its baseline on a lower line of the
 * paragraph. Left among the runs it would join that lower line (or open a tall line of its own) and the word
 * it begins would lose its first letter; it belongs at the start of the topmost line beside it.
 */
interface DropCap {
  run: Run;
  beside: Run;
}

function takeDropCaps(runs: Run[]): { runs: Run[]; caps: DropCap[] } {
  const caps: DropCap[] = [];
  for (const run of runs) {
    if (!/^[\p{Lu}\p{N}]$/u.test(run.text.trim())) continue;
    // Runs of text beside it, to its right, on the lines it spans.
    const beside = runs.filter(
      (r) =>
        r !== run &&
        r.size * 2 <= run.size &&
        r.y >= run.y - 1.1 * run.size &&
        r.y <= run.y + 0.3 * r.size &&
        r.x0 >= run.x1 - 0.5 * r.size &&
        r.x0 <= run.x1 + 2 * r.size,
    );
    const baselines = new Set(beside.map((r) => Math.round(r.y)));
    if (baselines.size < 2) continue;
    const top = beside.reduce((a, b) => (b.y < a.y || (b.y === a.y && b.x0 < a.x0) ? b : a));
    caps.push({ run, beside: top });
  }
  if (!caps.length) return { runs, caps };
  const taken = new Set(caps.map((c) => c.run));
  return { runs: runs.filter((r) => !taken.has(r)), caps };
}

function attachDropCaps(lines: Line[], caps: DropCap[]): Line[] {
  return lines.map((line) => {
    const cap = caps.find((c) => line.runs.includes(c.beside));
    if (!cap) return line;
    const first = line.runs[0];
    // The letter sits on the line at the line's size, so the line keeps its baseline and size.
    const letter: Run = {
      ...cap.run,
      text: cap.run.text.trim(),
      y: first.y,
      size: first.size,
      x0: Math.min(cap.run.x0, first.x0 - 0.1),
      x1: Math.min(cap.run.x1, first.x0),
      spaceBefore: false,
    };
    return makeLine([letter, ...line.runs]);
  });
}

/**
 * Baseline bands: runs sorted by baseline, a run joining the band whose baseline is within a fraction of its font
 * size (superscripts and subscripts sit slightly off the baseline, so the tolerance is generous for small runs).
 */
function groupBands(runs: Run[]): Run[][] {
  const sorted = [...runs].sort((a, b) => a.y - b.y || a.x0 - b.x0);
  const bands: { y: number; size: number; runs: Run[] }[] = [];
  for (const run of sorted) {
    let placed = false;
    // Only the last few bands can be within tolerance since runs arrive sorted by baseline.
    for (let i = bands.length - 1; i >= 0 && i >= bands.length - 3; i--) {
      const band = bands[i];
      const small = Math.min(band.size, run.size);
      const tolerance =
        run.size < band.size * 0.85 || band.size < run.size * 0.85 ? 0.5 * Math.max(band.size, run.size) : 0.3 * small;
      if (Math.abs(run.y - band.y) <= tolerance && !overlapsHorizontally(band.runs, run)) {
        band.runs.push(run);
        if (run.size > band.size) {
          band.size = run.size;
          band.y = run.y;
        }
        placed = true;
        break;
      }
    }
    if (!placed) bands.push({ y: run.y, size: run.size, runs: [run] });
  }
  return bands.map((b) => b.runs);
}

/** Overprinted text (fake bold drawn twice, shadows) must not be doubled; distinct lines must not merge. */
function overlapsHorizontally(runs: Run[], run: Run): boolean {
  for (const r of runs) {
    const overlap = Math.min(r.x1, run.x1) - Math.max(r.x0, run.x0);
    if (overlap > 0.6 * Math.min(r.x1 - r.x0, run.x1 - run.x0) && r.text !== run.text) return true;
  }
  return false;
}

/** Hebrew, Arabic, Syriac, Thaana, NKo and their presentation forms: right-to-left scripts. */
export const RTL = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]/u;

/** Lines mostly in Hebrew or Arabic script read right to left: their runs are taken from the right. */
function isRightToLeft(runs: Run[]): boolean {
  let rtl = 0;
  let ltr = 0;
  for (const r of runs) {
    if (!RTL.test(r.text)) {
      ltr += r.text.length; // no right-to-left letter at all: the common case, counted without a scan
      continue;
    }
    for (const ch of r.text) {
      if (RTL.test(ch)) rtl++;
      else if (/\p{L}/u.test(ch)) ltr++;
    }
  }
  return rtl > ltr;
}

export function makeLine(input: Run[]): Line {
  const runs = isRightToLeft(input) ? [...input].reverse() : input;
  let text = '';
  let prev: Run | undefined;
  const kept: Run[] = [];
  const offsets: number[] = [];
  // The last run set on the line's own baseline: what a raised or lowered run is measured against.
  let base: Run | undefined;
  for (const input of runs) {
    // Same text drawn again on (almost) the same spot: simulated bold or a shadow. Keep one copy. "Almost"
    // is less than half the text's width, so a narrow letter set twice in a row ("tt") is not taken for one.
    if (
      prev &&
      input.text === prev.text &&
      Math.abs(input.x0 - prev.x0) < Math.min(0.3 * input.size, 0.5 * (prev.x1 - prev.x0))
    )
      continue;
    // A run starting the line is never a mark of the text before it: a footnote's own number stays plain.
    const script = base ? scriptOf(input, base) : undefined;
    const run = script || input.script ? { ...input, script } : input;
    if (prev) {
      const gap = prev.x0 > run.x0 ? prev.x0 - run.x1 : run.x0 - prev.x1;
      const needsSpace = run.spaceBefore || gap > SPACE_GAP * Math.min(prev.size, run.size);
      const attached = isMarkerAfterWord(prev, run) || (script && gap < 0.4 * base!.size);
      if (needsSpace && !text.endsWith(' ') && !attached) text += ' ';
    }
    offsets.push(text.length);
    text += run.text;
    kept.push(run);
    prev = run;
    if (!script) base = run;
  }
  // A raised numerator before a fraction slash (1⁄4) is a built-up fraction, not a mark.
  for (let i = 0; i + 1 < kept.length; i++)
    if (kept[i].script && /^[\u2044/]/u.test(kept[i + 1].text)) kept[i] = { ...kept[i], script: undefined };
  const chars = new Map<number, number>();
  let boldChars = 0;
  let italicChars = 0;
  let monoChars = 0;
  let total = 0;
  for (const r of kept) {
    const n = r.text.length;
    const key = Math.round(r.size * 2) / 2;
    chars.set(key, (chars.get(key) ?? 0) + n);
    if (r.bold) boldChars += n;
    if (r.italic) italicChars += n;
    if (r.mono) monoChars += n;
    total += n;
  }
  const size = [...chars.entries()].sort((a, b) => b[1] - a[1])[0][0];
  const baseline = kept.reduce((best, r) => (r.size > best.size ? r : best), kept[0]).y;
  let x0 = Infinity;
  let x1 = -Infinity;
  for (const r of kept) {
    x0 = Math.min(x0, r.x0);
    x1 = Math.max(x1, r.x1);
  }
  return {
    runs: kept,
    offsets,
    text: text.trimEnd(),
    x0,
    x1,
    top: baseline - 0.8 * size,
    bottom: baseline + 0.25 * size,
    baseline,
    size,
    bold: boldChars > total / 2,
    italic: italicChars > total / 2,
    mono: monoChars > total / 2,
  };
}

/**
 * A footnote marker: a small raised run of digits or symbols right after a word. It stays attached to the word
 * ("word¹" is read as one token with its marker) instead of becoming a separate number in the sentence.
 */
function isMarkerAfterWord(prev: Run, run: Run): boolean {
  return (
    run.size < 0.85 * prev.size &&
    run.y < prev.y - 0.2 * prev.size &&
    run.x0 - prev.x1 < 0.4 * prev.size &&
    /^[\d*†‡§¶,]{1,6}$/u.test(run.text.trim()) &&
    /[\p{L}\p{N}.,;:)]$/u.test(prev.text)
  );
}
