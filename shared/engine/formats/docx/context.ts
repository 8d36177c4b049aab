/** What every DOCX module needs while walking one part: package, styles, numbering, notes, options. */
import type { ConvertContext } from '../../types.ts';
import type { XmlElement } from '../../xml.ts';
import type { BlockContent } from '../../mdast.ts';
import type { Relationships } from './relationships.ts';
import type { DocxPackage } from './package.ts';
import type { Styles } from './styles.ts';
import type { Numbering } from './numbering.ts';
import type { Notes } from './notes.ts';
import type { Comments } from './comments.ts';
import type { FormField } from './form-fields.ts';
import type { RunFormat } from './run-format.ts';

/** An open complex field (`w:fldChar begin … separate … end`). */
export interface OpenField {
  instruction: string;
  /** After `separate`: the runs are the visible result. */
  inResult: boolean;
  /** The link a HYPERLINK field gives its result text (one object, so its runs group into one link). */
  link?: { url: string };
  /** A legacy form field (`w:ffData` on the `begin` mark), with the formatting of the run that began it. */
  form?: FormField;
  format?: RunFormat;
  /** Visible text appeared in the result: a form field then shows that, not its own value. */
  shown?: boolean;
}

export interface DocxContext {
  pkg: DocxPackage;
  convert: ConvertContext;
  styles: Styles;
  numbering: Numbering;
  notes: Notes;
  /** Present only when `options.comments` asks for comments. */
  comments?: Comments;
  /** The part being walked, for its relationships (document, a note part, a header). */
  part: string;
  rels: Relationships;
  /** Heading levels shift down by one when the document uses a Title paragraph, so Title stays above Heading 1. */
  headingOffset: number;
  /** Complex fields can span runs and paragraphs. */
  fields: OpenField[];
  /** Guards recursion through text boxes and nested tables in hostile files. */
  depth: number;
  /** Inside a table cell, where nested tables are flattened. */
  inCell?: boolean;
  /** Block conversion, handed in so inline code (text boxes) and notes can recurse without import cycles. */
  blocks(container: XmlElement, dc: DocxContext): BlockContent[];
}

/** The same context, walking another part. */
export function forPart(dc: DocxContext, part: string): DocxContext {
  return { ...dc, part, rels: dc.pkg.relationships(part), fields: [] };
}
