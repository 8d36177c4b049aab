/** The CLI end to end: spawned from source with Node 24's type stripping, against files made here. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../../shared/cli/main.ts', import.meta.url));
const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function mdraft(
  args: string[],
  options: { stdin?: string | Uint8Array; cwd?: string; nodeArgs?: string[] } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--no-warnings', ...(options.nodeArgs ?? []), main, ...args], {
      cwd: options.cwd,
      stdio: 'pipe',
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}

let dir: string;
const write = (rel: string, data: string | Uint8Array) => {
  const file = path.join(dir, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, data);
  return file;
};

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mdraft-cli-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('mdraft without conversion', () => {
  it('prints the version and help, exit 0', async () => {
    const v = await mdraft(['--version']);
    expect(v).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
    const help = await mdraft(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: mdraft <command>/);
    const convertHelp = await mdraft(['convert', '--help']);
    expect(convertHelp.stdout).toMatch(/--page-separators/);
  });

  it('exits 2 on usage errors, with the reason on stderr', async () => {
    const cases: [string[], RegExp][] = [
      [['frobnicate'], /unknown command "frobnicate"/],
      [['convert'], /at least one file/],
      [['convert', 'a.pdf', '--bogus'], /Unknown option '--bogus'/],
      [['convert', 'a.pdf', '--pages', '5-2'], /--pages/],
      [['convert', 'a.pdf', '--timeout', 'soon'], /--timeout expects a positive number/],
      [['convert', 'a.pdf', 'b.pdf'], /needs -o <directory>/],
    ];
    for (const [args, message] of cases) {
      const run = await mdraft(args, { cwd: dir });
      expect({ args, code: run.code, stdout: run.stdout }).toEqual({ args, code: 2, stdout: '' });
      expect(run.stderr).toMatch(message);
    }
  });
});

describe('mdraft convert', () => {
  it('prints one file as Markdown on stdout', async () => {
    const file = write('notes.md', '# Notes\n\nSome *text*.\n\n* one\n* two\n');
    const run = await mdraft(['convert', file]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('# Notes\n\nSome *text*.\n\n- one\n- two\n');
    expect(run.stderr).toBe('');
  });

  it('reads stdin and writes the JSON result to stdout with --json', async () => {
    const run = await mdraft(['convert', '-', '--json'], { stdin: 'first line\n\nsecond paragraph\n' });
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ format: 'text', markdown: 'first line\n\nsecond paragraph\n', warnings: [] });
  });

  it('writes one file to the -o path, or into -o when it is a directory', async () => {
    const file = write('in/a.txt', 'alpha\n');
    expect((await mdraft(['convert', file, '-o', path.join(dir, 'named.md')])).code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'named.md'), 'utf8')).toBe('alpha\n');
    fs.mkdirSync(path.join(dir, 'outdir'));
    expect((await mdraft(['convert', file, '-o', path.join(dir, 'outdir')])).code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'outdir', 'a.txt.md'), 'utf8')).toBe('alpha\n');
  });

  it('mirrors a directory into -o, appending .md, skipping hidden and non-document files', async () => {
    write('docs/readme.md', '# Read me\n');
    write('docs/a/b.txt', 'bee\n');
    write('docs/a/c/d.csv', 'name,qty\npear,3\n');
    write('docs/.git/x.md', 'hidden\n');
    write('docs/tool.bin', 'not a document\n');
    const out = path.join(dir, 'out');
    const run = await mdraft(['convert', path.join(dir, 'docs'), '-o', out, '--jobs', '2']);
    expect(run.code).toBe(0);
    const files = fs
      .readdirSync(out, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => path.relative(out, path.join(e.parentPath, e.name)))
      .sort();
    expect(files).toEqual(['a/b.txt.md', 'a/c/d.csv.md', 'readme.md.md']);
    expect(fs.readFileSync(path.join(out, 'a/b.txt.md'), 'utf8')).toBe('bee\n');
    expect(fs.readFileSync(path.join(out, 'readme.md.md'), 'utf8')).toBe('# Read me\n');
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/\[\d\/3\] .*b\.txt ✓/);
    expect(run.stderr).toMatch(/Converted 3 of 3 documents in [\d.]+ s; 1 skipped/);
  });

  it('does not convert its own outputs when -o is inside the input directory', async () => {
    write('docs/one.txt', 'one\n');
    const docs = path.join(dir, 'docs');
    expect((await mdraft(['convert', docs, '-o', path.join(docs, 'md')])).code).toBe(0);
    const again = await mdraft(['convert', docs, '-o', path.join(docs, 'md')]);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/Converted 1 of 1 document in/);
    expect(fs.existsSync(path.join(docs, 'md', 'md'))).toBe(false);
  });

  it('exits 1 when a file fails, lists it with its error code, and still writes the others', async () => {
    write('docs/good.txt', 'fine\n');
    write('docs/empty.txt', '');
    write('docs/junk.txt', new Uint8Array([0, 1, 2, 3, 0, 0, 0xff, 0xfe, 0, 7, 0, 0]));
    const out = path.join(dir, 'out');
    const run = await mdraft(['convert', path.join(dir, 'docs'), path.join(dir, 'missing.pdf'), '-o', out, '--json']);
    expect(run.code).toBe(1);
    expect(JSON.parse(fs.readFileSync(path.join(out, 'good.txt.json'), 'utf8'))).toMatchObject({
      format: 'text',
      markdown: 'fine\n',
    });
    expect(fs.existsSync(path.join(out, 'junk.txt.json'))).toBe(false);
    expect(run.stderr).toMatch(/Converted 1 of 4 documents in [\d.]+ s; 3 failed\./);
    const failures = run.stderr.slice(run.stderr.indexOf('Failures:'));
    expect(failures).toMatch(/empty\.txt {2}\[empty\]/);
    expect(failures).toMatch(/junk\.txt {2}\[unsupported_format\]/);
    expect(failures).toMatch(/missing\.pdf {2}\[not_found\]/);
  });

  it('keeps the engine, pdf.js and tesseract out of the main thread (only the workers load them)', async () => {
    // A resolve hook in the CLI's main thread that reports every module it loads; workers do not inherit it.
    const hook = `import { registerHooks } from 'node:module';
      registerHooks({ resolve(s, c, next) { const r = next(s, c); process.stderr.write('LOADED ' + r.url + '\\n'); return r; } });`;
    const run = await mdraft(['convert', write('a.txt', 'text\n')], {
      nodeArgs: ['--import', `data:text/javascript,${encodeURIComponent(hook)}`],
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('text\n');
    const loaded = run.stderr.split('\n').filter((l) => l.startsWith('LOADED '));
    expect(loaded.some((l) => l.includes('shared/engine/sandbox.ts'))).toBe(true);
    expect(loaded.filter((l) => /pdfjs|tesseract|shared\/convert\/(engine|registry)\.ts/.test(l))).toEqual([]);
  });

  it('reports a single failing file on stderr with exit 1 and nothing on stdout', async () => {
    const run = await mdraft(['convert', write('zero.txt', '')]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/zero\.txt: \[empty\]/);
  });
});
