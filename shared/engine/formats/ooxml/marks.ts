/**
 * Character formatting that CommonMark and GFM have no syntax for, written as the inline HTML elements every
 * GFM renderer passes through (GitHub's sanitizer keeps all of them). The conventions, for every OOXML format:
 *
 * | formatting                              | Markdown            |
 * |-----------------------------------------|---------------------|
 * | strikethrough (single or double)        | `~~x~~` (GFM)       |
 * | underline (any style but `none`)        | `<u>x</u>`          |
 * | superscript                             | `<sup>x</sup>`      |
 * | subscript                               | `<sub>x</sub>`      |
 * | tracked insertion (`trackedChanges: 'show'`) | `<ins>x</ins>` |
 * | tracked deletion (`trackedChanges: 'show'`)  | `<del>x</del>` |
 *
 * `<u>` and `<ins>` differ on purpose, as do `~~` and `<del>`: a reader can tell a revision from formatting.
 * The tags are `html` nodes around ordinary phrasing, so the text between them is escaped as usual, and they
 * sit outside any `**`/`*`/`~~` so those delimiters always touch `>`/`<` (punctuation) and stay flanking.
 * Underline is not written on hyperlinks or headings, where it is the style's decoration rather than emphasis.
 */
import type { Html } from 'mdast';
import type { PhrasingContent } from '../../mdast.ts';

export type HtmlMark = 'underline' | 'superscript' | 'subscript' | 'inserted' | 'deleted';

const TAGS: Record<HtmlMark, string> = {
  underline: 'u',
  superscript: 'sup',
  subscript: 'sub',
  inserted: 'ins',
  deleted: 'del',
};

const html = (value: string): Html => ({ type: 'html', value });

/** `children` between the mark's opening and closing tags. */
export function wrapHtmlMark(mark: HtmlMark, children: PhrasingContent[]): PhrasingContent[] {
  const tag = TAGS[mark];
  return [html(`<${tag}>`), ...children, html(`</${tag}>`)];
}
