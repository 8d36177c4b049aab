/**
 * Converting one document on the calling thread (`inline.ts`): which inputs qualify, that the result and the
 * typed errors are the engine's own, that a conversion overflowing this thread's stack is handed back for the
 * sandbox, and that the watchdog ends a whole process past its time or memory budget with the prepared line
 * and exit code (run in child processes: the budget ends the process).
 */
import { spawn } from 'node:child_process';
import v8 from 'node:v8';
import { canConvertInline, convertInline, INLINE_MAX_BYTES, type InlineBudget } from '../../shared/engine/inline.ts';
import { convert } from '../../shared/engine/engine.ts';
import { ConversionError } from '../../shared/engine/errors.ts';
import { convertInSandbox } from '../../shared/engine/sandbox.ts';
import { buildDocx } from '../fixtures/docx.ts';
import { buildPdf } from '../fixtures/hostile.ts';

const hostileEngine = new URL('../fixtures/hostile.ts', import.meta.url);
const inlineModule = new URL('../../shared/engine/inline.ts', import.meta.url);
const text = (s: string) => new TextEncoder().encode(s);

const budget = (over: Partial<InlineBudget> = {}): InlineBudget => ({
  timeoutMs: 30_000,
  maxMemoryMb: 512,
  failureLine: (e) => `mdraft: doc: [${e.code}] ${e.message}\n`,
  exitCode: 1,
  ...over,
});

/** HTML nested `depth` elements deep (the HTML converter flattens what lies past 512 levels). */
const deepHtml = (depth: number) =>
  text(`<html><body>${'<div><blockquote>'.repeat(depth)}deep text${'</blockquote></div>'.repeat(depth)}</body></html>`);

describe('which documents convert on the calling thread', () => {
  it('small office and text documents do; PDFs, images and large files go to the sandbox', async () => {
    const docx = buildDocx({ body: '<w:p><w:r><w:t>x</w:t></w:r></w:p>' });
    expect(canConvertInline(docx, 1024)).toBe(true);
    expect(canConvertInline(text('<p>page</p>'), 1024)).toBe(true);
    expect(canConvertInline(buildPdf([['one page']]), 1024)).toBe(false);
    expect(canConvertInline(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), 1024)).toBe(false);
    expect(canConvertInline(new Uint8Array(INLINE_MAX_BYTES + 1), 1024)).toBe(false);
  });

  it('not when the memory ceiling is too close to this thread’s own heap limit to be watched', () => {
    const heapMb = v8.getHeapStatistics().heap_size_limit / 2 ** 20;
    expect(canConvertInline(text('plain'), Math.floor(heapMb))).toBe(false);
    // Measured: a ceiling 256 MB under the heap limit (4032 of 4288 MB) let the heap reach the limit's
    // back-to-back collections before the resident set passed the ceiling; the watchdog's interrupt then waited
    // out its grace behind them and the process died by SIGKILL (exit 137) instead of exiting 1.
    expect(canConvertInline(text('plain'), Math.floor(heapMb) - 512)).toBe(false);
    expect(canConvertInline(text('plain'), Math.floor(heapMb) - 1100)).toBe(true);
  });
});

describe('convertInline', () => {
  it('returns what the engine returns for a DOCX', async () => {
    const docx = buildDocx({
      body: '<w:p><w:r><w:t>Converted on this thread</w:t></w:r></w:p><w:p><w:r><w:t>Second</w:t></w:r></w:p>',
    });
    const outcome = await convertInline(docx.slice(), { fileName: 'a.docx' }, budget());
    expect(outcome).toEqual({ result: await convert(docx.slice(), { fileName: 'a.docx' }) });
  });

  it('passes the engine’s typed errors through, and wraps untyped ones as internal', async () => {
    const run = (s: string) => convertInline(text(s), {}, budget({ engineModule: hostileEngine }));
    const bug = await run('THROW').catch((e: unknown) => e);
    expect(bug).toBeInstanceOf(ConversionError);
    expect(bug).toMatchObject({ code: 'internal', message: expect.stringMatching(/a bug in a converter/) });
    await expect(convertInline(new Uint8Array(0), {}, budget())).rejects.toMatchObject({ code: 'empty' });
  });

  it('hands a conversion that overflows this thread’s stack back for the sandbox', async () => {
    const outcome = await convertInline(text('STACK'), {}, budget({ engineModule: hostileEngine }));
    expect(outcome).toEqual({ needsSandbox: true });
  });

  it('converts HTML nested 2000 deep on this thread: flattened past 512 levels, its text kept, with a warning', async () => {
    const html = deepHtml(2000);
    const outcome = await convertInline(html.slice(), { fileName: 'deep.html' }, budget());
    expect('result' in outcome).toBe(true);
    if (!('result' in outcome)) return;
    expect(outcome.result.markdown).toContain('deep text');
    expect(outcome.result.warnings).toEqual([expect.objectContaining({ code: 'unsupported_content' })]);
    const sandboxed = await convertInSandbox(html, { fileName: 'deep.html' }, { ocr: false });
    expect(sandboxed.markdown).toBe(outcome.result.markdown);
  });
});

