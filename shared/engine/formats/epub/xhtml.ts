/**
 * EPUB chapters are XHTML. An HTML parser misreads XML shorthand (`<a id="p5"/>` opens a link that swallows
 * the rest of the chapter, `<script/>` hides it), so well-formed chapters are read as XML and written back
 * as HTML with explicit end tags; chapters that are not well-formed go to the HTML parser as they are.
 */
import { parseXml, localName, type XmlElement } from '../../xml.ts';

const VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'source',
  'track',
  'wbr',
]);

export function xhtmlToHtml(source: string, part: string): string {
  let rootEl: XmlElement;
  try {
    rootEl = parseXml(source, { rejectDoctype: false, part });
  } catch {
    return source;
  }
  const out: string[] = [];
  write(rootEl, out);
  return out.join('');
}

function write(el: XmlElement, out: string[]): void {
  const name = localName(el.name).toLowerCase();
  out.push('<', name);
  for (const [k, v] of Object.entries(el.attrs)) {
    // Namespace declarations mean nothing to HTML; prefixed attributes (epub:type) keep their local name.
    if (k === 'xmlns' || k.startsWith('xmlns:')) continue;
    const attrName = k.startsWith('xml:') ? k.slice(4) : k.includes(':') ? `data-${localName(k)}` : k;
    if (!/^[a-zA-Z_][\w.-]*$/.test(attrName)) continue;
    out.push(' ', attrName, '="', escapeAttr(v), '"');
  }
  out.push('>');
  if (VOID.has(name)) return;
  for (const c of el.children) {
    if (typeof c === 'string') out.push(name === 'script' || name === 'style' ? '' : escapeText(c));
    else write(c, out);
  }
  out.push('</', name, '>');
}

const escapeText = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\u00a0/g, '&nbsp;');
const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
