/**
 * Cell comments of a worksheet. Two kinds exist (ECMA-376 Part 1 §18.7; MS-XLSX §2.1.17 for threads):
 * - notes, the legacy comments (`xl/commentsN.xml`, relationship type `…/comments`): one text per cell, often
 *   a unit, a source or a caveat of the figure, so they are data and always converted;
 * - threaded comments (Excel 365, `xl/threadedComments/…`, relationship type `…/threadedComment`): a discussion
 *   thread with authors from `xl/persons/person.xml`, converted when `ConvertOptions.comments` is set, like the
 *   comments of DOCX and PPTX. Excel also writes each thread as a placeholder note whose text starts with
 *   `[Threaded comment]`; those placeholders are never converted as notes.
 */
import type { ZipArchive } from '../../zip.ts';
import type { XmlElement } from '../../xml.ts';
import { attr, child, childrenNamed, descendants, localName, textOf } from '../../xml.ts';
import type { BlockContent, ListItem, RootContent } from '../../mdast.ts';
import { list, listItem, paragraph, strong, text } from '../../mdast.ts';
import { readRels, readXmlPart } from './package.ts';
import type { Relationship } from './package.ts';
import { parseRef } from './worksheet.ts';

export interface CellComment {
  /** Cell reference as written, e.g. `B5`. */
  ref: string;
  /** 0-based position, for reading order. */
  row: number;
  col: number;
  author?: string;
  text: string;
  /** Replies of a thread, in order. */
  replies: { author?: string; text: string }[];
}

/** Comments kept per sheet; a sheet with more is cut (the rest are counted in a warning by the caller). */
export const MAX_COMMENTS = 10_000;

const THREAD_PLACEHOLDER = /^\s*\[Threaded comment\]/;

/**
 * Notes (always) and threaded comments (when `threads`) of the worksheet part `sheetPart`, in reading order
 * (row, then column). `persons` maps a person id to its display name. Unreadable parts throw; the caller turns
 * that into a `part_unreadable` warning.
 */
export function readSheetComments(
  zip: ZipArchive,
  sheetPart: string,
  threads: boolean,
  persons: ReadonlyMap<string, string>,
): CellComment[] {
  const rels = [...readRels(zip, sheetPart).values()].filter((r) => !r.external);
  const out: CellComment[] = [];
  const threaded = new Set<string>();
  if (threads) {
    for (const rel of rels.filter((r) => relIs(r, 'threadedComment'))) {
      for (const c of readThreads(zip, rel.target, persons)) {
        threaded.add(c.ref);
        out.push(c);
      }
    }
  }
  for (const rel of rels.filter((r) => relIs(r, 'comments'))) {
    const el = readXmlPart(zip, rel.target);
    if (!el) continue;
    const authors = childrenNamed(child(el, 'authors'), 'author').map((a) => textOf(a).trim());
    for (const c of childrenNamed(child(el, 'commentList'), 'comment')) {
      const ref = (attr(c, 'ref') ?? '').trim();
      const at = parseRef(ref.split(':')[0] ?? '');
      if (!at || threaded.has(ref)) continue;
      const author = authors[Number(attr(c, 'authorId'))] || undefined;
      let body = richText(child(c, 'text'));
      if (THREAD_PLACEHOLDER.test(body)) continue;
      // Excel starts a note with its author's name and a colon in bold; the author is given separately.
      if (author && body.startsWith(`${author}:`)) body = body.slice(author.length + 1);
      body = tidy(body);
      if (body) out.push({ ref, ...at, ...(author ? { author } : {}), text: body, replies: [] });
    }
  }
  return out.sort((a, b) => a.row - b.row || a.col - b.col).slice(0, MAX_COMMENTS);
}

/** Display names of the workbook's persons part (threaded comment authors), by person id. */
export function readPersons(zip: ZipArchive, workbookPart: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const rel of readRels(zip, workbookPart).values()) {
    if (rel.external || !relIs(rel, 'person')) continue;
    const el = readXmlPart(zip, rel.target);
    if (!el) continue;
    for (const p of childrenNamed(el, 'person')) {
      const id = attr(p, 'id');
      const name = attr(p, 'displayName')?.trim();
      if (id && name) out.set(id, name);
    }
  }
  return out;
}

function readThreads(zip: ZipArchive, part: string, persons: ReadonlyMap<string, string>): CellComment[] {
  const el = readXmlPart(zip, part);
  if (!el) return [];
  const byId = new Map<string, CellComment>();
  const out: CellComment[] = [];
  for (const t of childrenNamed(el, 'threadedComment')) {
    const ref = (attr(t, 'ref') ?? '').trim();
    const at = parseRef(ref.split(':')[0] ?? '');
    const body = tidy(textOf(child(t, 'text')));
    if (!at || !body) continue;
    const author = persons.get(attr(t, 'personId') ?? '');
    const parent = byId.get(attr(t, 'parentId') ?? '');
    if (parent) {
      parent.replies.push({ ...(author ? { author } : {}), text: body });
      continue;
    }
    const comment: CellComment = { ref, ...at, ...(author ? { author } : {}), text: body, replies: [] };
    byId.set(attr(t, 'id') ?? `#${out.length}`, comment);
    out.push(comment);
  }
  return out;
}

/** A bulleted "Notes" list after the sheet's tables: `B5 (Ann): text`, replies nested under their thread. */
export function commentsBlock(comments: readonly CellComment[]): RootContent[] {
  if (!comments.length) return [];
  // `**B5** (Ann): text` for a comment, `Ann: text` for a reply.
  const line = (ref: string | undefined, author: string | undefined, body: string) =>
    paragraph(
      ref
        ? [strong([text(ref)]), text(`${author ? ` (${author})` : ''}: ${body}`)]
        : [text(`${author ?? 'Reply'}: ${body}`)],
    );
  const items: ListItem[] = comments.map((c) => {
    const children: BlockContent[] = [line(c.ref, c.author, c.text)];
    if (c.replies.length)
      children.push(
        list(
          false,
          c.replies.map((r) => listItem([line(undefined, r.author, r.text)])),
        ),
      );
    return listItem(children);
  });
  return [paragraph([text('Notes:')]), list(false, items)];
}

/** Text runs of a note (`<t>` of each `<r>`, or a bare `<t>`), phonetic guides left out. */
function richText(el: XmlElement | undefined): string {
  if (!el) return '';
  let out = '';
  for (const e of descendants(el, 't')) {
    let p = e.parent;
    let phonetic = false;
    while (p && p !== el) {
      if (localName(p.name) === 'rPh') phonetic = true;
      p = p.parent;
    }
    if (!phonetic) out += textOf(e);
  }
  return out;
}

/** Line breaks inside a note become spaces: a list item is one line. */
const tidy = (s: string) =>
  s
    .replace(/_x000D_/g, '')
    .replace(/\s+/g, ' ')
    .trim();

const relIs = (rel: Relationship, suffix: string) => rel.type.endsWith(`/${suffix}`);
