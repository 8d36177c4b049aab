/**
 * Element handlers that replace hast-util-to-mdast defaults where documents need something else:
 * tables (see table.ts), code blocks with their language, links without tooltip titles and with tracking
 * redirects unwrapped, `<var>` as emphasis, `<figure>` with its caption (figure.ts), note references marked by
 * footnotes.ts as `footnoteReference`s.
 */
import type { Element } from 'hast';
import type { Handle, State } from 'hast-util-to-mdast';
import { defaultHandlers } from 'hast-util-to-mdast';
import { toText } from 'hast-util-to-text';
import type { Code, FootnoteReference, Link, PhrasingContent } from 'mdast';
import { NOTE_REF_PROPERTY } from './footnotes.ts';
import { figureHandler } from './figure.ts';
import { classTokens } from './hast-utils.ts';
import { tableHandler } from './table.ts';
import { unwrapRedirect } from './links.ts';
import { trimEndSpaceTab } from '../../whitespace.ts';

export interface HandlerOptions {
  /** Turn an image source into what the tree records (EPUB: a bare file name). */
  imageName?: (src: string) => string;
}

export function createHandlers(options: HandlerOptions = {}): Record<string, Handle> {
  return {
    table: tableHandler as Handle,
    pre: codeBlock as Handle,
    listing: codeBlock as Handle,
    xmp: codeBlock as Handle,
    plaintext: codeBlock as Handle,
    a: link as Handle,
    var: defaultHandlers.em,
    figure: figureHandler as Handle,
    img: (state: State, node: Element) => image(state, node, options),
  };
}

function codeBlock(state: State, node: Element): Code {
  const result: Code = {
    type: 'code',
    lang: languageOf(node) ?? null,
    meta: null,
    value: tidyCode(toText(node, { whitespace: 'pre' })),
  };
  state.patch(node, result);
  return result;
}

const LANGUAGE_PREFIXES = ['language-', 'lang-', 'highlight-source-', 'brush:'];

/** Language from `class="language-x"` (or the common variants) on the `<pre>` or its `<code>`. */
function languageOf(pre: Element): string | undefined {
  const candidates = [pre, ...pre.children.filter((c): c is Element => c.type === 'element' && c.tagName === 'code')];
  for (const el of candidates) {
    for (const token of classTokens(el)) {
      for (const prefix of LANGUAGE_PREFIXES) {
        if (token.startsWith(prefix) && token.length > prefix.length) {
          const lang = token.slice(prefix.length);
          if (/^[\w+#.-]{1,30}$/.test(lang)) return lang.toLowerCase();
        }
      }
    }
    const data = el.properties?.dataLang ?? el.properties?.dataLanguage;
    if (typeof data === 'string' && /^[\w+#.-]{1,30}$/.test(data)) return data.toLowerCase();
  }
  return undefined;
}

/** Drop blank lines at both ends and the indentation every line shares (source indentation of the HTML). */
function tidyCode(value: string): string {
  const lines = value.replace(/\r\n?/g, '\n').split('\n');
  while (lines.length && lines[0].trim() === '') lines.shift();
  while (lines.length && lines[lines.length - 1].trim() === '') lines.pop();
  let common = Infinity;
  for (const line of lines) {
    if (line.trim() === '') continue;
    let n = 0;
    while (n < line.length && (line[n] === ' ' || line[n] === '\t')) n++;
    common = Math.min(common, n);
  }
  const cut = Number.isFinite(common) ? common : 0;
  return lines.map((l) => trimEndSpaceTab(l.slice(cut))).join('\n');
}

function link(state: State, node: Element): Link | FootnoteReference | PhrasingContent[] {
  // A note reference marked by footnotes.ts: `[^n]`, the marker text itself is dropped.
  const note = node.properties?.[NOTE_REF_PROPERTY];
  if (typeof note === 'string' || typeof note === 'number') {
    return { type: 'footnoteReference', identifier: String(note), label: String(note) };
  }
  const children = state.all(node) as PhrasingContent[];
  const href = node.properties?.href;
  if (typeof href !== 'string' || href.trim() === '') return children;
  const result: Link = { type: 'link', url: unwrapRedirect(href.trim()), title: null, children };
  state.patch(node, result);
  return result;
}

function image(state: State, node: Element, options: HandlerOptions) {
  const src = typeof node.properties?.src === 'string' ? node.properties.src : '';
  const alt = typeof node.properties?.alt === 'string' ? node.properties.alt.replace(/\s+/g, ' ').trim() : '';
  // Decorative images (empty alt, tracking pixels, inline data icons) carry nothing for a reader.
  if (!alt && (src === '' || src.startsWith('data:'))) return undefined;
  const url = options.imageName ? options.imageName(src) : src;
  const result = { type: 'image' as const, url, alt: alt || (options.imageName ? 'image' : ''), title: null };
  state.patch(node, result);
  return result;
}
