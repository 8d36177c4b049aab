/**
 * Properties that must hold for any input: the engine answers with a result or a typed error within its
 * budget (run through the sandbox, so a hang or a blow-up is caught, not suffered), and the serializer's
 * escaping survives a round trip through a CommonMark + GFM parser.
 */
import fc from 'fast-check';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';
import type { Nodes, Root } from 'mdast';
import { createConverterPool, type ConverterPool } from '../../shared/engine/sandbox.ts';
import { ConversionError } from '../../shared/engine/errors.ts';
import { serialize } from '../../shared/engine/markdown.ts';
import {
  cell,
  heading,
  link,
  paragraph,
  root,
  row,
  table,
  text,
  emphasis,
  strong,
  listItem,
  list,
} from '../../shared/engine/mdast.ts';
import { buildZip } from '../fixtures/zip-writer.ts';

const BUDGET_MS = 20_000;
const CODES = ['unsupported_format', 'corrupt', 'encrypted', 'too_large', 'empty', 'internal'];

describe('any bytes give a result or a typed error, in budget', () => {
  let pool: ConverterPool;
  beforeAll(() => {
    pool = createConverterPool({ size: 2, timeoutMs: BUDGET_MS, maxMemoryMb: 512, ocr: false });
  });
  afterAll(() => pool.close());

  /** The property itself: resolve with Markdown, or reject with a ConversionError that is not a timeout. */
  async function answersInBudget(bytes: Uint8Array): Promise<void> {
    const started = performance.now();
    try {
      const result = await pool.convert(bytes.slice(), { fileName: 'input' });
      expect(typeof result.markdown).toBe('string');
      expect(Array.isArray(result.warnings)).toBe(true);
    } catch (error) {
      if (!(error instanceof ConversionError)) throw new Error(`untyped failure: ${String(error)}`, { cause: error });
      if (!CODES.includes(error.code)) throw new Error(`unexpected ${error.code}: ${error.message}`, { cause: error });
    }
    expect(performance.now() - started).toBeLessThan(BUDGET_MS);
  }

  const withPrefix = (prefix: Uint8Array) => fc.uint8Array({ maxLength: 2048 }).map((tail) => concat(prefix, tail));
  const ascii = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));

  it('arbitrary bytes', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), answersInBudget), { numRuns: 60 });
  });

  it('arbitrary bytes behind a PDF header', async () => {
    await fc.assert(fc.asyncProperty(withPrefix(ascii('%PDF-1.7\n')), answersInBudget), { numRuns: 30 });
  });

  it('arbitrary bytes behind a ZIP local header', async () => {
    await fc.assert(fc.asyncProperty(withPrefix(ascii('PK\x03\x04\x14\x00\x00\x00\x08\x00')), answersInBudget), {
      numRuns: 30,
    });
  });

  it('OOXML and EPUB containers with arbitrary parts', async () => {
    const kinds = [
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml',
      'application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml',
    ];
    const part = fc.oneof(
      fc.uint8Array({ maxLength: 1024 }),
      fc.string({ maxLength: 400 }).map((s) => `<?xml version="1.0"?>${s}`),
    );
    const container = fc
      .record({
        kind: fc.constantFrom(...kinds, 'epub'),
        main: part,
        extra: part,
        mangle: fc.option(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { nil: undefined }),
      })
      .map(({ kind, main, extra, mangle }) => {
        const files =
          kind === 'epub'
            ? [
                { name: 'mimetype', data: 'application/epub+zip', store: true },
                {
                  name: 'META-INF/container.xml',
                  data: '<?xml version="1.0"?><container xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf"/></rootfiles></container>',
                },
                { name: 'OEBPS/content.opf', data: main },
                { name: 'OEBPS/ch1.xhtml', data: extra },
              ]
            : [
                {
                  name: '[Content_Types].xml',
                  data: `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/main.xml" ContentType="${kind}"/></Types>`,
                },
                {
                  name: '_rels/.rels',
                  data: '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="main.xml"/></Relationships>',
                },
                { name: 'main.xml', data: main },
                { name: 'word/document.xml', data: extra },
                { name: 'ppt/presentation.xml', data: extra },
                { name: 'xl/workbook.xml', data: extra },
              ];
        const zip = buildZip(files);
        if (mangle) zip[mangle[0] % zip.length] = mangle[1];
        return zip;
      });
    await fc.assert(fc.asyncProperty(container, answersInBudget), { numRuns: 40 });
  });

  it('arbitrary bytes behind an OLE compound-file header', async () => {
    const header = new Uint8Array(512);
    header.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    header.set([0x3e, 0x00, 0x03, 0x00, 0xfe, 0xff, 0x09, 0x00, 0x06, 0x00], 24); // version 3, little-endian, 512-byte sectors
    const cfb = fc
      .tuple(fc.uint8Array({ minLength: 512 - 34, maxLength: 512 - 34 }), fc.uint8Array({ maxLength: 4096 }))
      .map(([rest, body]) => {
        const h = header.slice();
        h.set(rest, 34);
        return concat(h, body);
      });
    await fc.assert(fc.asyncProperty(cfb, answersInBudget), { numRuns: 30 });
  });
});

