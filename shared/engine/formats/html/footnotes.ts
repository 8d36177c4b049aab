/**
 * Notes in HTML and EPUB → Markdown footnotes (`[^1]` and `[^1]: …`). Runs on the hast trees before pruning
 * and main-content selection, which would otherwise drop note `<aside>`s as sidebars.
 *
 * A link is a note reference when it points at an element of one of the documents and
 * - it is marked as one: EPUB `epub:type="noteref"`, DPUB-ARIA `role="doc-noteref"`, or a footnote-reference
 *   class on it or on its `<sup>` (`footnote-ref`, `noteref`, kramdown's `footnote`); or
 * - its target is marked as a note: `epub:type` `footnote` / `endnote` / `rearnote` / `note`, `role`
 *   `doc-footnote` / `doc-endnote`, or an item of a list in a notes section (`class="footnotes"`,
 *   `epub:type="footnotes"`/`endnotes"`/`rearnotes"`, `role="doc-endnotes"`); or
 * - `heuristics` is on (EPUB, where every internal link is the book's own) and the link reads like a note
 *   marker (`1`, `[12]`, `(iv)`, `*`, `†`) inside `<sup>` or pointing at an `<aside>` or at an element whose id
 *   or class says note / fn / foot — the `<a href="#fn1">1</a>` pattern of converted and scanned books.
 * On web pages bracketed citation links without such marks (Wikipedia's `[1]` to its reference list) stay
 * links: they point into a bibliography, not at notes.
 *
 * A link whose target is itself a note reference is the note's way back (`↩`, Project Gutenberg's `[1]`
 * before the note text), not a reference (of two links pointing at each other, the first in reading order
 * is the reference); such links and return arrows are removed from the notes. The
 * note's definition is its target, or the nearest note-like block around the target when the target is an
 * inline anchor. Definitions leave the flow (containers emptied by that go too) and are numbered in the order
 * they are first referenced; several references to one note share its number. A note nobody references is
 * left where it is, so nothing is lost.
 */
import type { Element, ElementContent, Parents, Root } from 'hast';
import { toText } from 'hast-util-to-text';
import { classTokens, prop } from './hast-utils.ts';

export interface NoteDocument {
  root: Root;
  /** Where the document lives (EPUB archive path); needed only to resolve links between documents. */
  path?: string;
}

export interface NoteOptions {
  /** Accept unmarked `<a href="#fn1">1</a>` references (see the module comment). */
  heuristics?: boolean;
  /** Link href → `path#id` key of its target, for links between documents (EPUB chapters). */
  resolve?: (fromPath: string | undefined, href: string) => string | undefined;
}

export interface NoteDefinition {
  identifier: string;
  /** The note's content (the definition element's children, or the element itself when it is a paragraph). */
  content: ElementContent[];
}

/** Property set on a reference link; the `a` handler turns it into a `footnoteReference`. */
export const NOTE_REF_PROPERTY = 'dataMdraftNoteref';

