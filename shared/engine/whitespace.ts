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
