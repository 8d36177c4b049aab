/**
 * Whether a document's metadata title (PDF `/Title`, Office `dc:title`) is a real title or producer junk.
 * Producers fill the field with whatever they had: the source file's name ("setup.exe", "report_v3.docx",
 * "Microsoft Word - minutes.doc"), a path, or a placeholder ("Untitled", "untitled document", "Document1").
 * Such a value names a file, not the document, and must not become its title.
 */

/**
 * Extensions of files a title field is filled from: executables and installers, word-processor, spreadsheet,
 * presentation and layout files, page formats, images, archives and temporary files.
 */
const FILE_EXTENSION =
  /\.(?:exe|com|bat|msi|dll|docx?|dotx?|docm|rtf|odt|ott|wpd|pages|txt|xlsx?|xlsm|ods|csv|pptx?|ppsx?|odp|key|pdf|ps|eps|ai|indd|indt|qxd|qxp|pmd|p65|fm|book|tex|dvi|html?|xml|tmp|temp|bak|png|jpe?g|tiff?|gif|bmp|zip)$/i;

/** Placeholders producers write when the author gave no title. */
const PLACEHOLDER = /^(?:untitled(?:[\s_-]*(?:document|\d+))?|document\s*\d*|no\s+title|title|none|null|unknown)$/i;

/**
 * `title`, trimmed, when it is usable as the document's title; `undefined` when it is empty, has no two
 * letters in a row, is a file name (ends in a file extension, or starts with "Microsoft Word - " and the like,
 * as Office's print-to-PDF writes), a path (starts with a drive letter or `/`, holds a `\`, or is two `/` without spaces), or a
 * placeholder ("Untitled", "untitled document", "Document1").
 */
export function usableTitle(title: unknown): string | undefined {
  if (typeof title !== 'string') return undefined;
  const t = title.replace(/\s+/g, ' ').trim();
  if (!/\p{L}{2}/u.test(t)) return undefined;
  if (FILE_EXTENSION.test(t)) return undefined;
  if (/^microsoft\s+(?:word|excel|powerpoint)\s*-/i.test(t)) return undefined;
  if (/^[a-z]:[\\/]|^\/\S|\\/i.test(t) || (!/\s/.test(t) && t.split('/').length > 2)) return undefined;
  if (PLACEHOLDER.test(t)) return undefined;
  return t;
}
