/**
 * `styles.xml`: what a paragraph or character style means for Markdown. Headings are recognised by style id
 * AND name (`Heading1` / `heading 1`, localized ids often keep the English name), following `basedOn` chains,
 * and by outline level. Code paragraphs come from code-like style names.
 */
import type { XmlElement } from '../../xml.ts';
import { attr, child, elements, localName, path } from '../../xml.ts';
import type { RunFormat } from './run-format.ts';
import { mergeFormats, readRunFormat } from './run-format.ts';

interface RawStyle {
  id: string;
  name: string;
  type: string;
  basedOn?: string;
  pPr?: XmlElement;
  rPr?: XmlElement;
}

export interface NumberingRef {
  numId: string;
  ilvl: number;
}

export interface ParagraphStyleInfo {
  /** 0 = Title, 1–9 = heading level, undefined = body text. */
  headingLevel?: number;
  code: boolean;
  quote: boolean;
  numbering?: NumberingRef;
  run: RunFormat;
}

const HEADING_NAME = /^(?:heading|titre|überschrift|titolo|encabezado|kop)\s*([1-9])$/i;
const CODE_NAME =
  /(?:^|\b|[^a-z])(?:code|preformatted|verbatim|source code|macro text|plain text|console|listing code)(?:\b|$)/i;
const QUOTE_NAME = /^(?:quote|intense quote|block text|block quote|blockquote)$/i;

export class Styles {
  private readonly styles = new Map<string, RawStyle>();
  private readonly paragraphCache = new Map<string, ParagraphStyleInfo>();
  private readonly runCache = new Map<string, RunFormat>();
  private readonly defaultRun: RunFormat;
  readonly defaultParagraphStyle?: string;

  constructor(xml: XmlElement | undefined) {
    let defaultParagraph: string | undefined;
    let defaultRun: RunFormat = {};
    if (xml) {
      defaultRun = readRunFormat(path(xml, 'docDefaults', 'rPrDefault', 'rPr'));
      for (const el of elements(xml)) {
        if (localName(el.name) !== 'style') continue;
        const id = attr(el, 'styleId');
        if (!id) continue;
        const type = attr(el, 'type') ?? 'paragraph';
        this.styles.set(id, {
          id,
          type,
          name: attr(child(el, 'name'), 'val') ?? id,
          basedOn: attr(child(el, 'basedOn'), 'val'),
          pPr: child(el, 'pPr'),
          rPr: child(el, 'rPr'),
        });
        const isDefault = attr(el, 'default');
        if (type === 'paragraph' && (isDefault === '1' || isDefault === 'true')) defaultParagraph = id;
      }
    }
    this.defaultRun = defaultRun;
    this.defaultParagraphStyle = defaultParagraph;
  }

  /** Styles from the given one up its `basedOn` chain (cycle-safe). */
  private chain(id: string | undefined): RawStyle[] {
    const out: RawStyle[] = [];
    const seen = new Set<string>();
    let cur = id;
    while (cur && !seen.has(cur) && out.length < 20) {
      seen.add(cur);
      const s = this.styles.get(cur);
      if (!s) break;
      out.push(s);
      cur = s.basedOn;
    }
    return out;
  }

  name(id: string | undefined): string | undefined {
    return id ? this.styles.get(id)?.name : undefined;
  }

  paragraph(id: string | undefined): ParagraphStyleInfo {
    const key = id ?? this.defaultParagraphStyle ?? '';
    let info = this.paragraphCache.get(key);
    if (info) return info;
    const chain = this.chain(key || undefined);
    info = { code: false, quote: false, run: {} };
    for (const s of chain) {
      const level = headingLevelOf(s);
      if (level !== undefined) {
        info.headingLevel = level;
        break;
      }
    }
    if (info.headingLevel === undefined) {
      for (const s of chain) {
        const outline = attr(child(s.pPr, 'outlineLvl'), 'val');
        if (outline !== undefined) {
          const n = Number(outline);
          if (Number.isInteger(n) && n >= 0 && n < 9) info.headingLevel = n + 1;
          break;
        }
      }
    }
    info.code = chain.some((s) => CODE_NAME.test(s.name) || CODE_NAME.test(s.id));
    info.quote = chain.some((s) => QUOTE_NAME.test(s.name));
    for (const s of chain) {
      const numPr = child(s.pPr, 'numPr');
      if (numPr) {
        const numId = attr(child(numPr, 'numId'), 'val');
        if (numId !== undefined) info.numbering = { numId, ilvl: Number(attr(child(numPr, 'ilvl'), 'val') ?? 0) || 0 };
        break;
      }
    }
    info.run = mergeFormats(
      this.defaultRun,
      ...chain
        .slice()
        .reverse()
        .map((s) => readRunFormat(s.rPr)),
    );
    this.paragraphCache.set(key, info);
    return info;
  }

  /** Formatting of a character style (with its chain). */
  run(id: string | undefined): RunFormat {
    if (!id) return {};
    let format = this.runCache.get(id);
    if (!format) {
      format = mergeFormats(
        ...this.chain(id)
          .reverse()
          .map((s) => readRunFormat(s.rPr)),
      );
      if (
        /code|verbatim|source|typewriter|keyboard|html (code|keyboard|sample|typewriter)/i.test(this.name(id) ?? '') &&
        format.monospace === undefined
      ) {
        format.monospace = true;
      }
      this.runCache.set(id, format);
    }
    return format;
  }

  /** The style whose numbering definition an abstract numbering links to (`w:numStyleLink`). */
  numberingOfStyle(id: string): NumberingRef | undefined {
    for (const s of this.chain(id)) {
      const numPr = child(s.pPr, 'numPr');
      const numId = attr(child(numPr, 'numId'), 'val');
      if (numId !== undefined) return { numId, ilvl: 0 };
    }
    return undefined;
  }
}

function headingLevelOf(s: RawStyle): number | undefined {
  for (const label of [s.name, s.id]) {
    const trimmed = label.trim();
    if (/^title$/i.test(trimmed)) return 0;
    const m = HEADING_NAME.exec(trimmed);
    if (m) return Number(m[1]);
  }
  return undefined;
}
