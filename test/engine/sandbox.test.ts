import { createConverterPool, convertInSandbox, type ConverterPool } from '../../shared/engine/sandbox.ts';
import { ConversionError } from '../../shared/engine/errors.ts';
import { buildPdf } from '../fixtures/hostile.ts';
import { buildPptx, para, sp } from '../fixtures/pptx.ts';

const testEngine = new URL('../fixtures/hostile.ts', import.meta.url);
const doc = (text: string) => new TextEncoder().encode(text);

async function failure(promise: Promise<unknown>): Promise<ConversionError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ConversionError);
    return error as ConversionError;
  }
  throw new Error('expected the conversion to fail');
}

describe('converter pool', () => {
  let pool: ConverterPool;
  beforeAll(() => {
    pool = createConverterPool({ size: 1, timeoutMs: 20_000, maxMemoryMb: 96, ocr: false, engineModule: testEngine });
  });
  afterAll(() => pool.close());

  it('converts in a worker and returns the engine result', async () => {
    const result = await pool.convert(doc('Hello sandbox.\n\nSecond paragraph.'));
    expect(result.format).toBe('text');
    expect(result.markdown).toBe('Hello sandbox.\n\nSecond paragraph.\n');
  });

  it('stops a converter stuck in a loop at the time budget, then converts the next document', async () => {
    const started = performance.now();
    const error = await failure(pool.convert(doc('HANG'), {}, { timeoutMs: 1500 }));
    const elapsed = performance.now() - started;
    expect(error.code).toBe('timeout');
    expect(error.message).toMatch(/1\.5 s/);
    expect(elapsed).toBeGreaterThanOrEqual(1400);
    expect(elapsed).toBeLessThan(8000);
    expect((await pool.convert(doc('after the hang'))).markdown).toBe('after the hang\n');
  });

  it('times out a converter that never settles its promise', async () => {
    const error = await failure(pool.convert(doc('HANG-ASYNC'), {}, { timeoutMs: 1000 }));
    expect(error.code).toBe('timeout');
  });

  it('turns heap exhaustion into too_large and survives it', async () => {
    const error = await failure(pool.convert(doc('OOM')));
    expect(error.code).toBe('too_large');
    expect(error.message).toMatch(/96 MB memory ceiling/);
    expect((await pool.convert(doc('after the OOM'))).markdown).toBe('after the OOM\n');
  });

  it('reports a worker that dies as internal and replaces it', async () => {
    const error = await failure(pool.convert(doc('CRASH')));
    expect(error.code).toBe('internal');
    expect(error.transient).toBe(true);
    expect((await pool.convert(doc('after the crash'))).markdown).toBe('after the crash\n');
  });

  it('rebuilds typed errors from the worker, and wraps untyped ones as internal', async () => {
    const empty = await failure(pool.convert(new Uint8Array(0)));
    expect(empty.code).toBe('empty');
    const bug = await failure(pool.convert(doc('THROW')));
    expect(bug.code).toBe('internal');
    expect(bug.message).toMatch(/a bug in a converter/);
  });

  it('queues jobs beyond its size and answers each with its own result', async () => {
    const texts = ['one', 'two', 'three', 'four', 'five'];
    const results = await Promise.all(texts.map((t) => pool.convert(doc(t))));
    expect(results.map((r) => r.markdown)).toEqual(texts.map((t) => `${t}\n`));
  });

  it('transfers whole buffers instead of copying them, and copies views into larger buffers', async () => {
    const whole = doc('moved');
    await pool.convert(whole);
    expect(whole.byteLength).toBe(0);
    const backing = doc('xxkeptxx');
    const view = backing.subarray(2, 6);
    expect((await pool.convert(view)).markdown).toBe('kept\n');
    expect(backing.byteLength).toBe(8);
    const copied = doc('copied');
    await pool.convert(copied, {}, { transfer: false });
    expect(copied.byteLength).toBe(6);
  });
});

