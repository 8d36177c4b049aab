/**
 * Raised and lowered glyphs: superscripts (footnote marks, exponents, ordinals) and subscripts (chemical
 * formulas, indices), recognised by a smaller font set off the baseline of the text they follow. Glued to that
 * text they would change its value (24.91 with footnote mark 2 read as 24.912; H₂O as H2O), so they are kept
 * apart and written as `<sup>…</sup>` / `<sub>…</sub>`, the convention every OOXML converter uses (see
 * `../ooxml/marks.ts`): inline HTML that GFM renderers pass through.
 *
 * Table cells are plain strings until they become nodes, so a cell's raised text is carried between two
 * control characters (never in extracted text: `cleanText` drops C0 controls) and turned into the tags by
 * `scriptPhrasing` when the table node is built.
 */
import type { Html } from 'mdast';
import type { PhrasingContent } from '../../mdast.ts';
import { text } from '../../mdast.ts';

export type Script = 'sup' | 'sub';

/** A glyph run's baseline and font size (points, y down). */
interface Placed {
  y: number;
  size: number;
}

/**
 * What a superscript or subscript holds: a short mark (footnote digits or symbols, `1,2`, `10,11,16`, `2 3`, `-3`, `*`) or a
 * letter or three (`th`, `TM`, `a`, an index `i`). Longer words set small and off the line, and punctuation
 * alone (a scanned page's stray `;`), are text of the line, not marks.
 */
const SCRIPT_TEXT = /^(?=.*[\p{L}\p{N}*†‡§¶])(?:[\p{N}*†‡§¶+\-−–,() ]{1,12}|[\p{L}\p{N}]{1,3})$/u;

/**
 * Whether `run` is raised or lowered against `base`, the text it follows on its line: set at most 85% of the
 * base's size, with its baseline at least 20% of the base's size above it (superscript) or 10% below it
 * (subscript). Typesetters shift superscripts by about a third of the size and subscripts by a sixth (TeX's
 * sup1/sub1 font parameters; Word's 33%/-8% defaults), so the thresholds sit under both.
 */
export function scriptOf(run: Placed & { text: string }, base: Placed): Script | undefined {
  if (run.size > 0.85 * base.size || !SCRIPT_TEXT.test(run.text.trim())) return undefined;
  if (base.y - run.y >= 0.2 * base.size) return 'sup';
  if (run.y - base.y >= 0.1 * base.size) return 'sub';
  return undefined;
}

const OPEN: Record<Script, string> = { sup: '\u0001', sub: '\u0003' };
const CLOSE: Record<Script, string> = { sup: '\u0002', sub: '\u0004' };

/** `value` marked as raised or lowered inside a cell string. */
export const markScript = (value: string, script: Script): string => OPEN[script] + value + CLOSE[script];

/** A cell string without its script marks (for comparisons and heuristics that read plain text). */
export const plainScripts = (value: string): string => value.replace(/[\u0001-\u0004]/gu, '');

const html = (value: string): Html => ({ type: 'html', value });

/** Phrasing for a cell string: plain text, with marked parts between `<sup>`/`<sub>` tags. */
export function scriptPhrasing(value: string): PhrasingContent[] {
  const out: PhrasingContent[] = [];
  let at = 0;
  // A mark opens a part only when its closing mark follows somewhere; the part runs to the first one. Scanned
  // by hand: the pattern /\u0001([^\u0002]*)\u0002|…/g retried from every opening mark left unclosed (quadratic).
  const lastClose = { sup: value.lastIndexOf(CLOSE.sup), sub: value.lastIndexOf(CLOSE.sub) };
  for (let i = 0; i < value.length; i++) {
    const tag = value[i] === OPEN.sup ? 'sup' : value[i] === OPEN.sub ? 'sub' : undefined;
    if (!tag || lastClose[tag] < i) continue;
    const end = value.indexOf(CLOSE[tag], i + 1);
    if (i > at) out.push(text(value.slice(at, i)));
    out.push(html(`<${tag}>`), text(value.slice(i + 1, end)), html(`</${tag}>`));
    at = end + 1;
    i = end;
  }
  if (at < value.length) out.push(text(value.slice(at)));
  return out;
}
