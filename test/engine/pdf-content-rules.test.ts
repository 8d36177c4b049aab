/**
 * Rules read from content streams (content-rules.ts) against the same rules read from pdf.js's operator list
 * (graphics.ts `pageSegments`): page by page they must be equal, or the content reading must step aside
 * (`undefined`) so the operator list decides. Pages are written in code with the constructs that matter: every
 * path operator and painting operator, transforms and q/Q (unbalanced too), form XObjects with a /Matrix and
 * their own resources, soft masks, white and near-white fills in device and ICC colour spaces, pattern fills,
 * strings and inline images holding path-like bytes, Flate and ASCII85 streams, link annotations with an
 * appearance, rotated pages.
 */
import zlib from 'node:zlib';
import { writeRawPdf } from '../fixtures/pdf.ts';
import { loadPdfJs, openPdf } from '../../shared/engine/formats/pdf/load.ts';
import { pageSegments } from '../../shared/engine/formats/pdf/graphics.ts';
import type { Segment } from '../../shared/engine/formats/pdf/graphics.ts';
import { ContentRules } from '../../shared/engine/formats/pdf/content-rules.ts';

const latin1 = (s: string) => Buffer.from(s, 'latin1');

interface PageSpec {
  content: string;
  /** Extra page dictionary entries and resource entries. */
  page?: string;
  resources?: string;
  /** 'flate' | 'a85flate' | undefined (plain). */
  filter?: 'flate' | 'a85flate';
}

