/**
 * PDFs, and truncated and bit-flipped variants of each made here, convert through the sandbox to a result or
 * a typed ConversionError within a short budget: no crash, no hang. Two seed sets: PDFs this test generates
 * (always), and every PDF of the development corpus when it is present (`../shared/corpus/dev` beside the
 * repo, or MDRAFT_CORPUS). The corpus is evaluation data and never enters the repo, so on a clone without it
 * that test is reported as skipped by jest (with a warning saying how to run it), never as passed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createConverterPool, type ConverterPool } from '../../shared/engine/sandbox.ts';
import { ConversionError } from '../../shared/engine/errors.ts';
import { buildPdf, buildPdfWithLines, encryptedPdf, paragraphLines, ruledGrid } from '../fixtures/pdf.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const corpus = process.env.MDRAFT_CORPUS
  ? path.resolve(process.env.MDRAFT_CORPUS)
  : path.resolve(repoRoot, '..', 'shared', 'corpus', 'dev');
const BUDGET_MS = 15_000;

function pdfsUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...pdfsUnder(p));
    else if (/\.pdf$/i.test(e.name)) out.push(p);
  }
  return out.sort();
}

/** A small deterministic generator (mulberry32), so a failing variant can be reproduced. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function bitFlipped(bytes: Uint8Array, seed: number): Uint8Array {
  const out = new Uint8Array(bytes);
  const next = random(seed);
  const flips = Math.max(8, Math.floor(out.length / 2000));
  for (let i = 0; i < flips; i++) out[Math.floor(next() * out.length)] ^= 1 << Math.floor(next() * 8);
  return out;
}

function variants(bytes: Uint8Array, seed: number): { name: string; bytes: Uint8Array }[] {
  return [
    { name: 'original', bytes },
    ...[0.1, 0.5, 0.9].map((cut) => ({
      name: `truncated at ${cut * 100}%`,
      bytes: bytes.slice(0, Math.floor(bytes.length * cut)),
    })),
    ...[1, 2].map((k) => ({ name: `bit-flipped (seed ${seed * 10 + k})`, bytes: bitFlipped(bytes, seed * 10 + k) })),
  ];
}

describe('pdf robustness: damaged variants end typed within budget', () => {
  let pool: ConverterPool;
  beforeAll(() => {
    pool = createConverterPool({ size: 2, timeoutMs: BUDGET_MS, ocr: false });
  });
  afterAll(async () => {
    await pool?.close();
  });

  async function expectAllTyped(seeds: { label: string; bytes: Uint8Array }[]): Promise<void> {
    const jobs = seeds.flatMap((seed, i) =>
      variants(seed.bytes, i + 1).map((v) => ({ label: `${seed.label} ${v.name}`, bytes: v.bytes })),
    );
    const outcomes = await Promise.all(
      jobs.map(async (job) => {
        const started = Date.now();
        try {
          const result = await pool.convert(job.bytes, { fileName: 'input.pdf' }, { transfer: false });
          return { label: job.label, ok: typeof result.markdown === 'string', ms: Date.now() - started };
        } catch (error) {
          return {
            label: job.label,
            ok: error instanceof ConversionError,
            code: (error as { code?: string }).code,
            message: String((error as Error).message).slice(0, 200),
            ms: Date.now() - started,
          };
        }
      }),
    );
    const bad = outcomes.filter((o) => !o.ok);
    expect(bad).toEqual([]);
    // `internal` means the worker crashed or a bug escaped: damaged input must give a specific code.
    const crashed = outcomes.filter((o) => 'code' in o && o.code === 'internal');
    expect(crashed).toEqual([]);
  }

  test('generated PDFs (text, multi-page, ruled table, encrypted)', async () => {
    const grid = ruledGrid(
      [72, 200, 330, 460],
      [700, 680, 660, 640],
      [
        ['Item', 'Qty', 'Price'],
        ['Apples', '3', '1.20'],
        ['Pears', '5', '0.90'],
      ],
    );
    const seeds = [
      {
        label: 'text',
        bytes: await buildPdf([
          paragraphLines(['A first paragraph of plain text.', 'It wraps onto a second line.'], 72, 700),
        ]),
      },
      {
        label: 'three pages',
        bytes: await buildPdf(
          [1, 2, 3].map((n) => paragraphLines([`Page ${n} heading`, `Body text on page ${n}.`], 72, 700)),
        ),
      },
      { label: 'ruled table', bytes: await buildPdfWithLines([grid]) },
      { label: 'encrypted', bytes: encryptedPdf('secret', 'hidden text') },
    ];
    await expectAllTyped(seeds);
  }, 120_000);

  const haveCorpus = fs.existsSync(corpus);
  if (!haveCorpus) {
    console.warn(
      `pdf-robustness: no corpus at ${corpus}; the corpus test is SKIPPED. Put the corpus at ../shared/corpus/dev beside the repo or set MDRAFT_CORPUS=/path/to/corpus/dev to run it.`,
    );
  }
  (haveCorpus ? test : test.skip)(
    'every corpus PDF (needs ../shared/corpus/dev or MDRAFT_CORPUS)',
    async () => {
      const files = pdfsUnder(corpus);
      expect(files.length).toBeGreaterThan(0);
      await expectAllTyped(
        files.map((file) => ({ label: path.relative(corpus, file), bytes: new Uint8Array(fs.readFileSync(file)) })),
      );
    },
    170_000,
  );
});
