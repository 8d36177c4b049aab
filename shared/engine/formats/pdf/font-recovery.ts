/**
 * Text of fonts without a usable Unicode mapping, recovered through the embedded font program's own `cmap`
 * (or `post` glyph names): pdf.js shows a Type0 Identity-H font without ToUnicode as its codes read as
 * characters (one UTF-16 unit per CID); each CID is turned into the character its glyph draws.
 *
 * The codes are read from a second, un-normalised text extraction (`disableNormalization: true`): pdf.js's
 * normalisation would turn some codes into others (U+00B5 into U+03BC, U+FB01 into "fi") and lose the CID.
 * A font is recovered only when every glyph it shows on the page has a mapping and the result reads as text
 * (`quality.ts`); otherwise it stays garbled and the caller OCRs the page or warns `garbled_text`, as before.
 * Limitation: pdf.js reports CID 32 as U+0020 and also inserts U+0020 for word gaps, so a U+0020 stays a space.
 */
import type { RawTextItem } from './text-items.ts';
import type { EmbeddedFonts } from './embedded-fonts.ts';
import { assessText } from './quality.ts';

interface PageLike {
  commonObjs: { has(id: string): boolean; get(id: string): unknown };
  getTextContent(options: { includeMarkedContent: boolean; disableNormalization: boolean }): Promise<{
    items: unknown[];
  }>;
}

/**
 * `items` (pdf.js text items of page `pageNumber`) with the text of the `garbled` fonts (text-content font ids)
 * recovered where the embedded font allows; `recovered` names those fonts. Never throws: any failure leaves the
 * items as they were.
 */
export async function recoverGarbledFonts<T extends RawTextItem>(
  page: PageLike,
  pageNumber: number,
  items: T[],
  garbled: ReadonlySet<string>,
  fonts: EmbeddedFonts,
): Promise<{ items: T[]; recovered: Set<string> }> {
  const recovered = new Set<string>();
  try {
    const readings = new Map<string, (cid: number) => string | undefined>();
    for (const id of garbled) {
      const name = fontName(page, id);
      const reading = name ? await fonts.cidFont(pageNumber, name) : undefined;
      if (reading) readings.set(id, reading.text);
    }
    if (!readings.size) return { items, recovered };
    const raw = (await page.getTextContent({ includeMarkedContent: false, disableNormalization: true })).items.filter(
      (i): i is RawTextItem => typeof i === 'object' && i !== null && 'str' in i,
    );
    // The two extractions must list the same items in the same fonts, or codes cannot be matched to items.
    if (raw.length !== items.length || raw.some((r, k) => r.fontName !== items[k].fontName)) {
      return { items, recovered };
    }
    const texts = new Map<number, string>();
    for (const [id, text] of readings) {
      const mine = new Map<number, string>();
      let ok = true;
      raw.forEach((r, k) => {
        if (!ok || r.fontName !== id) return;
        const out = decode(r.str, text);
        if (out === undefined) ok = false;
        else mine.set(k, out);
      });
      if (!ok || assessText([...mine.values()].join(' ')) !== 'ok') continue;
      for (const [k, t] of mine) texts.set(k, t);
      recovered.add(id);
    }
    if (!recovered.size) return { items, recovered };
    return { items: items.map((item, k) => (texts.has(k) ? { ...item, str: texts.get(k)! } : item)), recovered };
  } catch {
    return { items, recovered: new Set() };
  }
}

/** One item's codes → text; `undefined` when some glyph has no mapping. */
function decode(codes: string, text: (cid: number) => string | undefined): string | undefined {
  let out = '';
  for (let k = 0; k < codes.length; k++) {
    const cid = codes.charCodeAt(k);
    if (cid === 0x20) {
      out += ' ';
      continue;
    }
    const t = text(cid);
    if (t === undefined) return undefined;
    out += t;
  }
  return out;
}

/** The font's name as pdf.js reports it (BaseFont, subset tag included), once its operator list has run. */
function fontName(page: PageLike, id: string): string | undefined {
  try {
    if (!page.commonObjs.has(id)) return undefined;
    const name = (page.commonObjs.get(id) as { name?: unknown } | undefined)?.name;
    return typeof name === 'string' ? name : undefined;
  } catch {
    return undefined;
  }
}