describe('page counts in the sandbox', () => {
  let pool: ConverterPool;
  beforeAll(() => {
    pool = createConverterPool({ size: 1, timeoutMs: 20_000, maxMemoryMb: 128, ocr: false, engineModule: testEngine });
  });
  afterAll(() => pool.close());

  it("counts a PDF's pages and a PPTX's slides with the engine's readers; formats without pages are undefined", async () => {
    expect(await pool.countPages(buildPdf([['one'], ['two'], ['three']]), 'pdf')).toBe(3);
    const slides = buildPptx({ slides: ['A', 'B'].map((t) => ({ shapes: sp(para(t)) })) });
    expect(await pool.countPages(slides, 'pptx')).toBe(2);
    expect(await pool.countPages(doc('plain text'), 'text')).toBeUndefined();
  });

  it('types an unreadable PDF (corrupt) as an error of the count, not a number', async () => {
    const error = await failure(pool.countPages(doc('%PDF-1.7\n' + ' '.repeat(2000)), 'pdf'));
    expect(['corrupt', 'encrypted', 'internal']).toContain(error.code);
  });

  it('stops a count stuck in a loop at its budget (the converter is replaced), then counts the next one', async () => {
    const started = performance.now();
    const error = await failure(pool.countPages(doc('HANG'), 'pdf', { timeoutMs: 1000 }));
    expect(error.code).toBe('timeout');
    expect(error.message).toMatch(/page count did not finish within 1 s/);
    expect(performance.now() - started).toBeLessThan(8000);
    // A pool of one: the stuck converter must be gone for this to be answered.
    expect(await pool.countPages(buildPdf([['again']]), 'pdf', { timeoutMs: 15_000 })).toBe(1);
  });
});

describe('a pool of two', () => {
  it('keeps converting on one worker while the other is stuck', async () => {
    // Only the stuck document gets a short budget: healthy ones must not time out on a loaded machine.
    const pool = createConverterPool({ size: 2, timeoutMs: 60_000, ocr: false, engineModule: testEngine });
    try {
      const stuck = failure(pool.convert(doc('HANG'), {}, { timeoutMs: 3000 }));
      const quick = await Promise.all(['a', 'b', 'c'].map((t) => pool.convert(doc(t))));
      expect(quick.map((r) => r.markdown)).toEqual(['a\n', 'b\n', 'c\n']);
      expect((await stuck).code).toBe('timeout');
    } finally {
      await pool.close();
    }
  });

  it('rejects work after close', async () => {
    const pool = createConverterPool({ ocr: false });
    await pool.close();
    expect((await failure(pool.convert(doc('late')))).code).toBe('internal');
  });
});

describe('convertInSandbox', () => {
  it('runs the real engine once in a fresh worker', async () => {
    const result = await convertInSandbox(doc('# Title\n\nBody text.'), { fileName: 'x.md' }, { ocr: false });
    expect(result.title).toBe('Title');
    expect(result.markdown).toBe('# Title\n\nBody text.\n');
  });
});

describe('process isolation', () => {
  let pool: ConverterPool;
  beforeAll(() => {
    pool = createConverterPool({
      size: 1,
      timeoutMs: 30_000,
      maxMemoryMb: 128,
      maxRssMb: 400,
      isolation: 'process',
      ocr: false,
      engineModule: testEngine,
    });
  });
  afterAll(() => pool.close());

  it('converts in a child process with the real engine', async () => {
    expect((await pool.convert(doc('Hello from a child process.'))).markdown).toBe('Hello from a child process.\n');
  });

  it('kills a converter whose native memory passes the RSS ceiling: too_large, final, and the pool goes on', async () => {
    const error = await failure(pool.convert(doc('NATIVE')));
    expect(error.code).toBe('too_large');
    expect(error.transient).toBe(false);
    expect(error.message).toMatch(/400 MB memory ceiling \(native and WebAssembly memory included\)/);
    expect((await pool.convert(doc('after the native bomb'))).markdown).toBe('after the native bomb\n');
  });

  it('turns V8 heap exhaustion in a child into too_large', async () => {
    const error = await failure(pool.convert(doc('OOM')));
    expect(error.code).toBe('too_large');
    expect((await pool.convert(doc('after the OOM'))).markdown).toBe('after the OOM\n');
  });

  it('stops a stuck child at the budget and reports a crash as internal', async () => {
    expect((await failure(pool.convert(doc('HANG'), {}, { timeoutMs: 1500 }))).code).toBe('timeout');
    const crash = await failure(pool.convert(doc('CRASH')));
    expect(crash.code).toBe('internal');
    expect((await pool.convert(doc('after the crash'))).markdown).toBe('after the crash\n');
  });
});
