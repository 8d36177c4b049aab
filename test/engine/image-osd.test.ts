/**
 * Orientation and script detection (issue 11): a doubtful page is detected once by the OCR engine's own
 * detection (tesseract's OSD) and read at the turn it finds, never at all four; a script none of the OCR
 * languages reads gives an `uncovered_script` warning naming the page; blank pages and pictures neither crash
 * nor warn. Every image is rendered here with @napi-rs/canvas (DejaVu Sans, which draws Latin and Cyrillic).
 * The first part uses stand-in engines (fast); the second the real tesseract adapter.
 */
import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import { PDFDocument } from 'pdf-lib';
import { convert } from '../../shared/engine/engine.ts';
import { readImage } from '../../shared/engine/formats/image/read-image.ts';
import { decodeGray } from '../../shared/engine/formats/image/bitmap.ts';
import { detectOrientation } from '../../shared/engine/formats/image/orientation.ts';
import { languagesReading, readsScript } from '../../shared/engine/ocr-scripts.ts';
import { createTesseractOcr } from '../../shared/adapters/local/tesseract-ocr.ts';
import type { Ocr, OcrDetection, OcrPage } from '../../shared/engine/ocr.ts';

const FONT = 'DejaVu Sans';

/** `lines` of text at `size` px on white, the whole page turned `turn` degrees clockwise. */
async function textPage(lines: string[], turn = 0, size = 40, font = FONT): Promise<Uint8Array> {
  const width = 1400;
  const height = 140 + lines.length * size * 1.6;
  const canvas = createCanvas(turn % 180 ? height : width, turn % 180 ? width : height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.translate(canvas.width / 2, canvas.height / 2);
  ctx.rotate((turn * Math.PI) / 180);
  ctx.translate(-width / 2, -height / 2);
  ctx.fillStyle = '#000000';
  ctx.font = `${size}px "${font}"`;
  lines.forEach((line, i) => ctx.fillText(line, 60, 90 + i * size * 1.6));
  return new Uint8Array(await canvas.encode('png'));
}

/** A photo stand-in: a colour gradient with seeded specks and soft shapes, no text anywhere. */
function drawPhoto(ctx: SKRSContext2D, w: number, h: number): void {
  const gradient = ctx.createLinearGradient(0, 0, w, h);
  gradient.addColorStop(0, '#1d4e89');
  gradient.addColorStop(0.5, '#7fb069');
  gradient.addColorStop(1, '#e6aa68');
  ctx.fillStyle = gradient;
  ctx.fillRect(0, 0, w, h);
  let seed = 7;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  for (let i = 0; i < 5000; i++) {
    const v = Math.floor(random() * 255);
    ctx.fillStyle = `rgba(${v},${v},${v},0.5)`;
    ctx.fillRect(random() * w, random() * h, 2 + random() * 6, 2 + random() * 6);
  }
  for (let i = 0; i < 6; i++) {
    ctx.fillStyle = `rgba(${Math.floor(random() * 255)},40,60,0.6)`;
    ctx.beginPath();
    ctx.arc(random() * w, random() * h, 20 + random() * 60, 0, Math.PI * 2);
    ctx.fill();
  }
}

/**
 * All capitals: no ascenders above or descenders below the letters, so the ink profiles cannot tell up. (In a
 * sans face OSD cannot either: many capitals look the same upside down; in a serif face it can.)
 */
const NOTICE = [
  'NOTICE OF THE ANNUAL GENERAL MEETING',
  'THE MEMBERS WILL MEET ON TUESDAY AT NOON',
  'IN THE TOWN HALL TO REVIEW THE BUDGET',
  'FOR THE COMING YEAR AND TO ELECT A NEW',
  'TREASURER. REPORTS ON TRAVEL COSTS AND',
  'ON THE OFFICE LEASE WILL BE PRESENTED',
  'BEFORE THE VOTE. ALL MEMBERS ARE ASKED',
  'TO BRING THEIR CARDS AND TO ARRIVE EARLY.',
];

const RUSSIAN = [
  'Комитет собрался во вторник, чтобы рассмотреть',
  'бюджет на следующий год и согласовать несколько',
  'вопросов. Члены комитета попросили подготовить',
  'отчёт о командировочных расходах и о новой аренде',
  'офиса до марта. Председатель поблагодарил всех',
  'сотрудников и закрыл заседание в половине пятого.',
];

const MINUTES = [
  'The committee met on Tuesday to review the budget for',
  'the coming year and agreed on several points of order.',
  'Members asked for a report on travel costs and on the',
  'new office lease, to be ready before the end of March.',
  'The treasurer explained why the heating bill had grown',
  'and proposed a fixed price contract with the supplier.',
  'The chair thanked the staff for their careful work and',
  'closed the meeting at half past four in the afternoon.',
];

const ENGLISH = [
  'The committee met on Tuesday to review the budget',
  'for the coming year and agreed on several points',
  'of order. Members asked for a report on travel',
  'costs and on the new office lease before March.',
];

/** The words of `expected` (letters only, any case) that `markdown` holds, as a share. */
function wordsFound(markdown: string, expected: string[]): number {
  const words = (s: string) => s.toUpperCase().match(/\p{L}{3,}/gu) ?? [];
  const got = new Set(words(markdown));
  const want = expected.flatMap(words);
  return want.filter((w) => got.has(w)).length / want.length;
}

/** PNG width and height from its IHDR chunk. */
function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** A stand-in engine: every reading poor (as sideways text or an unread script reads), detection as given. */
function standIn(detect?: (image: Uint8Array) => Promise<OcrDetection>, languages?: string[]) {
  const recognized: { width: number; height: number }[] = [];
  let detections = 0;
  const ocr: Ocr = {
    ...(languages ? { languages } : {}),
    async recognize(image): Promise<OcrPage> {
      const { width, height } = pngSize(image);
      recognized.push({ width, height });
      const words = ['~|', ";'", '=_-', 'llI'].map((text, i) => ({
        text,
        confidence: 22,
        bbox: { x0: 40 + i * 90, y0: 40, x1: 120 + i * 90, y1: 80 },
      }));
      const bbox = { x0: 40, y0: 40, x1: 400, y1: 80 };
      return {
        text: "~| ;' =_- llI",
        confidence: 22,
        width,
        height,
        lines: [{ text: "~| ;' =_- llI", confidence: 22, bbox, words }],
      };
    },
  };
  if (detect) {
    ocr.detect = async (image) => {
      detections++;
      return detect(image);
    };
  }
  return { ocr, recognized, detections: () => detections };
}

describe('orientation and script detection, stand-in engines', () => {
  it('a sure detection sets the turn: detected once, read twice (upright, then at that turn)', async () => {
    // Upright mixed-case prose, whose profiles say "upright": only the detection asks for the quarter turn.
    const image = await textPage(ENGLISH);
    const { ocr, recognized, detections } = standIn(async () => ({ orientation: { degrees: 90, confidence: 20 } }));
    const reading = await readImage(image, ocr);
    expect(detections()).toBe(1);
    const { width, height } = pngSize(image);
    expect(recognized).toEqual([
      { width, height },
      { width: height, height: width },
    ]);
    expect(reading.turned).toBe(90);
  });

  it('a sure detection of "upright" overrides the profiles: no second reading', async () => {
    const { ocr, recognized } = standIn(async () => ({ orientation: { degrees: 0, confidence: 20 } }));
    const reading = await readImage(await textPage(ENGLISH, 90), ocr);
    expect(recognized).toHaveLength(1);
    expect(reading.turned).toBe(0);
  });

  it('no sure answer, or a failed detection, falls back to the ink profiles', async () => {
    for (const detect of [async () => ({}), async () => Promise.reject(new Error('OSD data not installed'))]) {
      const { ocr, recognized, detections } = standIn(detect);
      const image = await textPage(ENGLISH, 90);
      const reading = await readImage(image, ocr);
      expect(detections()).toBe(1);
      // The profiles see the quarter turn of mixed-case prose and read it once more, turned back (the stand-in
      // reads both equally poorly, so the upright reading stays: the profiles' turn must read clearly better).
      const { width, height } = pngSize(image);
      expect(recognized).toEqual([
        { width, height },
        { width: height, height: width },
      ]);
      expect(reading.turned).toBe(0);
      expect(reading.script).toBeUndefined();
    }
  });

  it('a script none of the languages reads is named; unknown languages make no claim', async () => {
    const han = async (): Promise<OcrDetection> => ({
      orientation: { degrees: 0, confidence: 20 },
      script: { name: 'Han', confidence: 5 },
    });
    const image = await textPage(ENGLISH);
    const defaults = await readImage(image, standIn(han, ['eng', 'deu']).ocr);
    expect(defaults.script).toBe('Han');
    expect(defaults.uncoveredScript).toMatch(/Han script.*\(eng, deu\).*chi_sim/);
    // The caller's languages win over the engine's defaults.
    expect((await readImage(image, standIn(han, ['eng']).ocr, { languages: ['chi_sim'] })).uncoveredScript).toBe(
      undefined,
    );
    const unknown = await readImage(image, standIn(han).ocr, { languages: ['eng', 'xyz'] });
    expect(unknown).toMatchObject({ script: 'Han' });
    expect(unknown.uncoveredScript).toBeUndefined();
  });

  it('a script the languages do not read is not believed once the kept reading is confident', async () => {
    // Poor upright (the page stands turned), confident once turned: the detection's script was wrong.
    const image = await textPage(ENGLISH, 90);
    const { ocr } = standIn(async () => ({
      orientation: { degrees: 270, confidence: 20 },
      script: { name: 'Cyrillic', confidence: 2 },
    }));
    const poor = ocr.recognize.bind(ocr);
    let calls = 0;
    ocr.recognize = async (png) => {
      if (calls++ === 0) return poor(png);
      const { width, height } = pngSize(png);
      const words = ['The', 'committee', 'met', 'on', 'Tuesday'].map((text, i) => ({
        text,
        confidence: 94,
        bbox: { x0: 60 + i * 200, y0: 60, x1: 220 + i * 200, y1: 100 },
      }));
      const bbox = { x0: 60, y0: 60, x1: 1020, y1: 100 };
      const text = words.map((w) => w.text).join(' ');
      return { text, confidence: 94, width, height, lines: [{ text, confidence: 94, bbox, words }] };
    };
    const reading = await readImage(image, ocr, { languages: ['eng'] });
    expect(reading.turned).toBe(270);
    expect(reading.script).toBeUndefined();
    expect(reading.uncoveredScript).toBeUndefined();
  });

  it('an engine without detection (Document AI) is read as before: profiles only', async () => {
    const { ocr, recognized } = standIn();
    const image = await textPage(ENGLISH, 90);
    const reading = await readImage(image, ocr);
    const { width, height } = pngSize(image);
    expect(recognized).toEqual([
      { width, height },
      { width: height, height: width },
    ]);
    expect(reading.script).toBeUndefined();
  });

  it('the script table: Latin languages read Latin and Fraktur, not Cyrillic or Han', () => {
    expect(readsScript(['eng'], 'Latin')).toBe(true);
    expect(readsScript(['deu'], 'Fraktur')).toBe(true);
    expect(readsScript(['eng', 'fra'], 'Cyrillic')).toBe(false);
    expect(readsScript(['eng', 'rus'], 'Cyrillic')).toBe(true);
    expect(readsScript(['jpn'], 'Han')).toBe(true);
    expect(readsScript(['eng'], 'Arabic')).toBe(false);
    expect(readsScript(['eng', 'zzz'], 'Arabic')).toBeUndefined();
    expect(readsScript(['eng'], 'Common')).toBeUndefined();
    expect(languagesReading('Cyrillic')).toEqual(['rus', 'ukr', 'bel']);
  });
});

describe('orientation and script detection, real tesseract', () => {
  const tesseract = createTesseractOcr({ workers: 1 });
  let detections = 0;
  let recognitions = 0;
  const ocr: Ocr = {
    languages: tesseract.languages,
    recognize: (image, options) => {
      recognitions++;
      return tesseract.recognize(image, options);
    },
    detect: (image) => {
      detections++;
      return tesseract.detect!(image);
    },
  };
  const count = () => {
    const counts = { detections, recognitions };
    detections = 0;
    recognitions = 0;
    return counts;
  };
  afterAll(async () => {
    await tesseract.close?.();
  });

  it('a text page turned 90, 180 or 270 degrees is read upright, detected once, read twice', async () => {
    for (const turn of [90, 180, 270]) {
      count();
      const result = await convert(await textPage(MINUTES, turn), {}, { ocr });
      expect({ turn, found: wordsFound(result.markdown, MINUTES) >= 0.9 }).toEqual({ turn, found: true });
      expect(count()).toEqual({ detections: 1, recognitions: 2 });
      // Only OSD names a script.
      expect(result.pages?.[0].script).toBe('Latin');
      expect(result.warnings).toEqual([]);
    }
  }, 240_000);

  it('capitals turned upside down, which the ink profiles cannot set upright, are read upright', async () => {
    const image = await textPage(NOTICE, 180, 40, 'DejaVu Serif');
    // The premise: capitals have no ascenders or descenders, so the ink profiles cannot say which way is up.
    expect(detectOrientation((await decodeGray(image))!).confidence).toBe(0);
    const result = await convert(image, {}, { ocr });
    expect(wordsFound(result.markdown, NOTICE)).toBeGreaterThanOrEqual(0.9);
    // OSD may take serif capitals for Cyrillic (the shapes are shared); the confident English reading
    // contradicts that, so no script is claimed and nothing is warned.
    expect(result.pages?.[0].script).not.toBe('Cyrillic');
    expect(result.warnings.map((w) => w.code)).not.toContain('uncovered_script');
  }, 120_000);

  it('a clean upright page is read once and never detected', async () => {
    count();
    const result = await convert(await textPage(ENGLISH), {}, { ocr });
    expect(wordsFound(result.markdown, ENGLISH)).toBeGreaterThanOrEqual(0.95);
    expect(count()).toEqual({ detections: 0, recognitions: 1 });
    expect(result.warnings).toEqual([]);
    expect(result.pages?.[0].script).toBeUndefined();
  }, 120_000);

  it('a Russian page read with English gets uncovered_script naming Cyrillic', async () => {
    const result = await convert(await textPage(RUSSIAN), {}, { ocr });
    expect(result.warnings).toContainEqual({
      code: 'uncovered_script',
      message: expect.stringMatching(/Cyrillic script.*\(eng\).*rus/),
      page: 1,
    });
    expect(result.pages?.[0].script).toBe('Cyrillic');
  }, 120_000);

  it('a scanned PDF: the warning names the Russian page, not the English one', async () => {
    const doc = await PDFDocument.create();
    for (const lines of [ENGLISH, RUSSIAN]) {
      const png = await textPage(lines, 0, 30);
      const { width, height } = pngSize(png);
      const page = doc.addPage([width * 0.4, height * 0.4]);
      page.drawImage(await doc.embedPng(png), { x: 0, y: 0, width: width * 0.4, height: height * 0.4 });
    }
    const result = await convert(await doc.save(), {}, { ocr });
    expect(result.ocrPages).toEqual([1, 2]);
    const uncovered = result.warnings.filter((w) => w.code === 'uncovered_script');
    expect(uncovered).toEqual([
      { code: 'uncovered_script', message: expect.stringMatching(/^page 2: .*Cyrillic/), page: 2 },
    ]);
    expect(result.pages?.map((p) => p.script)).toEqual([undefined, 'Cyrillic']);
  }, 180_000);

  it('a blank page and a photo neither crash nor claim a script', async () => {
    count();
    const blank = await convert(await textPage([]), {}, { ocr });
    // A blank image is "no text" (part_unreadable), nothing more; it is neither read nor detected.
    expect(blank.warnings.map((w) => w.code)).toEqual(['part_unreadable']);
    expect(count()).toEqual({ detections: 0, recognitions: 0 });

    const canvas = createCanvas(1200, 900);
    drawPhoto(canvas.getContext('2d'), 1200, 900);
    const photo = await convert(new Uint8Array(await canvas.encode('png')), {}, { ocr });
    expect(photo.warnings.map((w) => w.code)).not.toContain('uncovered_script');
    expect(photo.pages?.[0].script).toBeUndefined();
    expect(count().recognitions).toBeLessThanOrEqual(2);
  }, 120_000);
});
