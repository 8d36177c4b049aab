/**
 * Safe XML → a small element tree. Package parts of OOXML/EPUB never need a DTD, so any DOCTYPE is refused
 * (no entity-expansion bombs, no external entities). Names keep their prefixes (`w:p`), which is how OOXML
 * is written in practice.
 */
import { SaxesParser } from 'saxes';
import { corrupt, ConversionError } from './errors.ts';

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  parent?: XmlElement;
}
export type XmlNode = XmlElement | string;

export interface ParseXmlOptions {
  /** Refuse DOCTYPE (default true). XHTML in EPUB may carry a harmless one: pass false there, entities stay off. */
  rejectDoctype?: boolean;
  /** Part name for error messages. */
  part?: string;
  /**
   * Refuse (`too_large`) before parsing when the part's text alone (non-space characters outside markup) is
   * over this many characters: the result would hold that text, so it could not fit the result cap
   * (`result-cap.ts`), and parsing it would cost seconds and gigabytes first.
   */
  textBudget?: number;
}

/** Deepest element nesting any XML part may have (deeper is a hostile file: `corrupt`). */
export const MAX_XML_DEPTH = 2000;

export function parseXml(source: string, options: ParseXmlOptions = {}): XmlElement {
  const rejectDoctype = options.rejectDoctype ?? true;
  const where = options.part ? ` in ${options.part}` : '';
  if (rejectDoctype && /<!DOCTYPE/i.test(source.slice(0, 8192)))
    throw new ConversionError('corrupt', `DOCTYPE is not allowed${where}`);
  if (options.textBudget !== undefined) checkTextBudget(source, options.textBudget, where);
  const parser = new SaxesParser({ xmlns: false, position: false });
  const top: XmlElement = { name: '#document', attrs: {}, children: [] };
  const stack: XmlElement[] = [top];
  let failure: Error | undefined;
  parser.on('doctype', () => {
    if (rejectDoctype) failure ??= new ConversionError('corrupt', `DOCTYPE is not allowed${where}`);
  });
  parser.on('opentag', (tag) => {
    const parent = stack[stack.length - 1];
    const el: XmlElement = { name: tag.name, attrs: tag.attributes as Record<string, string>, children: [], parent };
    parent.children.push(el);
    stack.push(el);
    if (stack.length > MAX_XML_DEPTH) failure ??= corrupt(`XML nested deeper than ${MAX_XML_DEPTH}${where}`);
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  const onText = (t: string) => {
    const parent = stack[stack.length - 1];
    if (parent === top) return;
    const last = parent.children[parent.children.length - 1];
    if (typeof last === 'string') parent.children[parent.children.length - 1] = last + t;
    else parent.children.push(t);
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('error', (e) => {
    failure ??= corrupt(`malformed XML${where}: ${e.message}`);
  });
  // saxes knows only the five XML entities and character references; anything else is an error, never expanded.
  try {
    parser.write(source).close();
  } catch (e) {
    failure ??= corrupt(`malformed XML${where}: ${(e as Error).message}`);
  }
  if (failure) throw failure;
  const rootEl = top.children.find((c): c is XmlElement => typeof c !== 'string');
  if (!rootEl) throw corrupt(`empty XML document${where}`);
  rootEl.parent = undefined;
  return rootEl;
}

/**
 * One pass over `source` counting non-space characters outside `<…>`; throws `too_large` as soon as the count
 * passes `budget`. Quoted `>` inside attribute values may end a tag early and count a few attribute characters
 * as text: an over-estimate by at most the attribute lengths, negligible against a budget of megabytes.
 */
function checkTextBudget(source: string, budget: number, where: string): void {
  if (source.length <= budget) return;
  let text = 0;
  let inTag = false;
  for (let i = 0; i < source.length; i++) {
    const c = source.charCodeAt(i);
    if (c === 0x3c) inTag = true;
    else if (c === 0x3e) inTag = false;
    else if (!inTag && c > 0x20 && ++text > budget) {
      throw new ConversionError(
        'too_large',
        `the text${where} is over ${budget} characters, more than the result cap for this input allows`,
      );
    }
  }
}

/** Local part of a prefixed name: `w:p` → `p`. */
export const localName = (name: string): string => {
  const i = name.indexOf(':');
  return i < 0 ? name : name.slice(i + 1);
};

const matches = (el: XmlElement, name: string) =>
  el.name === name || (!name.includes(':') && localName(el.name) === name);

export function elements(el: XmlElement): XmlElement[] {
  return el.children.filter((c): c is XmlElement => typeof c !== 'string');
}

/** First child element with that name (`w:p`, or a local name like `p` to ignore prefixes). */
export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  if (!el) return undefined;
  for (const c of el.children) if (typeof c !== 'string' && matches(c, name)) return c;
  return undefined;
}

export function childrenNamed(el: XmlElement | undefined, name: string): XmlElement[] {
  if (!el) return [];
  return el.children.filter((c): c is XmlElement => typeof c !== 'string' && matches(c, name));
}

/** Follow a path of child names: `path(el, 'w:pPr', 'w:pStyle')`. */
export function path(el: XmlElement | undefined, ...names: string[]): XmlElement | undefined {
  let cur = el;
  for (const n of names) cur = child(cur, n);
  return cur;
}

/** All descendants with that name, document order, without descending into matches. */
export function descendants(el: XmlElement, name: string, out: XmlElement[] = []): XmlElement[] {
  for (const c of el.children) {
    if (typeof c === 'string') continue;
    if (matches(c, name)) out.push(c);
    else descendants(c, name, out);
  }
  return out;
}

/** Attribute by exact name, or by local name when the name has no prefix. */
export function attr(el: XmlElement | undefined, name: string): string | undefined {
  if (!el) return undefined;
  const v = el.attrs[name];
  if (v !== undefined || name.includes(':')) return v;
  for (const k of Object.keys(el.attrs)) if (localName(k) === name) return el.attrs[k];
  return undefined;
}

/** All text inside an element. */
export function textOf(el: XmlNode | undefined): string {
  if (el === undefined) return '';
  if (typeof el === 'string') return el;
  let s = '';
  for (const c of el.children) s += typeof c === 'string' ? c : textOf(c);
  return s;
}
