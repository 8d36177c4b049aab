/**
 * `"  code  "` → `["  ", "code", "  "]`: the leading whitespace, the core and the trailing whitespace, so an
 * inline mark (code, emphasis) can wrap the core alone. Linear; a pattern like `^(\s*)([\s\S]*?)(\s*)$` does the
 * same with super-linear backtracking on long runs of spaces.
 */
export function splitEdgeWhitespace(value: string): [lead: string, core: string, trail: string] {
  const start = value.length - value.trimStart().length;
  if (start === value.length) return [value, '', ''];
  const end = value.trimEnd().length;
  return [value.slice(0, start), value.slice(start, end), value.slice(end)];
}

/**
 * `value` without trailing spaces and tabs (other whitespace kept). Linear; `/[ \t]+$/` retries from every
 * space of a run that a non-space ends, quadratic in the run (100 000 spaces: 5 s).
 */
export function trimEndSpaceTab(value: string): string {
  let end = value.length;
  while (end > 0 && (value.charCodeAt(end - 1) === 32 || value.charCodeAt(end - 1) === 9)) end--;
  return end === value.length ? value : value.slice(0, end);
}

/** Every line of `text` (split at `\n`) without trailing spaces and tabs: `/[ \t]+$/gm`, in linear time. */
export function trimLineEnds(text: string): string {
  return text.split('\n').map(trimEndSpaceTab).join('\n');
}

/**
 * `markdown` with each run of blank lines outside fenced code cut to one, and inside fenced code kept as
 * written: blank lines in code are content (PEP 8 puts two between top-level definitions), while elsewhere
 * they only separate blocks. A fence opens on a line whose first non-blank characters are three or more
 * backticks or tildes and closes on one with at least as many of the same character and nothing else
 * (CommonMark 0.31, "Fenced code blocks"); the serializer writes every code block fenced. Linear.
 */
export function collapseBlankLines(markdown: string): string {
  const out: string[] = [];
  let fence: { char: string; length: number } | undefined;
  let blank = false;
  for (const line of markdown.split('\n')) {
    const trimmed = line.trimStart();
    const char = trimmed[0];
    if (char === '`' || char === '~') {
      let length = 0;
      while (trimmed[length] === char) length++;
      if (length >= 3) {
        if (!fence) fence = { char, length };
        else if (char === fence.char && length >= fence.length && trimmed.slice(length).trim() === '')
          fence = undefined;
      }
    }
    const isBlank = line === '';
    if (isBlank && blank && !fence) continue;
    blank = isBlank;
    out.push(line);
  }
  return out.join('\n');
}
