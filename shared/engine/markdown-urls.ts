/**
 * mdast-util-to-markdown escapes every URL and e-mail address in text (`http\://www\.example.com`,
 * `name\@example.com`) so GFM will not turn them into autolinks. An autolink shows the same text, so for
 * readers and LLMs the backslashes are only noise. We drop them again where that is provably safe: the
 * whitespace-delimited token holds no other escape or character reference, and what follows it is plain
 * whitespace that stays whitespace (inside the text, or the end of the text before a space or line end).
 * Anything else (a closing emphasis delimiter, an encoded space) could be swallowed into the autolink.
 */
import type { Handle, Info } from 'mdast-util-to-markdown';

const AUTOLINK_ESCAPE = /(?:\b(?:https?|ftp)\\:|\bwww\\\.|\\@)/i;

export function withReadableUrls(text: Handle): Handle {
  return ((node, parent, state, info: Info) => {
    const escaped: string = text(node, parent, state, info);
    if (!AUTOLINK_ESCAPE.test(escaped)) return escaped;
    // A table cell ends at its pipe before inline parsing starts, so a pipe ends the URL as whitespace does.
    const endsClean = info.after === '' || /^[\s|]/.test(info.after);
    return escaped.replace(/\S+/g, (token, offset: number) => {
      if (!AUTOLINK_ESCAPE.test(token)) return token;
      const rest = escaped.slice(offset + token.length);
      if (rest.trim() === '' && !endsClean) return token;
      const plain = token
        .replace(/\b(https?|ftp)\\:/gi, '$1:')
        .replace(/\b(www)\\\./gi, '$1.')
        .replace(/\\@/g, '@');
      return /[\\&<]/.test(plain) ? token : plain;
    });
  }) as Handle;
}