describe('Markdown escaping round-trips through a CommonMark + GFM parser', () => {
  /** Characters that mean something in Markdown, GFM or HTML, plus whitespace and anything Unicode. */
  const tricky = fc.string({
    unit: fc.oneof(
      {
        weight: 3,
        arbitrary: fc.constantFrom(
          ...'\\`*_{}[]()<>#+-.!|~&$:;"\'=^@/%?\t \n1'.split(''),
          '&amp;',
          '&#42;',
          '- ',
          '1. ',
          '> ',
          '```',
          '---',
          '===',
          'http://x.y',
          'www.a.io',
          '<div>',
          '<!--',
          '[^1]',
          '![a](b)',
          '[x]: y',
        ),
      },
      { weight: 2, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 3 }) },
    ),
    maxLength: 24,
  });

  /** What the serializer promises to keep: the text, with control characters dropped and whitespace collapsed. */
  const normalize = (s: string) =>
    s
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufeff]/g, '')
      .replace(/\s+/g, ' ')
      .trim();

  function plainText(tree: Root): string {
    const parts: string[] = [];
    const visit = (node: Nodes) => {
      if (node.type === 'text' || node.type === 'inlineCode') parts.push(node.value);
      else if (node.type === 'break') parts.push(' ');
      else if ('children' in node) {
        const block = !['emphasis', 'strong', 'delete', 'link', 'linkReference'].includes(node.type);
        if (block) parts.push(' ');
        for (const c of node.children) visit(c as Nodes);
        if (block) parts.push(' ');
      } else if (node.type === 'html') {
        parts.push(node.value === '<br>' ? ' ' : node.value);
      }
    };
    visit(tree);
    return normalize(parts.join(''));
  }

  const parse = (markdown: string) =>
    fromMarkdown(markdown, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });

  function roundTrips(build: (s: string[]) => Root, count: number) {
    return fc.property(fc.array(tricky, { minLength: count, maxLength: count }), (strings) => {
      const { markdown } = serialize(build(strings));
      const back = plainText(parse(markdown));
      expect({ markdown, text: back }).toEqual({
        markdown,
        text: normalize(strings.map(normalize).filter(Boolean).join(' ')),
      });
    });
  }

  it('in paragraphs', () => {
    fc.assert(
      roundTrips(([a]) => root([paragraph([text(a)])]), 1),
      { numRuns: 400 },
    );
  });

  it('in headings', () => {
    fc.assert(
      roundTrips(([a]) => root([heading(2, [text(a)])]), 1),
      { numRuns: 300 },
    );
  });

  it('in table cells', () => {
    fc.assert(
      roundTrips(
        ([a, b, c, d]) =>
          root([table([row([cell([text(a)]), cell([text(b)])]), row([cell([text(c)]), cell([text(d)])])])]),
        4,
      ),
      { numRuns: 500 },
    );
  });

  it('in link text, emphasis and list items', () => {
    fc.assert(
      roundTrips(
        ([a, b, c, d]) =>
          root([
            paragraph([
              link('https://example.com/x', [text(a)]),
              text(' '),
              emphasis([text(b)]),
              text(' '),
              strong([text(c)]),
            ]),
            list(false, [listItem([paragraph([text(d)])])]),
          ]),
        4,
      ),
      { numRuns: 300 },
    );
  });

  it('for a few known troublemakers', () => {
    for (const s of [
      '# not a heading',
      '1. not a list',
      '| a | b |',
      '*not emphasis*',
      '[not](a link)',
      '<b>not html</b>',
      'a\\',
      '`tick',
      '---',
      '&copy; &amp;',
      '~~no~~',
      '$x$',
      'www.example.com',
    ]) {
      const { markdown } = serialize(root([paragraph([text(s)])]));
      expect({ s, back: plainText(parse(markdown)) }).toEqual({ s, back: s });
    }
  });
});

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
