import { convert } from '../../shared/engine/engine.ts';
import { formatJson } from '../../shared/engine/formats/text/json-format.ts';

const enc = (s: string) => new TextEncoder().encode(s);

describe('text converter: plain text', () => {
  it('splits paragraphs at blank lines and keeps line breaks inside them', async () => {
    const result = await convert(enc('First line\r\nsecond line\r\n\r\n  \r\nNext paragraph.\n'));
    expect(result.format).toBe('text');
    expect(result.markdown).toBe('First line\\\nsecond line\n\nNext paragraph.\n');
  });

  it('escapes Markdown syntax that plain text only happens to contain', async () => {
    const result = await convert(enc('Price *not* final\n\n# not a heading, just a hash\n'), { fileName: 'notes.txt' });
    expect(result.markdown).toContain('\\*not\\*');
    expect(result.markdown).toContain('\\# not a heading');
  });

  it('warns when the encoding was guessed, and decodes windows-1252', async () => {
    const bytes = new Uint8Array([
      ...enc('Caf'),
      0xe9,
      ...enc(' au lait, s'),
      0x92,
      ...enc('il vous pla'),
      0xee,
      ...enc('t.'),
    ]);
    const result = await convert(bytes);
    expect(result.markdown).toBe('Café au lait, s’il vous plaît.\n');
    expect(result.warnings.map((w) => w.code)).toContain('encoding_guessed');
  });

  it('refuses whitespace-only text as empty', async () => {
    await expect(convert(enc(' \n\t\n  '))).rejects.toMatchObject({ code: 'empty' });
  });
});

describe('text converter: Markdown', () => {
  it('re-serializes Markdown with the shared rules (GFM tables, lists, headings)', async () => {
    const md = '# Title\n\nSome *text*.\n\n* one\n* two\n\n|a|b|\n|-|-|\n|1|2|\n';
    const result = await convert(enc(md), { fileName: 'doc.md' });
    expect(result.markdown).toBe('# Title\n\nSome *text*.\n\n- one\n- two\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n');
    expect(result.title).toBe('Title');
  });

  it('keeps YAML front matter as a yaml block and takes its title', async () => {
    const md = '---\ntitle: "Release notes"\ndate: 2024-01-01\n---\n\nBody text.\n';
    const result = await convert(enc(md), { fileName: 'notes.md' });
    expect(result.markdown).toBe('```yaml\ntitle: "Release notes"\ndate: 2024-01-01\n```\n\nBody text.\n');
    expect(result.title).toBe('Release notes');
  });
});

describe('text converter: JSON', () => {
  it('pretty-prints JSON in a fence without changing any value', async () => {
    const result = await convert(enc('{"id":12345678901234567890,"ratio":1.0,"tags":["a","b"],"empty":{}}'));
    expect(result.format).toBe('json');
    expect(result.markdown).toBe(
      '```json\n{\n  "id": 12345678901234567890,\n  "ratio": 1.0,\n  "tags": [\n    "a",\n    "b"\n  ],\n  "empty": {}\n}\n```\n',
    );
  });

  it('lays out JSON Lines one value after another', () => {
    expect(formatJson('{"a":1}\n{"b":"x}"}\n')).toBe('{\n  "a": 1\n}\n\n{\n  "b": "x}"\n}');
  });

  it('keeps JSON nested too deeply to re-indent as written, with a warning, instead of building 195 MB', async () => {
    const deep = '[' + Array.from({ length: 10_000 }, () => '['.repeat(100) + ']'.repeat(100)).join(',') + ']';
    const result = await convert(enc(deep), { fileName: 'deep.json' });
    expect(result.format).toBe('json');
    expect(result.markdown).toBe('```json\n' + deep + '\n```\n');
    expect(result.warnings.map((w) => w.code)).toEqual(['unsupported_content']);
  });

  it('reads 2 MB of unbalanced brackets as text without parsing it as JSON', async () => {
    const result = await convert(enc('['.repeat(2 << 20)), { fileName: 'brackets.txt' });
    expect(result.format).toBe('text');
    expect(result.markdown).toBe('\\['.repeat(2 << 20) + '\n');
    // Balanced JSON whose strings hold brackets is still JSON.
    expect((await convert(enc('{"a":"]]","b":["[\\"]"]}'))).format).toBe('json');
  });

  it('chooses a longer fence when the JSON holds backticks', async () => {
    const result = await convert(enc('{"md":"```code```"}'));
    expect(result.markdown.startsWith('````json\n')).toBe(true);
  });
});

describe('Markdown input with math', () => {
  it('keeps $…$ and $$…$$ as math instead of escaping the dollars', async () => {
    const { convert } = await import('../../shared/engine/engine.ts');
    const source = 'Euler: $e^{i\\pi}+1=0$ and\n\n$$\n\\int_0^1 x\\,dx\n$$\n';
    const result = await convert(new TextEncoder().encode(source), { fileName: 'notes.md' });
    expect(result.markdown).toBe(source);
  });
});

describe('text converter: cost of long whitespace runs', () => {
  // Runs of 100 000 spaces, each ended by a letter, to 2 MB: a pattern like /\s+$/ retries from every space of
  // a run (quadratic: about 5 s per run). Timed against 2 MB of ordinary prose in the same test, as a ratio,
  // because the machine's speed varies; the lint rule regexp/no-super-linear-move guards the patterns.
  const MB2 = 2 * 1024 * 1024;
  const runs = ('x' + ' '.repeat(100_000)).repeat(Math.ceil(MB2 / 100_001)).slice(0, MB2) + 'y';
  const prose = 'The quick brown fox jumps over the lazy dog, twice.\n'.repeat(Math.ceil(MB2 / 52)).slice(0, MB2);
  const time = async (text: string) => {
    const start = performance.now();
    const result = await convert(enc(text), { fileName: 'a.txt' });
    return { ms: performance.now() - start, markdown: result.markdown };
  };

  it('converts 2 MB of space runs about as fast as 2 MB of prose, keeping the words', async () => {
    await time(prose.slice(0, 10_000)); // warm the modules
    const normal = await time(prose);
    const spaces = await time(runs);
    expect(spaces.markdown.startsWith('x x x')).toBe(true);
    expect(spaces.markdown.trimEnd().endsWith('y')).toBe(true);
    expect(spaces.ms).toBeLessThan(3 * normal.ms + 500);
  }, 60_000);

  it('trims trailing whitespace as before (the output of the former patterns)', async () => {
    const result = await convert(enc('one  \t\ntwo\u00a0 \n\n\nthree  \n'), { fileName: 'a.txt' });
    expect(result.markdown).toBe('one \\\ntwo\n\nthree\n');
  });
});
