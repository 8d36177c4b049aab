/**
 * Every PDF of the development corpus, and truncated and bit-flipped variants of each made here, converts
 * through the sandbox to a result or a typed ConversionError within a short budget: no crash, no hang.
 * The corpus is evaluation data and never enters the repo; the test reads it from `../shared/corpus/dev`
 * beside the repo or from MDRAFT_CORPUS, and fails loudly when neither exists.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createConverterPool, type ConverterPool } from '../../shared/convert/sandbox.ts';
import { ConversionError } from '../../shared/convert/errors.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const corpus = process.env.MDRAFT_CORPUS ? path.resolve(process.env.MDRAFT_CORPUS) : path.resolve(repoRoot, '..', 'shared', 'corpus', 'dev');
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
    ...[0.1, 0.5, 0.9].map((cut) => ({ name: `truncated at ${cut * 100}%`, bytes: bytes.slice(0, Math.floor(bytes.length * cut)) })),
    ...[1, 2].map((k) => ({ name: `bit-flipped (seed ${seed * 10 + k})`, bytes: bitFlipped(bytes, seed * 10 + k) })),
  ];
}

describe('pdf robustness on the corpus and its damaged variants', () => {
  let pool: ConverterPool;
  beforeAll(() => {
    pool = createConverterPool({ size: 2, timeoutMs: BUDGET_MS, ocr: false });
  });
  afterAll(async () => {
    await pool?.close();
  });

  test('each PDF, truncated or bit-flipped, ends in a result or a typed error within the budget', async () => {
    if (!fs.existsSync(corpus)) {
      throw new Error(`no PDF corpus at ${corpus}: put the corpus at ../shared/corpus/dev beside the repo, or set MDRAFT_CORPUS=/path/to/corpus/dev`);
    }
    const files = pdfsUnder(corpus);
    expect(files.length).toBeGreaterThan(0);
    const jobs = files.flatMap((file, i) => variants(new Uint8Array(fs.readFileSync(file)), i + 1)
      .map((v) => ({ label: `${path.relative(corpus, file)} ${v.name}`, bytes: v.bytes })));
    const outcomes = await Promise.all(jobs.map(async (job) => {
      const started = Date.now();
      try {
        const result = await pool.convert(job.bytes, { fileName: 'input.pdf' }, { transfer: false });
        return { label: job.label, ok: typeof result.markdown === 'string', ms: Date.now() - started };
      } catch (error) {
        return { label: job.label, ok: error instanceof ConversionError, code: (error as { code?: string }).code, message: String((error as Error).message).slice(0, 200), ms: Date.now() - started };
      }
    }));
    const bad = outcomes.filter((o) => !o.ok);
    expect(bad).toEqual([]);
    // `internal` means the worker crashed or a bug escaped: damaged input must give a specific code.
    const crashed = outcomes.filter((o) => 'code' in o && o.code === 'internal');
    expect(crashed).toEqual([]);
  }, 170_000);
});
