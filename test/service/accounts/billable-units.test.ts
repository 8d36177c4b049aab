/** Billable units: the one rule (billable-units.ts) and counting them from real bytes (count-units.ts). */
import { PDFDocument } from 'pdf-lib';
import {
  BYTES_PER_UNIT,
  billableUnits,
  estimateUnits,
  unitsBySize,
} from '../../../shared/service/accounts/billable-units.ts';
import { COUNT_BUDGET_MS, countUnits } from '../../../shared/service/accounts/count-units.ts';
import { createSandboxRunner, type PageCounter, type SandboxRunner } from '../../../shared/service/jobs/runner.ts';
import { createConverterPool } from '../../../shared/engine/sandbox.ts';
import { loadConfig, ConfigError } from '../../../shared/service/config.ts';
import { DEFAULT_PLANS } from '../../../shared/service/accounts/plans.ts';
import { buildPptx, para, sp } from '../../fixtures/pptx.ts';
import { encryptedPdf } from '../../fixtures/pdf.ts';

async function pdfWith(pages: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  for (let i = 0; i < pages; i++) doc.addPage([200, 200]).drawText(`page ${i + 1}`, { x: 10, y: 100 });
  return doc.save();
}

test('the size rule: one unit per started 100 KB, at least 1', () => {
  expect(unitsBySize(1)).toBe(1);
  expect(unitsBySize(BYTES_PER_UNIT)).toBe(1);
  expect(unitsBySize(BYTES_PER_UNIT + 1)).toBe(2);
  expect(unitsBySize(10 * BYTES_PER_UNIT)).toBe(10);
  expect(billableUnits('docx', { size: 250_000 })).toBe(3);
  expect(billableUnits('image', { size: 9_000_000 })).toBe(1);
  expect(billableUnits('pdf', { size: 9_000_000, pages: 7 })).toBe(7);
  expect(billableUnits('pdf', { size: 9_000_000, pages: 0 })).toBe(1);
  // A paged format whose pages are unknown falls back to the size rule.
  expect(billableUnits('pptx', { size: 3 * BYTES_PER_UNIT })).toBe(3);
});

test('estimates: exact for size-billed formats, images and given pages; a bounded range for PDF without pages', () => {
  const docx = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
  expect(estimateUnits(docx, { size: 150_000, maxPages: 300 })).toEqual({ min: 2, max: 2 });
  expect(estimateUnits('image/png', { size: 5e6, maxPages: 300 })).toEqual({ min: 1, max: 1 });
  expect(estimateUnits('application/pdf', { size: 5e6, pages: 12, maxPages: 300 })).toEqual({ min: 12, max: 12 });
  expect(estimateUnits('application/pdf', { size: 5e6, maxPages: 300 })).toEqual({ min: 1, max: 300 });
  expect(estimateUnits('application/pdf', { size: 2000, maxPages: 300 })).toEqual({ min: 1, max: 20 });
});

describe('counting in the sandbox', () => {
  let sandbox: SandboxRunner;
  beforeAll(() => {
    sandbox = createSandboxRunner({ size: 1, ocr: false, maxMemoryMb: 256, isolation: 'thread' });
  });
  afterAll(() => sandbox.close());

  test('PDF pages and PPTX slides are counted from the bytes before conversion', async () => {
    expect(await countUnits(await pdfWith(1), 'pdf', sandbox.countPages)).toEqual({ units: 1, pages: 1 });
    expect(await countUnits(await pdfWith(13), 'pdf', sandbox.countPages)).toEqual({ units: 13, pages: 13 });
    const pptx = buildPptx({ slides: ['One', 'Two', 'Three'].map((t) => ({ shapes: sp(para(t)) })) });
    expect(await countUnits(pptx, 'pptx', sandbox.countPages)).toEqual({ units: 3, pages: 3 });
    expect(await countUnits(Buffer.alloc(250_000, 'a'), 'text', sandbox.countPages)).toEqual({ units: 3 });
  });

  test('an uncountable PDF (encrypted, corrupt) is counted by its size', async () => {
    const locked = encryptedPdf('pw', 'secret text');
    expect(await countUnits(locked, 'pdf', sandbox.countPages)).toEqual({ units: unitsBySize(locked.length) });
    const corrupt = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(300_000, 0x20)]);
    expect(await countUnits(corrupt, 'pdf', sandbox.countPages)).toEqual({ units: 3 });
  });
});

test('a count over the budget is stopped and the size rule applies; the counter goes on', async () => {
  const pool = createConverterPool({
    size: 1,
    ocr: false,
    maxMemoryMb: 128,
    engineModule: new URL('../../fixtures/hostile.ts', import.meta.url),
  });
  const counter: PageCounter = (bytes, format, { timeoutMs }) =>
    pool.countPages(bytes, format, { timeoutMs, transfer: false });
  try {
    const hanging = Buffer.concat([Buffer.from('HANG'), Buffer.alloc(250_000, 0x20)]);
    const started = performance.now();
    expect(await countUnits(hanging, 'pdf', counter)).toEqual({ units: 3 });
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(COUNT_BUDGET_MS - 100);
    expect(elapsed).toBeLessThan(COUNT_BUDGET_MS + 10_000);
    // One converter: it answers again only because the stuck one was stopped and replaced.
    expect(await countUnits(await pdfWith(2), 'pdf', counter)).toEqual({ units: 2, pages: 2 });
  } finally {
    await pool.close();
  }
}, 60_000);

test('without a sandbox counter a paged upload is never inspected: the size rule applies', async () => {
  const pdf = await pdfWith(40);
  expect(await countUnits(pdf, 'pdf', undefined)).toEqual({ units: unitsBySize(pdf.length) });
});

test('MDRAFT_PLANS is read once at start and validated; absent = the defaults', () => {
  expect(loadConfig({}).plans).toEqual(DEFAULT_PLANS);
  const custom = { free: { ...DEFAULT_PLANS.free, monthlyUnits: 7 } };
  expect(loadConfig({ MDRAFT_PLANS: JSON.stringify(custom) }).plans.free.monthlyUnits).toBe(7);
  expect(() => loadConfig({ MDRAFT_PLANS: '{"pro": {}}' })).toThrow(ConfigError);
  expect(() =>
    loadConfig({ MDRAFT_PLANS: JSON.stringify({ free: { ...DEFAULT_PLANS.free, monthlyUnits: -1 } }) }),
  ).toThrow(/MDRAFT_PLANS: free.monthlyUnits/);
  expect(() => loadConfig({ MDRAFT_PLANS: 'not json' })).toThrow(/not JSON/);
});
