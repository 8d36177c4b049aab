import { convert } from '../../shared/engine/engine.ts';
import fc from 'fast-check';
import { ConversionError } from '../../shared/engine/errors.ts';
import { buildZip } from '../fixtures/zip-writer.ts';
import {
  buildPptx,
  escapeText,
  graphicFrame,
  group,
  para,
  pic,
  sp,
  tableFrame,
  title,
  type PptxSpec,
} from '../fixtures/pptx.ts';

const toMarkdown = async (spec: PptxSpec, options: Parameters<typeof convert>[1] = {}) =>
  convert(buildPptx(spec), { fileName: 'deck.pptx', ...options });
const body = (paragraphs: string, idx = 1) => sp(paragraphs, { name: 'Content', ph: { idx } });
const textBox = (paragraphs: string, at: { x: number; y: number }, name = 'TextBox') => sp(paragraphs, { name, at });

describe('pptx converter', () => {
  it('follows the slide order of the presentation, not the part names, with one page per slide', async () => {
    const result = await toMarkdown(
      {
        slides: [
          { fileName: 'slide9.xml', shapes: title('First') },
          { fileName: 'slide1.xml', shapes: title('Second') },
          { fileName: 'slide2.xml', shapes: title('Third') },
        ],
      },
      { pageSeparators: true },
    );
    expect(result.markdown).toBe(
      '<!-- page 1 -->\n\n## First\n\n<!-- page 2 -->\n\n## Second\n\n<!-- page 3 -->\n\n## Third\n',
    );
    expect(result.pageCount).toBe(3);
    expect(result.pages?.map((p) => p.page)).toEqual([1, 2, 3]);
    expect(result.title).toBe('First');
  });

  it('makes slide titles headings, ranking title slides and section headers above ordinary slides', async () => {
    const result = await toMarkdown({
      layouts: [{ type: 'title' }, { type: 'obj' }, { type: 'secHead' }],
      slides: [
        { layout: 0, shapes: title('Deck', 'ctrTitle') + sp(para('A subtitle'), { ph: { type: 'subTitle', idx: 1 } }) },
        { layout: 2, shapes: title('Part one') },
        { layout: 1, shapes: title('Details') + body(para('Point')) },
      ],
      title: 'Core title',
    });
    expect(result.markdown).toBe('# Deck\n\nA subtitle\n\n# Part one\n\n## Details\n\n- Point\n');
    expect(result.title).toBe('Core title');
  });

  it('builds nested lists from levels, inheriting bullets for body placeholders but not for text boxes', async () => {
    const result = await toMarkdown({
      slides: [
        {
          shapes:
            title('Lists') +
            body(
              [
                para('Intro', { bullet: 'none' }),
                para('Top'),
                para('Child', { lvl: 1 }),
                para('Grandchild', { lvl: 2 }),
                para('Continuation of top', { lvl: 1, bullet: 'none' }),
                para('Second top'),
              ].join(''),
            ) +
            textBox(para('Plain box text'), { x: 0, y: 5000000 }),
        },
      ],
    });
    expect(result.markdown).toBe(
      [
        '## Lists',
        '',
        'Intro',
        '',
        '- Top',
        '  - Child',
        '    - Grandchild',
        '',
        '  Continuation of top',
        '- Second top',
        '',
        'Plain box text',
        '',
      ].join('\n'),
    );
  });

  it('writes automatic numbering as ordered lists that honour startAt', async () => {
    const result = await toMarkdown({
      slides: [
        {
          shapes: body(
            para('Third', { bullet: 'num', startAt: 3 }) +
              para('Fourth', { bullet: 'num' }) +
              para('Sub', { lvl: 1, bullet: 'char' }),
          ),
        },
      ],
    });
    expect(result.markdown).toBe('3. Third\n4. Fourth\n   - Sub\n');
  });

  it('turns an explicit bullet in a text box into a list, and buNone in a body placeholder into a paragraph', async () => {
    const result = await toMarkdown({
      slides: [
        {
          shapes:
            textBox(para('Boxed bullet', { bullet: 'char' }), { x: 0, y: 0 }) +
            body(para('Not a bullet', { bullet: 'none' })),
        },
      ],
    });
    expect(result.markdown).toBe('- Boxed bullet\n\nNot a bullet\n');
  });

  it('bounds a span by the table grid', async () => {
    const result = await toMarkdown({
      slides: [
        {
          shapes: tableFrame([
            [{ text: 'A', gridSpan: 100000 }, 'B'],
            ['c', 'd'],
          ]),
        },
      ],
    });
    expect(result.markdown).toBe('| A | | B |\n| --- | --- | --- |\n| c | d | |\n');
  });

  it('writes tables with merged cells as rectangular GFM tables', async () => {
    const result = await toMarkdown({
      slides: [
        {
          shapes: tableFrame([
            [{ text: 'Wide header', gridSpan: 2 }, { hMerge: true }, 'C'],
            [{ text: 'Tall', rowSpan: 2 }, 'b1', 'c1'],
            [{ vMerge: true }, 'b2', 'c2'],
          ]),
        },
      ],
    });
    expect(result.markdown).toBe('| Wide header | | C |\n| --- | --- | --- |\n| Tall | b1 | c1 |\n| | b2 | c2 |\n');
  });

  it('keeps speaker notes, introduced and set apart from the slide text', async () => {
    const result = await toMarkdown({
      slides: [
        {
          shapes: title('With notes') + body(para('Visible')),
          notes:
            sp(para('Slide image'), { ph: { type: 'sldImg' } }) +
            sp(para('Say this out loud'), { ph: { type: 'body', idx: 1 } }) +
            sp(para('7'), { ph: { type: 'sldNum', idx: 2 } }),
        },
      ],
    });
    expect(result.markdown).toBe('## With notes\n\n- Visible\n\n> **Notes:**\n>\n> Say this out loud\n');
  });

  it('reads grouped shapes where their group transform puts them on the slide', async () => {
    // The group's child space is scaled and moved: its first child lands at y = 4,000,000, below the text box.
    const grouped = group(
      textBox(para('Inside the group, top'), { x: 0, y: 0 }, 'G1') +
        textBox(para('Inside the group, bottom'), { x: 0, y: 1000 }, 'G2'),
      { off: [0, 4000000], ext: [2000, 2000000], chOff: [0, 0], chExt: [1000, 1000] },
    );
    const result = await toMarkdown({
      slides: [
        {
          shapes:
            grouped +
            textBox(para('Middle of the slide'), { x: 0, y: 3000000 }) +
            textBox(para('Bottom'), { x: 0, y: 5000000 }) +
            textBox(para('Top'), { x: 0, y: 100 }),
        },
      ],
    });
    expect(result.markdown).toBe(
      'Top\n\nMiddle of the slide\n\nInside the group, top\n\nBottom\n\nInside the group, bottom\n',
    );
  });

  it('reads shapes in one row left to right, even when their tops differ slightly', async () => {
    const result = await toMarkdown({
      slides: [
        { shapes: textBox(para('Right'), { x: 5000000, y: 1000000 }) + textBox(para('Left'), { x: 100, y: 1000001 }) },
      ],
    });
    expect(result.markdown).toBe('Left\n\nRight\n');
  });

  it('writes pictures as images with their alt text and file name, never as data', async () => {
    const result = await toMarkdown({
      slides: [
        {
          shapes: pic('rIdImg', { descr: 'A duck on a pond', at: { x: 0, y: 0 } }),
          rels: [{ id: 'rIdImg', type: 'image', target: '../media/duck.png' }],
        },
      ],
      files: [{ name: 'ppt/media/duck.png', data: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]) }],
    });
    expect(result.markdown).toBe('![A duck on a pond](duck.png)\n');
    expect(result.markdown).not.toMatch(/base64|data:/);
  });

  it('embeds picture bytes as a data URI only when asked to', async () => {
    const spec: PptxSpec = {
      slides: [
        {
          shapes: pic('rIdImg', { descr: 'Dot', at: { x: 0, y: 0 } }),
          rels: [{ id: 'rIdImg', type: 'image', target: '../media/dot.png' }],
        },
      ],
      files: [{ name: 'ppt/media/dot.png', data: new Uint8Array([1, 2, 3]) }],
    };
    expect((await toMarkdown(spec, { embedImages: true })).markdown).toBe('![Dot](data:image/png;base64,AQID)\n');
  });

  it('keeps bold, italic and external hyperlinks on runs', async () => {
    const result = await toMarkdown({
      slides: [
        {
          shapes: textBox(
            `<a:p><a:r><a:rPr b="1"/><a:t>Bold </a:t></a:r><a:r><a:rPr i="1"/><a:t>italic</a:t></a:r><a:r><a:rPr/><a:t> and </a:t></a:r>` +
              `<a:r><a:rPr><a:hlinkClick r:id="rIdLink"/></a:rPr><a:t>a link</a:t></a:r></a:p>`,
            { x: 0, y: 0 },
          ),
          rels: [{ id: 'rIdLink', type: 'hyperlink', target: 'https://example.com/a?b=1&c=2', external: true }],
        },
      ],
    });
    expect(result.markdown).toBe('**Bold** *italic* and [a link](https://example.com/a?b=1\\&c=2)\n');
  });

  it('reads monospace text as code: whole paragraphs as one code block, runs as inline code; strikethrough kept', async () => {
    const mono = (t: string) =>
      `<a:p><a:pPr><a:buNone/></a:pPr><a:r><a:rPr><a:latin typeface="Courier New"/></a:rPr><a:t>${escapeText(t)}</a:t></a:r></a:p>`;
    const result = await toMarkdown({
      slides: [
        {
          shapes: body(
            mono('let x = 1;') +
              '<a:p><a:pPr><a:buNone/></a:pPr></a:p>' +
              mono('  x += 1;') +
              `<a:p><a:pPr><a:buNone/></a:pPr><a:r><a:rPr/><a:t>Call </a:t></a:r><a:r><a:rPr><a:latin typeface="Consolas"/></a:rPr><a:t>run()</a:t></a:r>` +
              `<a:r><a:rPr/><a:t> and </a:t></a:r><a:r><a:rPr strike="sngStrike"/><a:t>not this</a:t></a:r></a:p>`,
          ),
        },
      ],
    });
    expect(result.markdown).toBe('```\nlet x = 1;\n\n  x += 1;\n```\n\nCall `run()` and ~~not this~~\n');
  });

  it('writes underline, superscript and subscript as <u>, <sup>, <sub>, and leaves underline off links', async () => {
    const r = (t: string, rPr = '') => `<a:r><a:rPr${rPr}/><a:t>${t}</a:t></a:r>`;
    const result = await toMarkdown({
      slides: [
        {
          shapes: textBox(
            `<a:p>${r('x')}${r('2', ' baseline="30000"')}${r(' + CO')}${r('2', ' baseline="-25000"')}${r(' is ')}${r('key', ' u="sng"')}` +
              `${r(' not ')}${r('this', ' u="none"')}${r(' ')}${r('both', ' b="1" u="dbl"')}${r(' ')}</a:p>` +
              `<a:p><a:r><a:rPr u="sng"><a:hlinkClick r:id="rIdLink"/></a:rPr><a:t>link</a:t></a:r></a:p>`,
            { x: 0, y: 0 },
          ),
          rels: [{ id: 'rIdLink', type: 'hyperlink', target: 'https://example.com/', external: true }],
        },
      ],
    });
    expect(result.markdown).toBe(
      'x<sup>2</sup> + CO<sub>2</sub> is <u>key</u> not this <u>**both**</u>\n\n[link](https://example.com/)\n',
    );
  });

  describe('comments', () => {
    const P = 'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"';
    const P188 = 'xmlns:p188="http://schemas.microsoft.com/office/powerpoint/2018/8/main"';
    const A = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"';
    const MODERN = 'http://schemas.microsoft.com/office/2018/10/relationships/comments';
    const spec: PptxSpec = {
      slides: [
        {
          shapes: title('Budget') + body(para('Numbers')),
          rels: [{ id: 'rIdCm', type: 'comments', target: '../comments/comment1.xml' }],
        },
        {
          shapes: body(para('Untitled slide')),
          rels: [{ id: 'rIdMc', type: MODERN, target: '../comments/modernComment_101_0.xml' }],
        },
      ],
      presentationRels: [
        { id: 'rIdCa', type: 'commentAuthors', target: 'commentAuthors.xml' },
        {
          id: 'rIdAu',
          type: 'http://schemas.microsoft.com/office/2018/10/relationships/authors',
          target: 'authors.xml',
        },
      ],
      files: [
        {
          name: 'ppt/commentAuthors.xml',
          data: `<p:cmAuthorLst ${P}><p:cmAuthor id="0" name="Ana Silva" initials="AS" lastIdx="2" clrIdx="0"/></p:cmAuthorLst>`,
        },
        {
          name: 'ppt/authors.xml',
          data: `<p188:authorLst ${P188}><p188:author id="{A1}" name="Bo Chen" initials="BC"/><p188:author id="{A2}" name="Cy Diaz" initials="CD"/></p188:authorLst>`,
        },
        {
          name: 'ppt/comments/comment1.xml',
          data:
            `<p:cmLst ${P}><p:cm authorId="0" dt="2024-01-01T00:00:00" idx="1"><p:pos x="10" y="10"/><p:text>Check the totals.</p:text></p:cm>` +
            `<p:cm authorId="0" idx="2"><p:pos x="10" y="10"/><p:text>Fonts too</p:text></p:cm></p:cmLst>`,
        },
        {
          name: 'ppt/comments/modernComment_101_0.xml',
          data:
            `<p188:cmLst ${P188} ${A}><p188:cm id="{C1}" authorId="{A1}" created="2024-01-01T00:00:00Z">` +
            `<p188:replyLst><p188:reply id="{R1}" authorId="{A2}"><p188:txBody><a:bodyPr/><a:p><a:r><a:t>Done.</a:t></a:r></a:p></p188:txBody></p188:reply></p188:replyLst>` +
            `<p188:txBody><a:bodyPr/><a:p><a:r><a:t>Add a title</a:t></a:r></a:p><a:p><a:r><a:t>please.</a:t></a:r></a:p></p188:txBody></p188:cm></p188:cmLst>`,
        },
      ],
    };

    it('leaves comments out by default', async () => {
      expect((await toMarkdown(spec)).markdown).toBe('## Budget\n\n- Numbers\n\n---\n\n- Untitled slide\n');
    });

    it('links legacy and modern comments from the slide to footnotes at the end of that slide, with authors and replies', async () => {
      const result = await toMarkdown(spec, { comments: true, pageSeparators: true });
      expect(result.markdown).toBe(
        '<!-- page 1 -->\n\n## Budget[^c1][^c2]\n\n- Numbers\n\n[^c1]: **Ana Silva:** Check the totals.\n\n[^c2]: **Ana Silva:** Fonts too\n\n' +
          '<!-- page 2 -->\n\n---\n\nComments:[^c3]\n\n- Untitled slide\n\n[^c3]: **Bo Chen:** Add a title please.\n\n    **Cy Diaz:** Done.\n',
      );
    });
  });

  it('writes equations (a14:m in the mc:Choice branch) as LaTeX, display math when alone, never the fallback picture', async () => {
    const M = 'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"';
    const mr = (t: string) =>
      `<m:r><a:rPr lang="en-US" i="1"><a:latin typeface="Cambria Math"/></a:rPr><m:t>${t}</m:t></m:r>`;
    const frac = `<m:f><m:num>${mr('a')}</m:num><m:den>${mr('b')}</m:den></m:f>`;
    const sup = `<m:sSup><m:e>${mr('x')}</m:e><m:sup>${mr('2')}</m:sup></m:sSup>`;
    const equation =
      `<a:p><a14:m><m:oMathPara ${M}><m:oMathParaPr><m:jc m:val="centerGroup"/></m:oMathParaPr><m:oMath>${sup}${mr('=')}${frac}</m:oMath></m:oMathPara></a14:m><a:endParaRPr lang="en-US"/></a:p>` +
      `<a:p><a:r><a:rPr lang="en-US"/><a:t>where </a:t></a:r><a14:m><m:oMath ${M}>${mr('b≠0')}</m:oMath></a14:m><a:r><a:rPr lang="en-US"/><a:t> always</a:t></a:r></a:p>`;
    const alternate =
      '<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:a14="http://schemas.microsoft.com/office/drawing/2010/main">' +
      `<mc:Choice Requires="a14">${textBox(equation, { x: 0, y: 0 }, 'TextBox 3')}</mc:Choice>` +
      `<mc:Fallback>${pic('rIdEqImg', { at: { x: 0, y: 0 } })}</mc:Fallback></mc:AlternateContent>`;
    const result = await toMarkdown({
      slides: [{ shapes: alternate, rels: [{ id: 'rIdEqImg', type: 'image', target: '../media/image1.png' }] }],
    });
    expect(result.markdown).toBe('$$\nx^{2}=\\frac{a}{b}\n$$\n\nwhere $b \\neq 0$ always\n');
  });

  it('writes a chart with cached values as a table of its data', async () => {
    const point = (i: number, v: string) => `<c:pt idx="${i}"><c:v>${escapeText(v)}</c:v></c:pt>`;
    const ser = (name: string, values: string[]) =>
      `<c:ser><c:tx><c:strRef><c:strCache>${point(0, name)}</c:strCache></c:strRef></c:tx>` +
      `<c:cat><c:strRef><c:strCache><c:ptCount val="2"/>${point(0, 'Q1')}${point(1, 'Q2')}</c:strCache></c:strRef></c:cat>` +
      `<c:val><c:numRef><c:numCache><c:ptCount val="2"/>${values.map((v, i) => point(i, v)).join('')}</c:numCache></c:numRef></c:val></c:ser>`;
    const chart =
      '<?xml version="1.0"?><c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">' +
      '<c:chart><c:title><c:tx><c:rich><a:p><a:r><a:t>Sales</a:t></a:r></a:p></c:rich></c:tx></c:title>' +
      `<c:plotArea><c:barChart>${ser('North', ['10', '12'])}${ser('South', ['7', '9'])}</c:barChart></c:plotArea></c:chart></c:chartSpace>`;
    const result = await toMarkdown({
      slides: [
        {
          shapes: graphicFrame(
            'http://schemas.openxmlformats.org/drawingml/2006/chart',
            '<c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" r:id="rIdChart"/>',
          ),
          rels: [{ id: 'rIdChart', type: 'chart', target: '../charts/chart1.xml' }],
        },
      ],
      files: [{ name: 'ppt/charts/chart1.xml', data: chart }],
    });
    expect(result.markdown).toBe(
      'Sales\n\n| | North | South |\n| --- | --- | --- |\n| Q1 | 10 | 7 |\n| Q2 | 12 | 9 |\n',
    );
  });

  it('takes one branch of mc:AlternateContent only', async () => {
    const alternate =
      '<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">' +
      `<mc:Choice Requires="p14">${textBox(para('Rich version'), { x: 0, y: 0 })}</mc:Choice>` +
      `<mc:Fallback>${textBox(para('Fallback version'), { x: 0, y: 0 })}</mc:Fallback></mc:AlternateContent>`;
    const result = await toMarkdown({ slides: [{ shapes: alternate }] });
    expect(result.markdown).toBe('Rich version\n');
  });

  it('leaves hidden slides out while keeping slide numbers and the slide count', async () => {
    const result = await toMarkdown({
      slides: [{ shapes: title('Shown') }, { shapes: title('Hidden'), hidden: true }, { shapes: title('Also shown') }],
    });
    expect(result.markdown).toBe('## Shown\n\n## Also shown\n');
    expect(result.pages?.map((p) => p.page)).toEqual([1, 3]);
    expect(result.pageCount).toBe(3);
  });

  it('marks where an untitled slide starts and converts only the requested slides', async () => {
    const spec = {
      slides: [
        { shapes: title('One') },
        { shapes: body(para('Untitled', { bullet: 'none' })) },
        { shapes: title('Three') },
      ],
    };
    expect((await toMarkdown(spec)).markdown).toBe('## One\n\n---\n\nUntitled\n\n## Three\n');
    expect((await toMarkdown(spec, { pages: { first: 3, last: 3 } })).markdown).toBe('## Three\n');
  });

  it('skips repeating footer, date and slide-number placeholders', async () => {
    const result = await toMarkdown({
      slides: [
        {
          shapes:
            title('Real') +
            sp(para('Confidential'), { ph: { type: 'ftr', idx: 11 } }) +
            sp(para('12'), { ph: { type: 'sldNum', idx: 12 } }),
        },
      ],
    });
    expect(result.markdown).toBe('## Real\n');
  });

  it('rejects a DOCTYPE in a package part as corrupt', async () => {
    const bytes = buildPptx({
      slides: [{ shapes: title('x') }],
      presentationPrologue: '<!DOCTYPE p:presentation [<!ENTITY boom "boom">]>',
    });
    await expect(convert(bytes, { fileName: 'deck.pptx' })).rejects.toMatchObject({ code: 'corrupt' });
  });

  it('refuses a presentation without slides, and a package without a presentation part', async () => {
    await expect(toMarkdown({ slides: [] })).rejects.toMatchObject({ code: 'empty' });
    const types =
      '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Override PartName="/ppt/presentation.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/></Types>';
    const error = await convert(buildZip([{ name: '[Content_Types].xml', data: types }]), {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConversionError);
    expect((error as ConversionError).code).toBe('corrupt');
  });

  it('stops with too_large when a slide or its layout inflates past the entry limit', async () => {
    const padding = `<p:sp><p:nvSpPr><p:cNvPr id="9" name="${'x'.repeat(200_000)}"/><p:cNvSpPr/><p:nvPr/></p:nvSpPr></p:sp>`;
    const limits = { maxEntryBytes: 100_000 };
    const bigSlide = buildPptx({ slides: [{ shapes: title('Fine') }, { shapes: padding }] });
    await expect(convert(bigSlide, { fileName: 'deck.pptx' }, { limits })).rejects.toMatchObject({ code: 'too_large' });
    const bigLayout = buildPptx({ layouts: [{ type: 'obj', shapes: padding }], slides: [{ shapes: title('Fine') }] });
    await expect(convert(bigLayout, { fileName: 'deck.pptx' }, { limits })).rejects.toMatchObject({
      code: 'too_large',
    });
  });

  it('warns about an unreadable slide and still converts the others', async () => {
    const bytes = buildPptx({ slides: [{ shapes: title('Good') }, { shapes: '<p:sp><broken' }] });
    const result = await convert(bytes, { fileName: 'deck.pptx' });
    expect(result.markdown).toBe('## Good\n');
    expect(result.warnings.map((w) => [w.code, w.page])).toEqual([['page_failed', 2]]);
  });
});

describe('pptx converter on damaged input', () => {
  const valid = buildPptx({
    slides: [
      {
        shapes:
          title('Robust') +
          body(para('One') + para('Two', { lvl: 1 })) +
          tableFrame([
            ['a', 'b'],
            ['c', 'd'],
          ]),
        notes: sp(para('Note'), { ph: { type: 'body', idx: 1 } }),
      },
      {
        shapes: group(textBox(para('Grouped'), { x: 1, y: 1 }), {
          off: [0, 0],
          ext: [10, 10],
          chOff: [0, 0],
          chExt: [10, 10],
        }),
      },
    ],
  });

  it('either converts or throws a typed error when bytes are flipped or the file is cut', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat({ max: valid.length - 1 }), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.option(fc.nat({ max: valid.length }), { nil: undefined }),
        async (flips, cut) => {
          const bytes = valid.slice(0, cut ?? valid.length);
          for (const [at, value] of flips) if (at < bytes.length) bytes[at] = value;
          try {
            const result = await convert(bytes, { fileName: 'deck.pptx' });
            expect(typeof result.markdown).toBe('string');
          } catch (error) {
            expect(error).toBeInstanceOf(ConversionError);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
