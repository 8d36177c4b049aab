/**
 * The bundled `mdraft` (scripts/bundle-cli.mjs, what bin/mdraft.js runs after `npm run build`): built here into
 * a temporary folder inside the project, then run as a whole process on documents made here. Checks that the
 * URLs the code builds from `import.meta.url` (the conversion worker, pdf.js's parser thread, the OCR adapter) still resolve in the
 * bundle, and that a DOCX loads the DOCX converter's chunk and no other format's.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCanvas } from '@napi-rs/canvas';
import { buildDocx } from '../fixtures/docx.ts';
import { buildPdf, paragraphLines } from '../fixtures/pdf.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
let outdir: string;
let work: string;

beforeAll(() => {
  fs.mkdirSync(path.join(root, 'dist'), { recursive: true });
  outdir = fs.mkdtempSync(path.join(root, 'dist', 'cli-test-'));
  work = fs.mkdtempSync(path.join(fs.realpathSync(process.env.TMPDIR ?? '/tmp'), 'mdraft-bundle-'));
  execFileSync(process.execPath, [path.join(root, 'scripts', 'bundle-cli.mjs'), '--outdir', outdir], { cwd: root });
}, 120_000);

afterAll(() => {
  fs.rmSync(outdir, { recursive: true, force: true });
  fs.rmSync(work, { recursive: true, force: true });
});

function run(args: string[], nodeArgs: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, path.join(outdir, 'mdraft.js'), ...args], {
      cwd: work,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

function write(name: string, data: string | Uint8Array): string {
  const file = path.join(work, name);
  fs.writeFileSync(file, data);
  return file;
}

describe('the bundled mdraft command', () => {
  it('converts a small DOCX on its main thread, loading the DOCX converter and no other format', async () => {
    const docx = write('one.docx', buildDocx({ body: '<w:p><w:r><w:t>Bundled conversion works</w:t></w:r></w:p>' }));
    // A load hook in every thread (workers inherit --import) that appends each file it loads to a log: the
    // workers' own stderr is swallowed by the sandbox.
    const log = path.join(work, 'loaded.log');
    const hook = `import { registerHooks } from 'node:module'; import fs from 'node:fs';
      registerHooks({ load(u, c, next) { fs.appendFileSync(${JSON.stringify(log)}, u + '\\n'); return next(u, c); } });`;
    const result = await run([docx], ['--import', `data:text/javascript,${encodeURIComponent(hook)}`]);
    expect(result.stdout).toBe('Bundled conversion works\n');
    expect(result.code).toBe(0);
    const urls = fs.readFileSync(log, 'utf8').split('\n');
    const loaded = urls.filter((u) => u.startsWith('file:')).map((u) => path.basename(fileURLToPath(u)));
    // One small document: converted on the main thread under a watchdog (shared/engine/inline.ts), no converter thread.
    expect(loaded).not.toContain('sandbox-worker.js');
    expect(loaded.some((f) => /^docx-\w+\.js$/.test(f))).toBe(true);
    expect(loaded.filter((f) => /^(pdf|html|pptx|xlsx|xls|epub|csv|image|text)-\w+\.js$/.test(f))).toEqual([]);
    // Nothing is read from node_modules for a DOCX: the bundle holds what it needs.
    expect(urls.filter((u) => u.includes('/node_modules/'))).toEqual([]);
  }, 60_000);

  it('converts HTML nested 2000 deep on the main thread: flattened past 512 levels, text kept, warned', async () => {
    const depth = 2000;
    const deep = `<html><body>${'<div><blockquote>'.repeat(depth)}deep text${'</blockquote></div>'.repeat(depth)}</body></html>`;
    const html = write('deep.html', deep);
    const log = path.join(work, 'loaded-deep.log');
    const hook = `import { registerHooks } from 'node:module'; import fs from 'node:fs';
      registerHooks({ load(u, c, next) { fs.appendFileSync(${JSON.stringify(log)}, u + '\\n'); return next(u, c); } });`;
    const result = await run([html], ['--import', `data:text/javascript,${encodeURIComponent(hook)}`]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('deep text');
    expect(result.stdout.startsWith('> > > ')).toBe(true);
    expect(result.stderr).toMatch(/unsupported_content.*nested deeper than 512 levels/);
    expect(fs.readFileSync(log, 'utf8')).not.toMatch(/sandbox-worker\.js/);
  }, 60_000);

  it('converts an HTML page', async () => {
    const html = write('page.html', '<html><body><h1>Title</h1><p>Some <em>text</em>.</p></body></html>');
    const result = await run([html]);
    expect(result.stdout).toBe('# Title\n\nSome *text*.\n');
    expect(result.code).toBe(0);
  }, 60_000);

  it('converts a PDF with pdf.js in its parser thread, which the bundle starts by URL', async () => {
    const pdf = write(
      'doc.pdf',
      await buildPdf([paragraphLines(['The bundled parser thread reads this line.'], 72, 700)]),
    );
    const result = await run([pdf]);
    expect(result.stderr).not.toMatch(/parser thread/);
    expect(result.stdout).toContain('The bundled parser thread reads this line.');
    expect(result.code).toBe(0);
  }, 60_000);

  it('reads an image through the OCR adapter the worker loads by URL', async () => {
    const canvas = createCanvas(900, 200);
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, 900, 200);
    ctx.fillStyle = '#000000';
    ctx.font = '48px sans-serif';
    ctx.fillText('Bundled OCR reads this', 40, 120);
    const image = write('scan.png', new Uint8Array(await canvas.encode('png')));
    const result = await run([image]);
    expect(result.code).toBe(0);
    expect(result.stdout.toLowerCase()).toContain('bundled ocr reads this');
  }, 120_000);
});
