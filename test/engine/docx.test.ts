import { convert } from '../../shared/engine/engine.ts';
import { ConversionError } from '../../shared/engine/errors.ts';
import type { ConvertOptions } from '../../shared/engine/types.ts';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  buildDocx,
  chartPart,
  CHART_URI,
  DIAGRAM_URI,
  graphicDrawing,
  checkBoxField,
  checkboxControl,
  formField,
  numbered,
  p,
  paragraphStyle,
  run,
  styled,
  NS,
  type DocxSpec,
} from '../fixtures/docx.ts';

async function md(spec: DocxSpec, options: ConvertOptions = {}): Promise<string> {
  return (await convert(buildDocx(spec), options)).markdown;
}

async function errorCode(bytes: Uint8Array): Promise<string | undefined> {
  try {
    await convert(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(ConversionError);
    return (error as ConversionError).code;
  }
  return undefined;
}

const HEADING_STYLES =
  paragraphStyle('Title', 'Title') +
  paragraphStyle('Heading1', 'heading 1') +
  paragraphStyle('Kop2', 'heading 2') + // localized id, English name
  paragraphStyle('MyChapter', 'My Chapter', '<w:basedOn w:val="Heading1"/>') +
  paragraphStyle('Outline3', 'Outline Three', '<w:pPr><w:outlineLvl w:val="2"/></w:pPr>');

describe('docx headings', () => {
  it('reads headings by style id and name, through basedOn chains and outline levels, below a Title', async () => {
    const out = await md({
      styles: HEADING_STYLES,
      body:
        styled('Title', 'Doc') +
        styled('Heading1', 'One') +
        styled('Kop2', 'Two') +
        styled('MyChapter', 'Chapter') +
        styled('Outline3', 'Three') +
        p('Direct', '<w:outlineLvl w:val="0"/>') +
        p('Body text'),
    });
    expect(out).toBe('# Doc\n\n## One\n\n### Two\n\n## Chapter\n\n#### Three\n\n## Direct\n\nBody text\n');
  });

  it('puts Heading 1 at level one when there is no Title, and does not bold heading text from the style', async () => {
    const out = await md({
      styles: paragraphStyle('Heading1', 'heading 1', '<w:rPr><w:b/></w:rPr>'),
      body: styled('Heading1', 'Intro') + p('Text'),
    });
    expect(out).toBe('# Intro\n\nText\n');
  });
});

const NUMBERING = `
<w:abstractNum w:abstractNumId="0">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="bullet"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/></w:lvl></w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
<w:num w:numId="3"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
<w:num w:numId="4"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="7"/></w:lvlOverride></w:num>`;

describe('docx lists', () => {
  it('nests bullets under numbered items and tells ordered from bullet by numFmt', async () => {
    const out = await md({
      numbering: NUMBERING,
      body:
        numbered(1, 0, 'First') +
        numbered(1, 1, 'Sub a') +
        numbered(1, 1, 'Sub b') +
        numbered(1, 0, 'Second') +
        p('Between') +
        numbered(2, 0, 'Bullet'),
    });
    expect(out).toBe('1. First\n   - Sub a\n   - Sub b\n2. Second\n\nBetween\n\n- Bullet\n');
  });

  // Two adjacent ordered lists need different delimiters in CommonMark, hence `1)`.
  it('continues numbering across an interruption and restarts on a start override', async () => {
    const out = await md({
      numbering: NUMBERING,
      body:
        numbered(1, 0, 'a') +
        numbered(1, 0, 'b') +
        p('Pause') +
        numbered(1, 0, 'c') +
        numbered(3, 0, 'again') +
        p('Pause') +
        numbered(4, 0, 'seven'),
    });
    expect(out).toBe('1. a\n2. b\n\nPause\n\n3. c\n\n1) again\n\nPause\n\n7. seven\n');
  });

  it('applies a level override that replaces the level format', async () => {
    const numbering =
      NUMBERING +
      '<w:num w:numId="5"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:lvl w:ilvl="0"><w:start w:val="4"/><w:numFmt w:val="lowerLetter"/></w:lvl></w:lvlOverride></w:num>';
    expect(await md({ numbering, body: numbered(5, 0, 'x') + numbered(5, 0, 'y') })).toBe('4. x\n5. y\n');
  });
});

describe('docx inline formatting and links', () => {
  it('maps bold, italic, strike and monospace runs, keeping spaces outside the markers', async () => {
    const body =
      '<w:p><w:r><w:t xml:space="preserve">Plain </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">bold </w:t></w:r>' +
      '<w:r><w:rPr><w:i/></w:rPr><w:t>it</w:t></w:r><w:r><w:t xml:space="preserve"> </w:t></w:r><w:r><w:rPr><w:strike/></w:rPr><w:t>gone</w:t></w:r>' +
      '<w:r><w:t xml:space="preserve"> call </w:t></w:r><w:r><w:rPr><w:rFonts w:ascii="Courier New"/></w:rPr><w:t>printf</w:t></w:r>' +
      '<w:r><w:rPr><w:b w:val="0"/></w:rPr><w:t xml:space="preserve"> not bold</w:t></w:r></w:p>';
    expect(await md({ body })).toBe('Plain **bold** *it* ~~gone~~ call `printf` not bold\n');
  });

  it('nests bold italics inside one bold span and ignores monospace for a paragraph set wholly in a typewriter face', async () => {
    const run = (t: string, rPr: string) => `<w:r><w:rPr>${rPr}</w:rPr><w:t xml:space="preserve">${t}</w:t></w:r>`;
    const body =
      `<w:p>${run('bold ', '<w:b/>')}${run('bold italics', '<w:b/><w:i/>')}</w:p>` +
      `<w:p>${run('Typewriter prose for a vintage look', '<w:rFonts w:ascii="Courier New"/>')}</w:p>`;
    expect(await md({ body })).toBe('**bold _bold italics_**\n\nTypewriter prose for a vintage look\n');
  });

  it('resolves hyperlinks through relationships and anchors, and drops javascript: targets', async () => {
    const body =
      '<w:p><w:hyperlink r:id="rIdL"><w:r><w:t>site</w:t></w:r></w:hyperlink><w:r><w:t xml:space="preserve"> and </w:t></w:r>' +
      '<w:hyperlink w:anchor="sec"><w:r><w:t>section</w:t></w:r></w:hyperlink><w:r><w:t xml:space="preserve"> and </w:t></w:r>' +
      '<w:hyperlink r:id="rIdJ"><w:r><w:t>evil</w:t></w:r></w:hyperlink></w:p>';
    const out = await md({
      body,
      rels: [
        { id: 'rIdL', type: 'hyperlink', target: 'https://example.com/a', external: true },
        { id: 'rIdJ', type: 'hyperlink', target: 'javascript:alert(1)', external: true },
      ],
    });
    expect(out).toBe('[site](https://example.com/a) and [section](#sec) and evil\n');
  });

  it('keeps field results, drops field instructions, and links HYPERLINK fields', async () => {
    const body =
      '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> HYPERLINK "https://x.org/" </w:instrText></w:r>' +
      '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>x.org</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>' +
      '<w:r><w:t xml:space="preserve"> page </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r>' +
      '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>';
    expect(await md({ body })).toBe('[x.org](https://x.org/) page 3\n');
  });

  it('keeps tracked insertions, drops deletions, and reads content controls, smart tags and symbols', async () => {
    const body =
      '<w:p><w:r><w:t xml:space="preserve">Keep </w:t></w:r><w:del><w:r><w:delText>removed </w:delText></w:r></w:del>' +
      '<w:ins><w:r><w:t xml:space="preserve">added </w:t></w:r></w:ins><w:smartTag><w:r><w:t xml:space="preserve">tagged </w:t></w:r></w:smartTag>' +
      '<w:sdt><w:sdtContent><w:r><w:t xml:space="preserve">control </w:t></w:r></w:sdtContent></w:sdt>' +
      '<w:r><w:sym w:font="Symbol" w:char="F061"/></w:r></w:p>';
    expect(await md({ body })).toBe('Keep added tagged control α\n');
  });
});

describe('docx underline, superscript, subscript, strikethrough', () => {
  it('writes them as <u>, <sup>, <sub> and ~~, outside bold and italic, escaping the text between', async () => {
    const body =
      `<w:p>${run('E=mc')}${run('2', '<w:vertAlign w:val="superscript"/>')}${run(' and H')}${run('2', '<w:vertAlign w:val="subscript"/>')}${run('O')}</w:p>` +
      `<w:p>${run('A ')}${run('key', '<w:u w:val="single"/>')}${run(' and ')}${run('doubly', '<w:u w:val="double"/>')}${run(' word, ')}${run('not this', '<w:u w:val="none"/>')}</w:p>` +
      `<w:p>${run('x', '<w:b/>')}${run('2', '<w:b/><w:vertAlign w:val="superscript"/>')}${run('y')}${run('gone', '<w:dstrike/>')}</w:p>` +
      `<w:p>${run('&lt;b&gt;raw&lt;/b&gt; ')}${run('*stars* ', '<w:u/><w:i/>')}${run('tail')}</w:p>`;
    expect(await md({ body })).toBe(
      'E=mc<sup>2</sup> and H<sub>2</sub>O\n\n' +
        'A <u>key</u> and <u>doubly</u> word, not this\n\n' +
        '**x**<sup>**2**</sup>y~~gone~~\n\n' +
        '\\<b>raw\\</b> <u>*\\*stars\\**</u> tail\n',
    );
  });

  it('follows styles (a baseline run inside a superscript style) and leaves underline off links and headings', async () => {
    const styles =
      '<w:style w:type="character" w:styleId="Raised"><w:name w:val="Raised"/><w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>' +
      '<w:style w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink"/><w:rPr><w:u w:val="single"/></w:rPr></w:style>' +
      paragraphStyle('Heading1', 'heading 1', '<w:rPr><w:u w:val="single"/></w:rPr>');
    const body =
      styled('Heading1', 'Underlined heading') +
      `<w:p>${run('n')}${run('th', '<w:rStyle w:val="Raised"/>')}${run(' flat', '<w:rStyle w:val="Raised"/><w:vertAlign w:val="baseline"/>')}</w:p>` +
      `<w:p><w:hyperlink r:id="rIdL">${run('site', '<w:rStyle w:val="Hyperlink"/>')}</w:hyperlink></w:p>`;
    const out = await md({
      styles,
      body,
      rels: [{ id: 'rIdL', type: 'hyperlink', target: 'https://example.com/', external: true }],
    });
    expect(out).toBe('# Underlined heading\n\nn<sup>th</sup> flat\n\n[site](https://example.com/)\n');
  });
});

describe('docx tables', () => {
  it('uses the first row as header and leaves merged continuation cells empty', async () => {
    const tc = (text: string, pr = '') => `<w:tc>${pr ? `<w:tcPr>${pr}</w:tcPr>` : ''}${p(text)}</w:tc>`;
    const body =
      '<w:tbl>' +
      `<w:tr>${tc('Name')}${tc('Wide', '<w:gridSpan w:val="2"/>')}</w:tr>` +
      `<w:tr>${tc('Tall', '<w:vMerge w:val="restart"/>')}${tc('b')}${tc('c')}</w:tr>` +
      `<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>${tc('e')}${tc('f')}</w:tr>` +
      '</w:tbl>';
    expect(await md({ body })).toBe('| Name | Wide | |\n| --- | --- | --- |\n| Tall | b | c |\n| | e | f |\n');
  });

  it('flattens a nested table into its cell and unwraps a one-cell layout table', async () => {
    const inner = `<w:tbl><w:tr><w:tc>${p('x')}</w:tc><w:tc>${p('y')}</w:tc></w:tr></w:tbl>`;
    const body =
      `<w:tbl><w:tr><w:tc>${p('A')}</w:tc><w:tc>${p('B')}</w:tc></w:tr><w:tr><w:tc>${p('c')}</w:tc><w:tc>${inner}</w:tc></w:tr></w:tbl>` +
      `<w:tbl><w:tr><w:tc>${p('Framed text')}</w:tc></w:tr></w:tbl>`;
    expect(await md({ body })).toBe('| A | B |\n| --- | --- |\n| c | x y |\n\nFramed text\n');
  });
});

describe('docx notes, images, math, text boxes', () => {
  it('turns footnotes and endnotes into GFM footnotes', async () => {
    const out = await md({
      body: '<w:p><w:r><w:t>Claim</w:t></w:r><w:r><w:footnoteReference w:id="2"/></w:r><w:r><w:t xml:space="preserve"> more</w:t></w:r><w:r><w:endnoteReference w:id="5"/></w:r></w:p>',
      footnotes:
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>' +
        '<w:footnote w:id="2"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> The source.</w:t></w:r></w:p></w:footnote>',
      endnotes: '<w:endnote w:id="5"><w:p><w:r><w:t>Late note.</w:t></w:r></w:p></w:endnote>',
    });
    expect(out).toBe('Claim[^1] more[^2]\n\n[^1]: The source.\n\n[^2]: Late note.\n');
  });

  it('writes images with alt text and the media name, never base64 unless asked', async () => {
    const drawing =
      '<w:r><w:drawing><wp:inline><wp:docPr id="1" name="Picture 1" descr="A red square"/><a:graphic><a:graphicData><pic:pic>' +
      '<pic:blipFill><a:blip r:embed="rIdImg"/></pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>';
    const vml =
      '<w:r><w:pict><v:shape alt="Old style"><v:imagedata r:id="rIdImg" o:title=""/></v:shape></w:pict></w:r>';
    const spec: DocxSpec = {
      body: `<w:p>${drawing}</w:p><w:p>${vml}</w:p>`,
      rels: [{ id: 'rIdImg', type: 'image', target: 'media/image1.png' }],
      parts: { 'word/media/image1.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47]) },
    };
    expect(await md(spec)).toBe('![A red square](image1.png)\n\n![Old style](image1.png)\n');
    expect(await md(spec, { embedImages: true })).toContain('![A red square](data:image/png;base64,iVBORw==)');
  });

  it('converts OMML to inline and display LaTeX', async () => {
    const frac = '<m:f><m:num><m:r><m:t>a</m:t></m:r></m:num><m:den><m:r><m:t>b</m:t></m:r></m:den></m:f>';
    const sup = '<m:sSup><m:e><m:r><m:t>x</m:t></m:r></m:e><m:sup><m:r><m:t>2</m:t></m:r></m:sup></m:sSup>';
    const sqrt = '<m:rad><m:radPr><m:degHide m:val="1"/></m:radPr><m:deg/><m:e><m:r><m:t>y</m:t></m:r></m:e></m:rad>';
    const sum =
      '<m:nary><m:naryPr><m:chr m:val="∑"/></m:naryPr><m:sub><m:r><m:t>i=1</m:t></m:r></m:sub><m:sup><m:r><m:t>n</m:t></m:r></m:sup><m:e><m:r><m:t>i</m:t></m:r></m:e></m:nary>';
    const paren = '<m:d><m:e><m:r><m:t>α+β</m:t></m:r></m:e></m:d>';
    const body =
      `<w:p><w:r><w:t xml:space="preserve">Area </w:t></w:r><m:oMath>${frac}</m:oMath></w:p>` +
      `<w:p><m:oMathPara><m:oMath>${sup}<m:r><m:t>=</m:t></m:r>${sqrt}<m:r><m:t>+</m:t></m:r>${sum}${paren}</m:oMath></m:oMathPara></w:p>`;
    expect(await md({ body })).toBe(
      'Area $\\frac{a}{b}$\n\n$$\nx^{2}=\\sqrt{y}+\\sum_{i=1}^{n} i\\left( \\alpha + \\beta \\right)\n$$\n',
    );
  });

  it('takes one branch of mc:AlternateContent so text-box text appears once', async () => {
    const box = (t: string) => `<w:txbxContent>${p(t)}</w:txbxContent>`;
    const body =
      '<w:p><w:r><w:t>Anchor</w:t></w:r><w:r><mc:AlternateContent>' +
      `<mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic><a:graphicData><wps:wsp><wps:txbx>${box('Boxed text')}</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>` +
      `<mc:Fallback><w:pict><v:shape><v:textbox>${box('Boxed text')}</v:textbox></v:shape></w:pict></mc:Fallback>` +
      '</mc:AlternateContent></w:r></w:p>';
    const out = await md({ body });
    expect(out).toBe('Anchor\n\nBoxed text\n');
  });

  it('makes code blocks from code styles and keeps the title from core properties', async () => {
    const result = await convert(
      buildDocx({
        title: 'Report',
        styles: paragraphStyle('SourceCode', 'Source Code'),
        body: p('Intro') + styled('SourceCode', 'let x = 1;') + styled('SourceCode', 'x += 1;'),
      }),
    );
    expect(result.markdown).toBe('Intro\n\n```\nlet x = 1;\nx += 1;\n```\n');
    expect(result.title).toBe('Report');
  });
});

describe('docx charts and SmartArt', () => {
  it('writes a chart as its title and a table of its cached data, after the paragraph that anchors it', async () => {
    const out = await md({
      body: `<w:p>${run('Sales went up:')}${graphicDrawing(CHART_URI, '<c:chart r:id="rIdC"/>')}</w:p>${p('After.')}`,
      rels: [{ id: 'rIdC', type: 'chart', target: 'charts/chart1.xml' }],
      parts: {
        'word/charts/chart1.xml': chartPart('Quarterly sales', ['Q1', 'Q2'], {
          North: ['10', '12.5'],
          South: ['7', ''],
        }),
      },
    });
    expect(out).toBe(
      'Sales went up:\n\nQuarterly sales\n\n| | North | South |\n| --- | --- | --- |\n| Q1 | 10 | 7 |\n| Q2 | 12.5 | |\n\nAfter.\n',
    );
  });

  it('names a chart whose part is missing, with a warning, and a chartex chart by its alt text', async () => {
    const result = await convert(
      buildDocx({
        body:
          `<w:p>${graphicDrawing(CHART_URI, '<c:chart r:id="rIdGone"/>', 'Revenue by region')}</w:p>` +
          `<w:p>${graphicDrawing('http://schemas.microsoft.com/office/drawing/2014/chartex', '<cx:chart xmlns:cx="http://schemas.microsoft.com/office/drawing/2014/chartex" r:id="rIdX"/>', 'Waterfall')}</w:p>`,
        rels: [{ id: 'rIdGone', type: 'chart', target: 'charts/missing.xml' }],
      }),
    );
    expect(result.markdown).toBe('![Chart: Revenue by region]()\n\n![Chart: Waterfall]()\n');
    expect(result.warnings.map((w) => w.code)).toContain('part_unreadable');
  });

  it('writes SmartArt as its text outline from the diagram data part', async () => {
    const pt = (id: string, t: string, type = '') =>
      `<dgm:pt modelId="${id}"${type ? ` type="${type}"` : ''}>${t ? `<dgm:t><a:bodyPr/><a:p><a:r><a:t>${t}</a:t></a:r></a:p></dgm:t>` : ''}</dgm:pt>`;
    const cxn = (src: string, dest: string, ord: number) =>
      `<dgm:cxn modelId="c${src}${dest}" srcId="${src}" destId="${dest}" srcOrd="${ord}"/>`;
    const data =
      `<?xml version="1.0"?><dgm:dataModel ${NS}><dgm:ptLst>${pt('0', '', 'doc')}${pt('1', 'Plan')}${pt('2', 'Build')}${pt('3', 'Scope')}</dgm:ptLst>` +
      `<dgm:cxnLst>${cxn('0', '1', 0)}${cxn('0', '2', 1)}${cxn('1', '3', 0)}</dgm:cxnLst></dgm:dataModel>`;
    const out = await md({
      body: `<w:p>${graphicDrawing(DIAGRAM_URI, '<dgm:relIds r:dm="rIdDm" r:lo="rIdLo" r:qs="rIdQs" r:cs="rIdCs"/>')}</w:p>`,
      rels: [{ id: 'rIdDm', type: 'diagramData', target: 'diagrams/data1.xml' }],
      parts: { 'word/diagrams/data1.xml': data },
    });
    expect(out).toBe('**Plan**\n\n- Scope\n\n**Build**\n');
  });
});

describe('docx comments', () => {
  const comment = (id: number, author: string, body: string) =>
    `<w:comment w:id="${id}" w:author="${author}" w:date="2024-01-01T00:00:00Z" w:initials="X">` +
    `<w:p><w:r><w:annotationRef/></w:r>${run(body)}</w:p></w:comment>`;
  const spec: DocxSpec = {
    body:
      `<w:p><w:commentRangeStart w:id="3"/>${run('Revenue grew')}<w:commentRangeEnd w:id="3"/><w:r><w:commentReference w:id="3"/></w:r>` +
      `${run(' by ten percent.')}<w:commentRangeStart w:id="1"/>${run(' Costs fell.')}<w:commentRangeEnd w:id="1"/><w:r><w:commentReference w:id="1"/></w:r>` +
      `<w:r><w:commentReference w:id="99"/></w:r></w:p>`,
    rels: [{ id: 'rIdCm', type: 'comments', target: 'comments.xml' }],
    parts: {
      'word/comments.xml': `<w:comments ${NS}>${comment(1, 'Bo Chen', 'Which costs?')}${comment(3, 'Ana Silva', 'Source: Q3 report.')}</w:comments>`,
    },
  };

  it('leaves comments out by default', async () => {
    expect(await md(spec)).toBe('Revenue grew by ten percent. Costs fell.\n');
  });

  it('with the comments option, links each comment from where its range ends to a footnote giving its author', async () => {
    expect(await md(spec, { comments: true })).toBe(
      'Revenue grew[^c1] by ten percent. Costs fell.[^c2]\n\n' +
        '[^c1]: **Ana Silva:** Source: Q3 report.\n\n' +
        '[^c2]: **Bo Chen:** Which costs?\n',
    );
  });

  it('keeps comment labels apart from footnote labels', async () => {
    const out = await md(
      {
        ...spec,
        body: `<w:p>${run('Claim')}<w:r><w:footnoteReference w:id="2"/></w:r><w:r><w:commentReference w:id="1"/></w:r></w:p>`,
        footnotes: `<w:footnote w:id="2"><w:p>${run('A note.')}</w:p></w:footnote>`,
      },
      { comments: true },
    );
    expect(out).toBe('Claim[^1][^c1]\n\n[^1]: A note.\n\n[^c1]: **Bo Chen:** Which costs?\n');
  });
});

describe('docx tracked changes', () => {
  const ins = (inner: string) => `<w:ins w:id="1" w:author="A" w:date="2024-01-01T00:00:00Z">${inner}</w:ins>`;
  const del = (inner: string) => `<w:del w:id="2" w:author="A" w:date="2024-01-01T00:00:00Z">${inner}</w:del>`;
  const delRun = (t: string, rPr = '') =>
    `<w:r>${rPr ? `<w:rPr>${rPr}</w:rPr>` : ''}<w:delText xml:space="preserve">${t}</w:delText></w:r>`;
  const body =
    `<w:p>${run('The fee is ')}${del(delRun('ten'))}${ins(run('twelve'))}${run(' euros, ')}${del(delRun('not ', '<w:b/>'))}${run('due ')}` +
    `<w:moveFrom w:id="3" w:author="A">${delRun('now')}</w:moveFrom><w:moveTo w:id="4" w:author="A">${run('monthly')}</w:moveTo>${run('.')}</w:p>`;

  it('accepts them by default: insertions kept, deletions dropped', async () => {
    expect(await md({ body })).toBe('The fee is twelve euros, due monthly.\n');
    expect(await md({ body }, { trackedChanges: 'accept' })).toBe('The fee is twelve euros, due monthly.\n');
  });

  it("shows them with trackedChanges: 'show', insertions as <ins> and deletions as <del>, formatting kept inside", async () => {
    expect(await md({ body }, { trackedChanges: 'show' })).toBe(
      'The fee is <del>ten</del><ins>twelve</ins> euros, <del>**not**</del> due <del>now</del><ins>monthly</ins>.\n',
    );
  });
});

describe('docx headers and footers', () => {
  const spec: DocxSpec = {
    body:
      p('Body') +
      '<w:sectPr><w:headerReference w:type="default" r:id="rIdH"/><w:footerReference w:type="default" r:id="rIdF"/></w:sectPr>',
    rels: [
      { id: 'rIdH', type: 'header', target: 'header1.xml' },
      { id: 'rIdF', type: 'footer', target: 'footer1.xml' },
    ],
    parts: {
      'word/header1.xml': `<w:hdr ${NS}>${p('Running head')}</w:hdr>`,
      'word/footer1.xml': `<w:ftr ${NS}>${p('Page foot')}</w:ftr>`,
    },
  };

  it('drops them by default', async () => {
    expect(await md(spec)).toBe('Body\n');
  });

  it('emits them with includeHeadersFooters', async () => {
    expect(await md(spec, { includeHeadersFooters: true })).toBe('Running head\n\nBody\n\nPage foot\n');
  });
});

describe('docx hostile and broken packages', () => {
  it('keeps long runs of spaces inside formatted runs linear (a 2 KB file took 18 s)', async () => {
    const boldSpaces = (n: number) =>
      buildDocx({
        body: `<w:p><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">a${' '.repeat(n)}x</w:t></w:r></w:p>`,
      });
    const timed = async (n: number) => {
      const started = performance.now();
      const { markdown } = await convert(boldSpaces(n), { fileName: 'spaces.docx' });
      expect(markdown).toContain('x');
      return performance.now() - started;
    };
    await timed(20_000); // warm-up
    const small = await timed(20_000);
    const large = await timed(200_000);
    // Quadratic: 100x for 10x the spaces; linear: about 10x.
    expect(large).toBeLessThan(small * 30 + 1000);
  });

  it('reads a typewriter-face run of 200,000 line separators in linear time (code detection once took minutes)', async () => {
    const mono = '<w:rPr><w:rFonts w:ascii="Courier New"/></w:rPr>';
    const body =
      `<w:p><w:r>${mono}<w:t xml:space="preserve">a${'\u2028'.repeat(200_000)}</w:t></w:r></w:p>` + p('after');
    expect(await md({ body })).toBe('a\n\nafter\n');
  });

  it('reads a paragraph of 200,000 line breaks, plain or in a typewriter face, without overflowing the stack', async () => {
    const breaks = (rPr: string) => `<w:p><w:r>${rPr}<w:t>a</w:t>${'<w:br/>'.repeat(200_000)}<w:t>b</w:t></w:r></w:p>`;
    const plain = await md({ body: breaks('') });
    expect(plain.startsWith('a\\\n')).toBe(true);
    expect(plain.endsWith('\nb\n')).toBe(true);
    const mono = await md({ body: breaks('<w:rPr><w:rFonts w:ascii="Courier New"/></w:rPr>') });
    expect(mono.startsWith('```\na\n')).toBe(true);
    expect(mono.endsWith('\nb\n```\n')).toBe(true);
  });

  it('still tells program text from typewriter prose', async () => {
    const mono = (t: string) =>
      `<w:p><w:r><w:rPr><w:rFonts w:ascii="Courier New"/></w:rPr><w:t xml:space="preserve">${t}</w:t></w:r></w:p>`;
    const lines = (...ls: string[]) => ls.join('</w:t><w:br/><w:t xml:space="preserve">');
    expect(await md({ body: mono(lines('if x', '  return y')) })).toBe('```\nif x\n  return y\n```\n');
    expect(await md({ body: mono(lines('# setup', 'make')) })).toBe('```\n# setup\nmake\n```\n');
    expect(await md({ body: mono(lines('x', '   // note')) })).toBe('```\nx\n   // note\n```\n');
    expect(await md({ body: mono('Steps:') })).toBe('```\nSteps:\n```\n');
    expect(await md({ body: mono(lines('Plain prose', 'over two lines')) })).toBe('Plain prose\\\nover two lines\n');
    expect(await md({ body: mono(lines('Prose then blank lines', '', '', ' ')) })).toBe('Prose then blank lines\n');
  });

  it('rejects a DOCTYPE in the document part as corrupt', async () => {
    const documentXml = `<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "aaaa">]><w:document ${NS}><w:body>${p('&a;')}</w:body></w:document>`;
    expect(await errorCode(buildDocx({ documentXml }))).toBe('corrupt');
  });

  it('rejects a DOCTYPE in a secondary part as corrupt', async () => {
    const bytes = buildDocx({ body: p('x'), parts: {}, styles: '' });
    expect(await errorCode(bytes)).toBeUndefined();
    const hostile = buildDocx({
      body: p('x'),
      rels: [{ id: 'rIdS', type: 'styles', target: 'styles.xml' }],
      parts: { 'word/styles.xml': '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY b "b">]><w:styles/>' },
    });
    expect(await errorCode(hostile)).toBe('corrupt');
  });

  it('reports a package without a document part as corrupt', async () => {
    expect(await errorCode(buildDocx({ omitDocument: true }))).toBe('corrupt');
  });

  it('reports malformed document XML as corrupt, but only warns about a malformed secondary part', async () => {
    expect(await errorCode(buildDocx({ documentXml: `<w:document ${NS}><w:body><w:p>` }))).toBe('corrupt');
    const result = await convert(
      buildDocx({
        body: p('Still here'),
        rels: [{ id: 'rIdN', type: 'numbering', target: 'numbering.xml' }],
        parts: { 'word/numbering.xml': '<w:numbering><unclosed>' },
      }),
    );
    expect(result.markdown).toBe('Still here\n');
    expect(result.warnings.map((w) => w.code)).toContain('part_unreadable');
  });

  it('reads Strict OOXML namespaces by local name', async () => {
    const strictNs = 'xmlns:w="http://purl.oclc.org/ooxml/wordprocessingml/main"';
    const documentXml = `<?xml version="1.0"?><w:document ${strictNs}><w:body><w:p><w:r><w:rPr><w:b w:val="true"/></w:rPr><w:t>Strict</w:t></w:r></w:p></w:body></w:document>`;
    expect((await convert(buildDocx({ documentXml }))).markdown).toBe('**Strict**\n');
  });
});

describe('docx form fields', () => {
  it('writes legacy check boxes as ☐/☒ from w:checked, else w:default, and keeps them apart when adjacent', async () => {
    const body =
      `<w:p>${run('Unchecked: ')}${checkBoxField(false)}</w:p>` +
      `<w:p>${run('By default: ', '<w:b/>')}${checkBoxField(true, undefined, '<w:b/>')}</w:p>` +
      `<w:p>${run('Unticked later: ')}${checkBoxField(true, false)}${run(' ticked later: ')}${checkBoxField(false, true)}</w:p>` +
      `<w:p>${checkBoxField(true)}${checkBoxField(false)}${checkBoxField(true)}</w:p>`;
    expect(await md({ body })).toBe(
      'Unchecked: ☐\n\n**By default: ☒**\n\nUnticked later: ☐ ticked later: ☒\n\n☒ ☐ ☒\n',
    );
  });

  it('keeps a table whose cells hold only check boxes', async () => {
    const tc = (inner: string) => `<w:tc><w:p>${inner}</w:p></w:tc>`;
    const body = `<w:tbl><w:tr>${tc(checkBoxField(false))}${tc(checkBoxField(true))}</w:tr></w:tbl>`;
    expect(await md({ body })).toBe('| ☐ | ☒ |\n| --- | --- |\n');
  });

  it('shows a text input by its result, or its default when the result is empty, and a drop-down by its selection', async () => {
    const text = (def: string, result: string) =>
      formField(`<w:textInput><w:default w:val="${def}"/></w:textInput>`, 'FORMTEXT', result);
    const dropDown = (result: string) =>
      formField(
        `<w:ddList>${result}<w:listEntry w:val="Red"/><w:listEntry w:val="Green"/><w:listEntry w:val="Blue"/></w:ddList>`,
        'FORMDROPDOWN',
      );
    const body =
      `<w:p>${run('Name: ')}${text('Your name', run('Ada Lovelace'))}</w:p>` +
      `<w:p>${run('City: ')}${text('London', '')}</w:p>` +
      `<w:p>${run('Colour: ')}${dropDown('<w:result w:val="2"/>')}${run(' or ')}${dropDown('')}</w:p>`;
    expect(await md({ body })).toBe('Name: Ada Lovelace\n\nCity: London\n\nColour: Blue or Red\n');
  });

  it('writes content-control check boxes from their w14:checked state, not the glyph their font draws', async () => {
    const body =
      `<w:p>${checkboxControl(true, '☒')}${run(' Done ')}${checkboxControl(false, '☐')}${run(' Open')}</w:p>` +
      `<w:p>${checkboxControl(true, '\uF0FE')}${run(' Private-use glyph')}</w:p>`;
    expect(await md({ body })).toBe('☒ Done ☐ Open\n\n☒ Private-use glyph\n');
  });

  it('writes block-level content-control check boxes (w:sdt wrapping paragraphs) from their state', async () => {
    const sdtPr = (checked: boolean) =>
      `<w:sdtPr><w14:checkbox><w14:checked w14:val="${checked ? 1 : 0}"/></w14:checkbox></w:sdtPr>`;
    const glyph = (g: string) => `<w:r><w:rPr><w:rFonts w:ascii="Wingdings"/></w:rPr><w:t>${g}</w:t></w:r>`;
    const block = (checked: boolean, inner: string) =>
      `<w:sdt>${sdtPr(checked)}<w:sdtContent>${inner}</w:sdtContent></w:sdt>`;
    const body =
      block(true, `<w:p><w:pPr><w:jc w:val="left"/></w:pPr>${glyph('\uF0FE')}${run(' Approved')}</w:p>`) +
      block(false, `<w:p>${glyph('\uF0A8')}</w:p>${p('Label paragraph kept')}`) +
      block(
        false,
        `<w:p><w:r><w:sym w:font="Wingdings" w:char="F0FE"/></w:r>${run(' Wrong glyph, state wins')}</w:p>`,
      ) +
      block(true, `<w:tbl><w:tr><w:tc>${p('cell')}</w:tc></w:tr></w:tbl>`);
    const out = await md({ body });
    expect(out).toBe('☒ Approved\n\n☐\n\nLabel paragraph kept\n\n☐ Wrong glyph, state wins\n\n☒\n\ncell\n');
    expect(out).not.toMatch(/[\uF000-\uF0FF]/);
  });

  it('reads Wingdings check-box symbols as text', async () => {
    const sym = (c: string) => `<w:r><w:sym w:font="Wingdings" w:char="${c}"/></w:r>`;
    const body = `<w:p>${sym('F0A8')}${run(' no ')}${sym('F0FE')}${run(' yes ')}${sym('F0FD')}${run(' x ')}${sym('F0E0')}</w:p>`;
    expect(await md({ body })).toBe('☐ no ☑ yes ☒ x\n');
  });
});

/**
 * Real documents from other projects' bug reports (`../shared/bughunt/cases` beside the repo, or
 * MDRAFT_BUGHUNT): read when present, never copied into the repo. Each `.expect.md` lists facts a correct
 * conversion shows; the assertions below check those facts.
 */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bughunt = process.env.MDRAFT_BUGHUNT
  ? path.resolve(process.env.MDRAFT_BUGHUNT)
  : path.resolve(repoRoot, '..', 'shared', 'bughunt', 'cases');
const checkboxCase = path.join(bughunt, 'docx-legacy-checkboxes.docx');
const haveCheckboxCase = fs.existsSync(checkboxCase);
if (!haveCheckboxCase) {
  console.warn(
    `docx: no bughunt case at ${checkboxCase}; that test is SKIPPED. Put the cases at ../shared/bughunt/cases beside the repo or set MDRAFT_BUGHUNT.`,
  );
}
describe('docx bughunt cases', () => {
  (haveCheckboxCase ? it : it.skip)('legacy check boxes (docx-legacy-checkboxes.docx)', async () => {
    const out = (await convert(new Uint8Array(fs.readFileSync(checkboxCase)))).markdown;
    // Markup aside, the words and boxes in reading order.
    const plain = out.replace(/<\/?[a-z]+>|[*_]/g, '').replace(/\s+/g, ' ');
    expect(plain).toContain('This is a small test for checkboxes');
    expect(out).toMatch(/^- unchecked: ☐$/m);
    expect(out).toMatch(/^\*\*_Or checked: ☒_\*\*$/m);
    expect(plain).toContain('Test a checkbox within a textbox: ☐ -> ☒');
    expect(out).toMatch(/In Table:[^]*\n\| ☐ \| \*\*_☒_\*\* \|\n\| --- \| --- \|\n/);
    expect(plain).toMatch(/In Sequence: ☒ ☐ ☒/);
  });
});