/** A one-page PDF; `extra` objects are numbered from 5 on (1 catalog, 2 pages, 3 page, 4 content). */
function pagePdf(spec: PageSpec, extra: (string | Uint8Array)[] = []): Uint8Array {
  let data: Buffer = latin1(spec.content);
  let filter = '';
  if (spec.filter === 'flate') {
    data = zlib.deflateSync(data);
    filter = '/Filter /FlateDecode';
  } else if (spec.filter === 'a85flate') {
    data = latin1(ascii85(zlib.deflateSync(data)));
    filter = '/Filter [/ASCII85Decode /FlateDecode]';
  }
  const stream = Buffer.concat([
    latin1(`<< /Length ${data.length} ${filter} >>\nstream\n`),
    data,
    latin1('\nendstream'),
  ]);
  return writeRawPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << ${spec.resources ?? ''} >> ${spec.page ?? ''} >>`,
    stream,
    ...extra,
  ]);
}

function formXObject(content: string, dict = ''): Uint8Array {
  return Buffer.concat([
    latin1(`<< /Type /XObject /Subtype /Form /BBox [0 0 612 792] ${dict} /Length ${content.length} >>\nstream\n`),
    latin1(content),
    latin1('\nendstream'),
  ]);
}

function ascii85(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 4) {
    const chunk = [0, 1, 2, 3].map((k) => bytes[i + k] ?? 0);
    let n = ((chunk[0] << 24) | (chunk[1] << 16) | (chunk[2] << 8) | chunk[3]) >>> 0;
    const digits: string[] = [];
    for (let k = 0; k < 5; k++) {
      digits.unshift(String.fromCharCode(33 + (n % 85)));
      n = Math.floor(n / 85);
    }
    out += digits.slice(0, Math.min(5, bytes.length - i + 1)).join('');
  }
  return out + '~>';
}

const rounded = (segments: Segment[]) =>
  segments.map((s) => [s.x0, s.y0, s.x1, s.y1].map((v) => Math.round(v * 1000) / 1000));

/** Both readings of page 1: pdf.js's operator list and the content streams. */
async function bothReadings(bytes: Uint8Array) {
  const { OPS } = await loadPdfJs();
  const doc = await openPdf(bytes);
  try {
    const page = await doc.getPage(1);
    const viewport = page.getViewport({ scale: 1 });
    const fromList = pageSegments(await page.getOperatorList(), OPS, viewport.transform, viewport);
    const fromContent = await new ContentRules(bytes, doc.numPages).segments(1, viewport.transform, viewport);
    return { fromList: rounded(fromList), fromContent: fromContent && rounded(fromContent) };
  } finally {
    await doc.loadingTask.destroy();
  }
}

/** The content reading answers, and answers as the operator list does, with `rules` rules. */
async function expectSame(bytes: Uint8Array, rules: number) {
  const { fromList, fromContent } = await bothReadings(bytes);
  expect(fromContent).toEqual(fromList);
  expect(fromList).toHaveLength(rules);
}

const grid =
  '0.5 w 72 600 m 540 600 l S 72 580 m 540 580 l S 72 560 m 540 560 l S 72 560 m 72 600 l S 300 560 m 300 600 l S';

describe('rules from content streams', () => {
  it('reads stroked lines, rectangles, thin bars and every painting operator as the operator list does', async () => {
    const content = [
      grid,
      '100 500 200 30 re S', // a stroked box: four rules
      '100 450 200 1 re f', // a thin filled bar: one rule
      '100 400 1 40 re F', // a thin vertical bar, old F
      '100 300 200 40 re f*', // a filled box: four rules
      '100 250 200 20 re B 100 220 200 20 re B* 100 190 200 20 re b 100 160 200 20 re b*',
      '320 500 m 500 500 l 500 450 l s', // closed stroke: two rules and a diagonal
      '320 400 m 400 420 450 380 500 400 c S', // a curve: none
      '320 380 m 330 370 l 400 380 500 370 v 505 365 510 360 y S', // v and y curves after a diagonal
      '320 300 m 500 300 l h n', // an unpainted path: none
      '320 250 180 0 re S', // zero height: a move, a line, a close
    ].join('\n');
    await expectSame(pagePdf({ content }), 34);
  });

  it('follows cm, q and Q (unbalanced ones too) and a rotated page', async () => {
    const content = [
      'q 1 0 0 1 10 20 cm',
      grid,
      'Q',
      'q 0.5 0 0 0.5 0 0 cm q',
      grid, // two saves never restored
      'Q Q Q Q', // more restores than saves
      grid,
    ].join('\n');
    await expectSame(pagePdf({ content }), 15);
    await expectSame(pagePdf({ content, page: '/Rotate 90' }), 15);
  });

  it('leaves white fills out and keeps gray, RGB and CMYK ink, in device spaces and by cs/sc', async () => {
    const content = [
      '1 g 100 700 200 40 re f', // white: no rules
      '0.96 g 100 650 200 40 re f', // near-white (245 of 255): none
      '0.94 g 100 600 200 40 re f', // 240 of 255: ink
      '1 1 1 rg 100 550 200 40 re f',
      '0.2 0.3 0.9 rg 100 500 200 40 re f',
      '0 0 0 0 k 100 450 200 40 re f',
      '0 0 0 1 k 100 400 200 40 re f',
      '/DeviceRGB cs 1 1 1 sc 100 350 200 40 re f',
      '/DeviceRGB cs 0 0 0 scn 100 300 200 40 re f',
      '/CS0 cs 0.1 0.1 0.1 sc 100 250 200 40 re f', // a named device space
      '1 g 100 200 200 40 re B', // white fill, stroked: its edges are rules
    ].join('\n');
    await expectSame(pagePdf({ content, resources: '/ColorSpace << /CS0 /DeviceRGB >>' }), 24);
  });

  it('keeps the previous fill for a pattern and judges ICC colours only when clearly ink or white', async () => {
    const iccProfile = latin1('<< /N 3 /Alternate /DeviceRGB /Length 0 >>\nstream\n\nendstream');
    const shading =
      '<< /ShadingType 2 /ColorSpace /DeviceRGB /Coords [0 0 1 0] /Function << /FunctionType 2 /Domain [0 1] /C0 [0 0 0] /C1 [1 1 1] /N 1 >> >>';
    const resources = `/ColorSpace << /P0 /Pattern /ICC [/ICCBased 5 0 R] >> /Pattern << /Pat1 << /PatternType 2 /Shading ${shading} >> >>`;
    const patternThenDark = [
      '1 g /P0 cs /Pat1 scn 100 700 200 40 re f', // pattern: the white before it stays (no rules)
      '/ICC cs 0.1 0.2 0.3 scn 100 600 200 40 re f', // clearly ink through any profile
      '/ICC cs 0.5 0.6 0.7 sc 300 500 m 350 560 l 400 500 l f', // unknown whiteness, no box: no rule either way
    ].join('\n');
    await expectSame(pagePdf({ content: patternThenDark, resources }, [iccProfile]), 4);
    // A pale ICC fill of a box: the profile decides whether it is white, so the operator list does.
    const pale = '/ICC cs 0.95 0.95 0.95 scn 100 600 200 40 re f';
    const { fromContent } = await bothReadings(pagePdf({ content: pale, resources }, [iccProfile]));
    expect(fromContent).toBeUndefined();
  });

  it('draws form XObjects with their matrix and resources, and soft-mask groups where they are set', async () => {
    const form = formXObject(
      `/CSF cs 0 0 0 sc ${grid} 50 50 100 2 re f`,
      '/Matrix [1 0 0 1 5 -100] /Resources << /ColorSpace << /CSF /DeviceRGB >> >>',
    );
    const mask = formXObject('0 g 0 0 612 792 re f 10 10 300 1 re f');
    const content = 'q 0.8 0 0 0.8 20 20 cm /Fm1 Do Q /Fm1 Do /GS1 gs 72 100 m 300 100 l S /Im1 Do';
    const resources =
      '/XObject << /Fm1 5 0 R /Im1 7 0 R >> /ExtGState << /GS1 << /SMask << /S /Luminosity /G 6 0 R >> >> >>';
    const image = latin1(
      '<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 1 >>\nstream\n\x00\nendstream',
    );
    await expectSame(pagePdf({ content, resources }, [form, mask, image]), 14);
  });

  it('skips strings, arrays, dictionaries and inline images that hold path-like bytes', async () => {
    const content = [
      'BT /F1 12 Tf 72 700 Td (100 100 200 200 re f \\) 1 0 0 RG \\(S) Tj [(0 0 m) -200 (500 500 l S)] TJ ET',
      '/Span << /ActualText (10 10 m 400 10 l S) >> BDC EMC',
      'BI /W 4 /H 1 /BPC 8 /CS /G ID 0 0 EI\nEI',
      '% 10 10 500 500 re f',
      grid,
    ].join('\n');
    await expectSame(
      pagePdf({ content, resources: '/Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >>' }),
      5,
    );
  });

  it('reads Flate and ASCII85+Flate content streams', async () => {
    await expectSame(pagePdf({ content: grid, filter: 'flate' }), 5);
    await expectSame(pagePdf({ content: grid, filter: 'a85flate' }), 5);
  });

  it('leaves annotation appearances out on both readings', async () => {
    const appearance = formXObject('0 0 1 RG 1 w 0.5 0.5 10 10 re S');
    const link = `<< /Type /Annot /Subtype /Link /Rect [100 100 111 111] /AP << /N 5 0 R >> /Border [0 0 1] >>`;
    await expectSame(pagePdf({ content: grid, page: `/Annots [6 0 R]` }, [appearance, link]), 5);
  });

  it('steps aside for operators it does not know and for missing forms', async () => {
    for (const content of [`${grid} 1 2 3 xyz`, `${grid} /Nope Do`, `${grid} 1 2 cm`]) {
      const { fromContent } = await bothReadings(pagePdf({ content }));
      expect(fromContent).toBeUndefined();
    }
  });
});