/** Runs convertInline in a child process on `command` with the hostile test engine. */
function runChild(
  command: string,
  over: { timeoutMs: number; maxMemoryMb: number },
  { catchErrors = false }: { catchErrors?: boolean } = {},
) {
  const call = `convertInline(new TextEncoder().encode(${JSON.stringify(command)}), {}, {
      ...${JSON.stringify(over)},
      engineModule: ${JSON.stringify(hostileEngine.href)},
      failureLine: (e) => 'mdraft: doc: [' + e.code + '] ' + e.message + '\\n',
      exitCode: 1,
    })`;
  const script = `
    const { convertInline } = await import(${JSON.stringify(inlineModule.href)});
    const outcome = ${catchErrors ? `await ${call}.catch((e) => ({ error: { code: e.code, message: e.message } }))` : `await ${call}`};
    process.stdout.write(JSON.stringify(outcome));`;
  return new Promise<{ code: number | null; stdout: string; stderr: string; ms: number }>((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--no-warnings', '--input-type=module', '-e', script], { stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: performance.now() - started }));
  });
}

describe('the watchdog ends the process past the budget', () => {
  it('at the deadline of a converter stuck in a loop: the timeout line, exit code 1, nothing else', async () => {
    const run = await runChild('HANG', { timeoutMs: 1500, maxMemoryMb: 512 });
    expect(run).toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'mdraft: doc: [timeout] conversion did not finish within 1.5 s\n',
    });
    expect(run.ms).toBeGreaterThanOrEqual(1400);
    // Generous: each child loads the engine from source, on a machine that may be shared.
    expect(run.ms).toBeLessThan(60_000);
  }, 120_000);

  it('at the deadline of a promise that never settles (the process does not end early)', async () => {
    const run = await runChild('HANG-ASYNC', { timeoutMs: 1000, maxMemoryMb: 512 });
    expect(run).toMatchObject({
      code: 1,
      stderr: 'mdraft: doc: [timeout] conversion did not finish within 1 s\n',
    });
  }, 120_000);

  it('when the resident set grows past the memory ceiling: too_large', async () => {
    const run = await runChild('OOM', { timeoutMs: 60_000, maxMemoryMb: 96 });
    expect(run).toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'mdraft: doc: [too_large] the document needs more than the 96 MB memory ceiling\n',
    });
  }, 120_000);

  it('a converter bug thrown from a callback: the typed internal error the sandbox gives, not a crash', async () => {
    // The sandbox reports such a throw as its worker's crash; on this thread it must not end the process with
    // Node's stack dump instead of the CLI's typed line.
    const run = await runChild('THROW-ASYNC', { timeoutMs: 60_000, maxMemoryMb: 512 }, { catchErrors: true });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      error: { code: 'internal', message: 'conversion worker crashed: a bug in a converter’s callback' },
    });
    expect(run.stderr).toBe('');
    await expect(
      convertInSandbox(text('THROW-ASYNC'), {}, { ocr: false, engineModule: hostileEngine }),
    ).rejects.toMatchObject({
      code: 'internal',
      message: 'conversion worker crashed: a bug in a converter’s callback',
    });
  }, 120_000);

  it('and lets a document within budget finish and the process exit at once', async () => {
    const run = await runChild('within budget', { timeoutMs: 60_000, maxMemoryMb: 512 });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ result: { markdown: 'within budget\n' } });
    expect(run.stderr).toBe('');
  }, 120_000);
});
