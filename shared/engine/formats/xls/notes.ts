/**
 * Cell notes of a BIFF8 worksheet (MS-XLS §2.4.179 Note, §2.4.181 Obj, §2.4.329 TxO, §2.4.58 Continue), the
 * legacy counterpart of XLSX's `commentsN.xml`. A note is written as three pieces in the worksheet substream:
 * - an OBJ record whose first subrecord is `ftCmo` (0x15) with object type 0x19 (comment) and the object id;
 * - the TXO record that follows it (text length `cchText`, formatting-run bytes `cbRuns`), then CONTINUE
 *   records holding the characters (each CONTINUE starts with its own option byte: 1 = UTF-16, 0 = Latin-1)
 *   and the formatting runs;
 * - a NOTE record (row, column, flags, object id, author as an XLUnicodeString), after the drawing objects.
 * The NOTE record is joined to its text by the object id. Anything malformed (a record too short, a text that
 * overruns its CONTINUE records, a NOTE naming an object with no text) is skipped and named in a problem
 * message for an `unsupported_content` warning; nothing here throws.
 */
import type { CellComment } from '../xlsx/comments.ts';
import { MAX_COMMENTS } from '../xlsx/comments.ts';
import { columnName } from '../xlsx/hidden.ts';
import type { BiffRecord } from './records.ts';
import { ContinuedReader, RT, readUnicodeString } from './records.ts';

const FT_CMO = 0x15;
const OT_COMMENT = 0x19;
/** TXO's fixed part: grbit, rot, 6 reserved bytes, cchText, cbRuns, then 4 bytes (font index / reserved). */
const TXO_MIN = 14;

interface PendingText {
  objectId: number;
  length: number;
  parts: Uint8Array[];
}

/** Feeds a worksheet substream's records in order; `notes()` gives the joined notes in reading order. */
export class NoteCollector {
  private readonly texts = new Map<number, string>();
  private readonly found: { row: number; col: number; objectId: number; author?: string }[] = [];
  /** Object id of the last comment OBJ record, waiting for its TXO. */
  private commentObject: number | undefined;
  private pending: PendingText | undefined;
  /** Messages for `unsupported_content` warnings. */
  readonly problems: string[] = [];

  /** One record of the worksheet substream (depth 1: records of embedded charts are not passed). */
  add(rec: BiffRecord): void {
    if (rec.type === RT.CONTINUE && this.pending) {
      this.pending.parts.push(rec.data);
      return;
    }
    this.finishText();
    switch (rec.type) {
      case RT.OBJ:
        this.commentObject = commentObjectId(rec);
        break;
      case RT.TXO:
        if (this.commentObject !== undefined) {
          if (rec.data.length < TXO_MIN) this.problems.push('a note text record (TXO) is too short; note skipped');
          else this.pending = { objectId: this.commentObject, length: rec.view.getUint16(10, true), parts: [] };
        }
        this.commentObject = undefined;
        break;
      case RT.NOTE:
        this.addNote(rec);
        break;
      case RT.MSODRAWING:
        break; // drawing data sits between an OBJ and its TXO
      default:
        this.commentObject = undefined;
    }
  }

  /** The notes found, sorted by row then column, cut at MAX_COMMENTS (a problem says so). */
  notes(): CellComment[] {
    this.finishText();
    const out: CellComment[] = [];
    for (const n of this.found) {
      const ref = `${columnName(n.col)}${n.row + 1}`;
      const raw = this.texts.get(n.objectId);
      if (raw === undefined) {
        this.problems.push(`the note on cell ${ref} has no readable text; it was skipped`);
        continue;
      }
      let body = raw;
      // Excel starts a note with its author's name and a colon; the author is given separately.
      if (n.author && body.startsWith(`${n.author}:`)) body = body.slice(n.author.length + 1);
      body = body.replace(/\s+/g, ' ').trim();
      if (body)
        out.push({ ref, row: n.row, col: n.col, ...(n.author ? { author: n.author } : {}), text: body, replies: [] });
    }
    out.sort((a, b) => a.row - b.row || a.col - b.col);
    if (out.length > MAX_COMMENTS) this.problems.push(`notes past the first ${MAX_COMMENTS} were cut`);
    return out.slice(0, MAX_COMMENTS);
  }

  private addNote(rec: BiffRecord): void {
    const { data, view } = rec;
    if (data.length < 8) {
      this.problems.push('a NOTE record is too short; note skipped');
      return;
    }
    if (this.found.length > MAX_COMMENTS) return;
    const author = withoutTrailingNuls(readUnicodeString(data, 8) ?? '').trim();
    this.found.push({
      row: view.getUint16(0, true),
      col: view.getUint16(2, true),
      objectId: view.getUint16(6, true),
      ...(author ? { author } : {}),
    });
  }

  private finishText(): void {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    if (p.length === 0) {
      this.texts.set(p.objectId, '');
      return;
    }
    try {
      const reader = new ContinuedReader(p.parts);
      const high = (reader.byte() & 0x01) !== 0;
      this.texts.set(p.objectId, reader.chars(p.length, high));
    } catch {
      this.problems.push(`the text of note object ${p.objectId} overruns its records; note skipped`);
    }
  }
}

/** The object id of an OBJ record describing a comment (first subrecord `ftCmo`, type 0x19), else undefined. */
function commentObjectId(rec: BiffRecord): number | undefined {
  const { data, view } = rec;
  if (data.length < 8 || view.getUint16(0, true) !== FT_CMO || view.getUint16(2, true) < 4) return undefined;
  return view.getUint16(4, true) === OT_COMMENT ? view.getUint16(6, true) : undefined;
}

/**
 * `value` without the NUL padding at its end. A loop, not `/\0+$/`: the pattern retried from every NUL of a run
 * not at the end (an author name of 60,000 NULs then a letter, within one 64 KB record, took seconds).
 */
function withoutTrailingNuls(value: string): string {
  let end = value.length;
  while (end > 0 && value.charCodeAt(end - 1) === 0) end--;
  return value.slice(0, end);
}
