/**
 * HTML bytes → string. Order of authority follows the HTML spec's encoding sniffing, with the `charset`
 * option in the place ConvertOptions gives it: a BOM wins, then a `<meta charset>` / `http-equiv` declaration
 * in the first 1024 bytes, then the `charset` option, then the shared content-based detection
 * (`text-decode.ts`). A declaration naming an unknown charset, or claiming UTF-8 for bytes that are not,
 * is ignored and the page goes on to the next rule.
 */
import { decodeText, decodeWith, type DecodedText } from '../../text-decode.ts';

const PRESCAN_BYTES = 1024;

export function decodeHtml(bytes: Uint8Array, options: { charset?: string } = {}): DecodedText {
  const hasBom =
    (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) ||
    (bytes[0] === 0xff && bytes[1] === 0xfe) ||
    (bytes[0] === 0xfe && bytes[1] === 0xff);
  if (!hasBom) {
    const declared = declaredCharset(bytes);
    if (declared) {
      const text = decodeAs(bytes, declared);
      if (text !== undefined) return { text, encoding: declared, guessed: false };
    }
  }
  return decodeText(bytes, options);
}

/** The charset a `<meta>` in the first bytes declares, if any. ASCII-only scan, bounded input, no backtracking. */
function declaredCharset(bytes: Uint8Array): string | undefined {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, PRESCAN_BYTES)).toLowerCase();
  let from = 0;
  for (;;) {
    const at = head.indexOf('<meta', from);
    if (at < 0) return undefined;
    const end = head.indexOf('>', at);
    const tag = head.slice(at, end < 0 ? undefined : end);
    const m = /charset\s*=\s*["']?([a-z0-9_.:-]{1,40})/.exec(tag);
    if (m) return m[1];
    from = at + 5;
  }
}

function decodeAs(bytes: Uint8Array, label: string): string | undefined {
  // A page that says UTF-16 in an ASCII-compatible meta cannot be UTF-16 (the spec maps it to UTF-8).
  const effective = /^utf-?16/.test(label) ? 'utf-8' : label;
  if (effective === 'utf-8' || effective === 'utf8') {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      // A page that lies about being UTF-8: fall back to content sniffing.
      return undefined;
    }
  }
  return decodeWith(bytes, effective);
}
