/**
 * Character formatting that survives into Markdown: bold, italic, strike-through, monospace (code), underline,
 * superscript and subscript (see `../ooxml/marks.ts` for how each is written), and tracked-change marks.
 */
import type { XmlElement } from '../../xml.ts';
import { attr, child } from '../../xml.ts';
import { isMonospaceFont } from '../ooxml/fonts.ts';

export interface RunFormat {
  bold?: boolean;
  italic?: boolean;
  strike?: boolean;
  monospace?: boolean;
  /** Hidden text (`w:vanish`) is not part of what a reader sees. */
  hidden?: boolean;
  underline?: boolean;
  /** `w:vertAlign` superscript / subscript. */
  superscript?: boolean;
  subscript?: boolean;
  /** Inside a tracked insertion / deletion, when tracked changes are shown. */
  inserted?: boolean;
  deleted?: boolean;
}

/** `<w:b/>` is on; `<w:b w:val="0|false|off"/>` is off. */
function toggle(el: XmlElement | undefined): boolean | undefined {
  if (!el) return undefined;
  const v = attr(el, 'val');
  return !(v === '0' || v === 'false' || v === 'off' || v === 'none');
}

/** Formatting set directly by an `rPr` element (undefined = not set here, inherit). */
export function readRunFormat(rPr: XmlElement | undefined): RunFormat {
  if (!rPr) return {};
  const fonts = child(rPr, 'rFonts');
  const font = attr(fonts, 'ascii') ?? attr(fonts, 'hAnsi') ?? attr(fonts, 'cs');
  const format: RunFormat = {};
  const bold = toggle(child(rPr, 'b'));
  const italic = toggle(child(rPr, 'i'));
  const strike = toggle(child(rPr, 'strike')) || toggle(child(rPr, 'dstrike'));
  const hidden = toggle(child(rPr, 'vanish'));
  if (bold !== undefined) format.bold = bold;
  if (italic !== undefined) format.italic = italic;
  if (strike !== undefined) format.strike = strike;
  if (hidden !== undefined) format.hidden = hidden;
  // `w:u` names a line style (single, double, words, wave…); only `none` is off.
  const underline = toggle(child(rPr, 'u'));
  if (underline !== undefined) format.underline = underline;
  const vertAlign = attr(child(rPr, 'vertAlign'), 'val');
  if (vertAlign !== undefined) {
    // `baseline` turns both off, overriding a style that raised or lowered the text.
    format.superscript = vertAlign === 'superscript';
    format.subscript = vertAlign === 'subscript';
  }
  if (font) format.monospace = isMonospaceFont(font);
  return format;
}

/** Later layers override earlier ones, property by property. */
export function mergeFormats(...layers: (RunFormat | undefined)[]): RunFormat {
  const out: RunFormat = {};
  for (const layer of layers) {
    if (!layer) continue;
    for (const key of Object.keys(layer) as (keyof RunFormat)[]) {
      if (layer[key] !== undefined) out[key] = layer[key];
    }
  }
  return out;
}