const REF_CLASSES = new Set(['footnote-ref', 'footnote-reference', 'footnoteref', 'noteref', 'fn-ref', 'footnote']);
const NOTE_TYPES = /\b(footnote|endnote|rearnote|note)\b/;
const NOTE_ROLES = new Set(['doc-footnote', 'doc-endnote']);
const NOTES_SECTION = /\b(footnotes|endnotes|rearnotes)\b/;
const MARKER = /^[[(]?(\d{1,4}|[a-z]|[ivxlcdm]{1,6}|[*†‡§¶#]{1,3})[\])]?\.?$/i;
const NOTE_NAME = /(^|[^a-z])(fn|foot|note|endnote)/i;
/** Return arrows (with or without a text/emoji variation selector) and the words a way back uses. */
const RETURN_TEXT = /^(?:[\s↩↑⤴^]|\ufe0e|\ufe0f|back|return)+$/i;
const BLOCKS = new Set(['p', 'div', 'li', 'aside', 'section', 'dd', 'blockquote', 'footer']);

interface Located {
  el: Element;
  doc: NoteDocument;
}

/** Parent of every element, so that ancestors are found by walking up (depth per query, never a copy per node). */
type ParentMap = Map<Element, Parents>;

/**
 * Find the notes of `docs` (one HTML page, or all chapters of a book), mark their references and take the
 * definitions out of the trees. Returns the definitions in reference order. Linear in the size of the trees
 * (plus the depth of each reference and note).
 */
export function extractNotes(docs: NoteDocument[], options: NoteOptions = {}): NoteDefinition[] {
  const parents: ParentMap = new Map();
  const byKey = new Map<string, Located>();
  const links: Located[] = [];
  for (const doc of docs) {
    walk(doc.root, (el, parent) => {
      parents.set(el, parent);
      const id = prop(el, 'id');
      if (id && !byKey.has(key(doc.path, id))) byKey.set(key(doc.path, id), { el, doc });
      if (el.tagName === 'a' && prop(el, 'href')) links.push({ el, doc });
    });
  }
  const isAncestor = (candidate: Element, el: Element): boolean => {
    for (let p = parents.get(el); p && p.type === 'element'; p = parents.get(p)) if (p === candidate) return true;
    return false;
  };
  const ancestorsOf = (el: Element): Element[] => {
    const out: Element[] = [];
    for (let p = parents.get(el); p && p.type === 'element'; p = parents.get(p)) out.push(p);
    return out.reverse();
  };
  const targetOf = (link: Located): Located | undefined => {
    const href = prop(link.el, 'href')!;
    if (href.startsWith('#')) return byKey.get(key(link.doc.path, safeDecode(href.slice(1))));
    return options.resolve ? byKey.get(options.resolve(link.doc.path, href) ?? '') : undefined;
  };

  const candidates = new Map<Element, { link: Located; target: Located }>();
  for (const link of links) {
    const target = targetOf(link);
    if (!target || target.el === link.el || isAncestor(target.el, link.el)) continue;
    const targetAncestors = target.el.tagName === 'li' ? ancestorsOf(target.el) : [];
    if (isReference(link.el, parents.get(link.el), target.el, targetAncestors, options.heuristics === true))
      candidates.set(link.el, { link, target });
  }
  // A link back to a reference (from inside the note) is the note's return link. When a reference and its
  // return link point at each other, the one read first is the reference (notes follow what they annotate).
  const order = new Map(links.map((l, i) => [l.el, i]));
  const refs = [...candidates.values()].filter(
    ({ link, target }) =>
      !candidates.has(target.el) ||
      (candidates.get(target.el)!.target.el === link.el && order.get(link.el)! < order.get(target.el)!),
  );

  const definitions: NoteDefinition[] = [];
  const numberOf = new Map<Element, string>();
  const refElements = new Set<Element>();
  for (const { link, target } of refs) {
    const definition = definitionOf(target.el, ancestorsOf(target.el));
    if (!definition || definition === link.el || isAncestor(definition, link.el)) continue;
    let identifier = numberOf.get(definition);
    if (!identifier) {
      identifier = String(numberOf.size + 1);
      numberOf.set(definition, identifier);
      definitions.push({ identifier, content: [] });
    }
    link.el.properties = { ...link.el.properties, [NOTE_REF_PROPERTY]: identifier };
    refElements.add(link.el);
    const parent = parents.get(link.el);
    if (parent?.type === 'element' && parent.tagName === 'sup') refElements.add(parent);
  }

  const linkTargets = new Map(links.map((l) => [l.el, l]));
  const isBacklink = (a: Element): boolean => {
    const link = linkTargets.get(a);
    const target = link ? targetOf(link) : undefined;
    if (target && refElements.has(target.el)) return true;
    const t = toText(a).trim();
    return t !== '' && RETURN_TEXT.test(t);
  };
  for (const [el, identifier] of numberOf) {
    removeBacklinks(el, isBacklink);
    definitions[Number(identifier) - 1].content = el.tagName === 'p' ? [el] : el.children;
    detach(el, parents);
  }
  return definitions;
}

/** `targetAncestors` is needed (and given) only when the target is an `<li>`. */
function isReference(
  a: Element,
  parent: Parents | undefined,
  target: Element,
  targetAncestors: Element[],
  heuristics: boolean,
): boolean {
  const sup = parent?.type === 'element' && parent.tagName === 'sup' ? parent : undefined;
  if (typeTokens(a).includes('noteref') || prop(a, 'role') === 'doc-noteref') return true;
  if (classTokens(a).some((c) => REF_CLASSES.has(c.toLowerCase()))) return true;
  if (sup && classTokens(sup).some((c) => REF_CLASSES.has(c.toLowerCase()))) return true;
  if (isMarkedNote(target, targetAncestors)) return true;
  if (!heuristics) return false;
  if (!MARKER.test(toText(a).trim())) return false;
  const inSup = sup !== undefined || a.children.some((c) => c.type === 'element' && c.tagName === 'sup');
  return (
    inSup ||
    target.tagName === 'aside' ||
    NOTE_NAME.test(prop(target, 'id') ?? '') ||
    classTokens(target).some((c) => NOTE_NAME.test(c))
  );
}

function isMarkedNote(el: Element, ancestors: Element[]): boolean {
  if (typeTokens(el).some((t) => NOTE_TYPES.test(t)) || NOTE_ROLES.has(prop(el, 'role') ?? '')) return true;
  if (el.tagName !== 'li') return false;
  return ancestors.some(
    (a) =>
      typeTokens(a).some((t) => NOTES_SECTION.test(t)) ||
      prop(a, 'role') === 'doc-endnotes' ||
      classTokens(a).some((c) => NOTES_SECTION.test(c.toLowerCase())),
  );
}

/** The block that holds the note: the target, or for an inline anchor its nearest note-like block. */
function definitionOf(target: Element, ancestors: Element[]): Element | undefined {
  if (BLOCKS.has(target.tagName)) return target;
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const el = ancestors[i];
    if (el.tagName === 'body') return undefined;
    if (!BLOCKS.has(el.tagName)) continue;
    // A `<p>` inside a `<div class="footnote">`: the whole div is the note (it may hold several paragraphs).
    const outer = ancestors[i - 1];
    if (el.tagName === 'p' && outer && isNoteContainer(outer)) return outer;
    return el;
  }
  return undefined;
}

function isNoteContainer(el: Element): boolean {
  return (
    el.tagName !== 'body' &&
    (NOTE_NAME.test(prop(el, 'id') ?? '') ||
      classTokens(el).some((c) => /^(footnote|endnote|note|fn)s?$/i.test(c)) ||
      typeTokens(el).some((t) => NOTE_TYPES.test(t)))
  );
}

/** Remove the element, then every ancestor left without text (a notes `<section>` whose notes all moved). */
function detach(el: Element, parents: ParentMap): void {
  let child: Element = el;
  for (let parent = parents.get(el); parent; parent = parents.get(child)) {
    const i = parent.children.indexOf(child);
    if (i >= 0) parent.children.splice(i, 1);
    if (parent.type !== 'element' || parent.tagName === 'body' || !isEmpty(parent)) return;
    child = parent;
  }
}

/** Nothing left but whitespace (checked bottom-up, so emptied child containers are already gone). */
function isEmpty(el: Element): boolean {
  // A rule before a notes list only separated the notes from the text.
  return el.children.every(
    (c) =>
      c.type === 'comment' ||
      (c.type === 'text' && c.value.trim() === '') ||
      (c.type === 'element' && c.tagName === 'hr'),
  );
}

function removeBacklinks(el: Element, isBacklink: (a: Element) => boolean): void {
  el.children = el.children.filter((c) => {
    if (c.type !== 'element') return true;
    if (c.tagName === 'a' && isBacklink(c)) return false;
    removeBacklinks(c, isBacklink);
    // A `<sup>` that held only the way back is empty now.
    return !(c.tagName === 'sup' && toText(c).trim() === '');
  });
}

/** `epub:type` tokens: an XHTML chapter carries them as `data-type` (see epub/xhtml.ts), HTML as `epub:type`. */
function typeTokens(el: Element): string[] {
  const raw = prop(el, 'epub:type') ?? prop(el, 'dataType') ?? '';
  return raw.toLowerCase().split(/\s+/).filter(Boolean);
}

function walk(node: Parents, visit: (el: Element, parent: Parents) => void): void {
  for (const c of node.children) {
    if (c.type !== 'element') continue;
    visit(c, node);
    walk(c, visit);
  }
}

const key = (path: string | undefined, id: string) => `${path ?? ''}#${id}`;

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
