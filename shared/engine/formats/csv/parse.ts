/**
 * RFC 4180 delimited-text parser, lenient the way real exports need: quoted fields may hold delimiters,
 * doubled quotes and line breaks; records end at CRLF, LF or a lone CR; a quote in the middle of an
 * unquoted field is literal; text after a closing quote is kept rather than rejected. One pass, no regexes,
 * so hostile input costs linear time. Parsing stops once `maxCells` cells have been read.
 */
export interface ParsedRows {
  rows: string[][];
  /** True when the input had more cells than `maxCells` and the rest was not read. */
  truncated: boolean;
}

export function parseDelimited(text: string, delimiter: string, maxCells = Number.POSITIVE_INFINITY): ParsedRows {
  const rows: string[][] = [];
  let record: string[] = [];
  let field = '';
  let cells = 0;
  let i = 0;
  const n = text.length;
  let truncated = false;

  const endField = () => {
    record.push(field);
    field = '';
    cells++;
  };
  const endRecord = () => {
    endField();
    rows.push(record);
    record = [];
  };

  while (i < n) {
    if (cells >= maxCells) {
      truncated = true;
      break;
    }
    // At the start of a field: a quote opens a quoted field.
    if (text[i] === '"') {
      i++;
      for (;;) {
        const close = text.indexOf('"', i);
        if (close < 0) {
          // Unterminated quote: the rest of the input is this field (what spreadsheet programs do too).
          field += text.slice(i);
          i = n;
          break;
        }
        field += text.slice(i, close);
        i = close + 1;
        if (text[i] === '"') {
          field += '"';
          i++;
          continue;
        }
        break;
      }
    }
    // Unquoted part (or whatever follows a closing quote) up to the next delimiter or line end, appended as one
    // slice: character-by-character appends made a 64 KB field cost a rope of 64 K pieces (format detection runs
    // this on the server's main thread, on every text upload).
    let ended = false;
    const start = i;
    while (i < n) {
      const c = text[i];
      if (c === delimiter) {
        field += text.slice(start, i);
        endField();
        i++;
        ended = true;
        break;
      }
      if (c === '\n' || c === '\r') {
        field += text.slice(start, i);
        endRecord();
        i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
        ended = true;
        break;
      }
      i++;
    }
    if (!ended) field += text.slice(start, i);
    if (!ended && i >= n) {
      endRecord();
      return { rows, truncated };
    }
    // A delimiter as the very last character still opens an (empty) final field.
    if (i >= n && text[n - 1] === delimiter) {
      endRecord();
      return { rows, truncated };
    }
  }
  if (truncated && record.length) rows.push(record);
  return { rows, truncated };
}
