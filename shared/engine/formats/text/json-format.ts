/**
 * Re-indent JSON without parsing it into numbers: `JSON.stringify(JSON.parse(x))` rounds big integers
 * (12345678901234567890 → 12345678901234567000), rewrites `1.0` as `1` and silently drops duplicate keys.
 * This walks the tokens and only changes whitespace, so every value stays byte-for-byte what the file said.
 * Works on JSON Lines too (each value is laid out in turn, separated by a blank line).
 */
export function formatJson(source: string, indent = '  '): string {
  return formatJsonWithin(source, Infinity, indent)!;
}

/**
 * `formatJson`, or undefined as soon as the result passes `maxLength` UTF-16 code units: each line is indented
 * by its depth, so deep nesting multiplies the size (2 MB of arrays nested 100 deep would become 195 MB, built
 * in 32 s before the result cap refused it).
 */
export function formatJsonWithin(source: string, maxLength: number, indent = '  '): string | undefined {
  let out = '';
  let depth = 0;
  let i = 0;
  const n = source.length;
  const newline = () => '\n' + indent.repeat(depth);
  while (i < n) {
    const c = source[i];
    if (c === '"') {
      // A string token, escapes included, copied as is.
      let j = i + 1;
      while (j < n && source[j] !== '"') j += source[j] === '\\' ? 2 : 1;
      out += source.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      const next = nextSignificant(source, i + 1);
      if (source[next] === close) {
        out += c + close;
        i = next + 1;
        continue;
      }
      depth++;
      out += c + newline();
    } else if (c === '}' || c === ']') {
      depth = Math.max(0, depth - 1);
      out += newline() + c;
    } else if (c === ',') {
      out += ',' + newline();
    } else if (c === ':') {
      out += ': ';
    } else {
      // A number, literal or (in invalid input) anything else: copy up to the next structural character.
      let j = i;
      while (j < n && !' \t\n\r{}[],:"'.includes(source[j])) j++;
      if (depth === 0 && out && !out.endsWith('\n')) out += '\n\n';
      out += source.slice(i, j);
      i = j;
      continue;
    }
    if (out.length > maxLength) return undefined;
    i++;
    // Top-level values one after another (JSON Lines): a blank line between them.
    if (depth === 0 && (c === '}' || c === ']')) {
      const next = nextSignificant(source, i);
      if (next < n && source[next] !== ',') out += '\n\n';
    }
  }
  return out.trim();
}

function nextSignificant(source: string, from: number): number {
  let i = from;
  while (i < source.length && /\s/.test(source[i])) i++;
  return i;
}
