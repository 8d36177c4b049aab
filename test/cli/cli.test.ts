/**
 * The CLI end to end: spawned from source with Node 24's type stripping, against files made here; the new
 * convert options are followed in-process into the `ConvertOptions` a test engine receives.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { run, type CliIo } from '../../shared/cli/program.ts';
import { converterPoolOptions } from '../../shared/cli/convert-command.ts';
import type { ConvertArgs } from '../../shared/cli/args.ts';

const main = fileURLToPath(new URL('../../shared/cli/main.ts', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/mdraft.js', import.meta.url));
const echoEngine = new URL('./echo-engine.ts', import.meta.url);
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
      env: cleanEnv,
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

// The option defaults some commands take from the environment must not leak in from the test runner's.
const cleanEnv = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !['MDRAFT_API', 'MDRAFT_API_KEY', 'MDRAFT_DATA_DIR'].includes(k)),
);

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
    expect(await mdraft(['-v'])).toEqual(v);
    const help = await mdraft(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: mdraft <command>/);
    for (const command of ['convert', 'submit', 'jobs', 'usage', 'dev-key', 'help'])
      expect(help.stdout).toMatch(`\n  ${command} `);
    expect(await mdraft(['help'])).toEqual(help);
    const convertHelp = await mdraft(['convert', '--help']);
    expect(convertHelp.stdout).toMatch(/--page-separators/);
  });

  it('gives every command the same help: usage line, its options, -h, the exit status; `help X` is `X --help`', async () => {
    const options: Record<string, string[]> = {
      convert: [
        '--output',
        '--json',
        '--pages',
        '--no-ocr',
        '--ocr-lang',
        '--charset',
        '--comments',
        '--tracked-changes',
      ],
      submit: ['--api', '--key', '--output', '--json', '--concurrency', '--timeout'],
      'dev-key': ['--user', '--data-dir'],
      usage: ['--api', '--key', '--from', '--to', '--group-by', '--json', '--csv'],
      'jobs list': ['--api', '--key', '--limit', '--cursor', '--all', '--search', '--json'],
      'jobs result': ['--api', '--key', '--output', '--json'],
    };
    for (const [command, flags] of Object.entries(options)) {
      const help = await mdraft([...command.split(' '), '--help']);
      expect({ command, code: help.code, stderr: help.stderr }).toEqual({ command, code: 0, stderr: '' });
      expect(help.stdout).toMatch(new RegExp(`^Usage: mdraft ${command} \\[options\\]`));
      for (const flag of flags) expect(help.stdout).toMatch(new RegExp(`\n {2}(-\\w, )?${flag}[ \n]`));
      expect(help.stdout).toMatch(/\n {2}-h, --help +show this help\n/);
      expect(help.stdout).toMatch(/\nExit status: 0 success, 1 .+, 2 usage error\.\n$/);
      if (!command.includes(' ')) expect(await mdraft(['help', command])).toEqual(help);
    }
  });

  it('exits 2 on usage errors of every command, with the reason and where to find help on stderr', async () => {
    const existing = write('taken.md', 'a file, not a directory\n');
    const cases: [string[], RegExp][] = [
      [['frobnicate'], /^mdraft: unknown command "frobnicate" and no file of that name\n/],
      [['conver'], /^mdraft: unknown command "conver" .*\(did you mean convert\?\)/],
      [['--bogus'], /^mdraft convert: unknown option '--bogus'/],
      [['convert', 'a.pdf', '--bogus'], /^mdraft convert: unknown option '--bogus'/],
      [['convert', 'a.pdf', '--pages', '5-2'], /'--pages <range>' argument '5-2' is invalid\. The range is empty/],
      [['a.pdf', '--pages', 'x'], /'--pages <range>' argument 'x' is invalid\. Expected N, N-M or N-/],
      [
        ['convert', 'a.pdf', '--timeout', 'soon'],
        /'--timeout <seconds>' argument 'soon' is invalid\. Expected a positive/,
      ],
      [['a.pdf', '--max-memory', '-1'], /'--max-memory <MB>' argument '-1' is invalid\. Expected a positive number/],
      [['a.pdf', '--jobs', '0'], /'-j, --jobs <N>' argument '0' is invalid\. Expected a positive number/],
      [['a.pdf', '-o'], /option '-o, --output <path>' argument missing/],
      [['convert', 'a.pdf', 'b.pdf'], /needs -o <directory>/],
      [['a.pdf', 'b.pdf', '-o', existing], /-o .*taken\.md is a file; several inputs need a directory/],
      [['convert', '-', '-'], /stdin \(-\) can be read only once/],
      [
        ['a.pdf', '--charset', 'klingon-8'],
        /'--charset <label>' argument 'klingon-8' is invalid\. Unknown character set/,
      ],
      [['a.pdf', '--ocr-lang', 'english'], /'--ocr-lang <codes>' argument 'english' is invalid\. Expected comma-sep/],
      [['a.pdf', '--ocr-lang', 'eng,'], /'--ocr-lang <codes>' argument 'eng,' is invalid/],
      [['a.pdf', '--ocr-lang', 'deu', '--no-ocr'], /--ocr-lang and --no-ocr contradict each other/],
      [['a.pdf', '--tracked-changes', 'maybe'], /argument 'maybe' is invalid\. Allowed choices are accept, show\./],
      [['submit', 'a.pdf'], /^mdraft submit: required option '--key <KEY>' not specified/],
      [['submit', '--key', 'k'], /^mdraft submit: missing required argument 'files'/],
      [['submit', 'a.pdf', '--key', 'k', '--api', 'ftp://host'], /'--api <URL>' argument 'ftp:\/\/host' is invalid/],
      [['submit', 'a.pdf', '--key', 'k', '--concurrency', '65'], /Expected a whole number from 1 to 64\./],
      [['submit', 'a.pdf', '--key', 'k', '--timeout', '0'], /'--timeout <seconds>' argument '0' is invalid/],
      [
        ['dev-key', '--user', '../x'],
        /^mdraft dev-key: option '--user <NAME>' argument '..\/x' is invalid\. Expected 1-64/,
      ],
      [['dev-key', 'extra'], /^mdraft dev-key: too many arguments for 'dev-key'/],
    ];
    for (const [args, message] of cases) {
      const run = await mdraft(args, { cwd: dir });
      expect({ args, code: run.code, stdout: run.stdout }).toEqual({ args, code: 2, stdout: '' });
      expect(run.stderr).toMatch(message);
      const command = ['submit', 'dev-key'].includes(args[0])
        ? ` ${args[0]}`
        : run.stderr.startsWith('mdraft:')
          ? ''
          : ' convert';
      expect(run.stderr).toMatch(new RegExp(`\nRun \`mdraft${command} --help\` for usage\\.\n$`));
    }
  }, 240_000); // about 25 child processes: minutes on a loaded 2-core machine

  it('loads neither a command module nor iconv-lite for --version and --help', async () => {
    const hook = `import { registerHooks } from 'node:module';
      registerHooks({ resolve(s, c, next) { const r = next(s, c); process.stderr.write('LOADED ' + r.url + '\\n'); return r; } });`;
    for (const args of [['--version'], ['convert', '--help']]) {
      const run = await mdraft(args, { nodeArgs: ['--import', `data:text/javascript,${encodeURIComponent(hook)}`] });
      expect(run.code).toBe(0);
      const loaded = run.stderr.split('\n').filter((l) => l.startsWith('LOADED '));
      expect(loaded.some((l) => l.includes('/commander/'))).toBe(true);
      expect(
        loaded.filter((l) =>
          /convert-command|submit\.ts|remote-commands|cli\/api\.ts|shared\/client\/|openapi-fetch|dev-key\.ts|sandbox|iconv-lite|\/engine\//.test(
            l,
          ),
        ),
      ).toEqual([]);
    }
  });
});

describe('mdraft FILE… (short for mdraft convert FILE…) and stdin', () => {
  it('converts a file given without the command, like convert does', async () => {
    const file = write('notes.md', '# Notes\n\n* one\n');
    const short = await mdraft([file]);
    expect(short).toEqual({ code: 0, stdout: '# Notes\n\n- one\n', stderr: '' });
    expect(await mdraft(['convert', file])).toEqual(short);
    const out = path.join(dir, 'out.md');
    expect((await mdraft([file, '-o', out])).code).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toBe('# Notes\n\n- one\n');
  });

  it('treats an existing file named like a word as a file, and a missing file with a dot as a failed document', async () => {
    write('notes', 'plain words\n');
    expect(await mdraft(['notes'], { cwd: dir })).toEqual({ code: 0, stdout: 'plain words\n', stderr: '' });
    const missing = await mdraft(['missing.pdf'], { cwd: dir });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/missing\.pdf: \[not_found\]/);
  });

  it('reads the document from stdin when no file is given and stdin is not a terminal', async () => {
    expect(await mdraft([], { stdin: 'from a pipe\n' })).toEqual({ code: 0, stdout: 'from a pipe\n', stderr: '' });
    expect(await mdraft(['convert'], { stdin: 'from a pipe\n' })).toMatchObject({ code: 0, stdout: 'from a pipe\n' });
    const json = await mdraft(['--json'], { stdin: 'a,b\n1,2\n' });
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ format: 'csv', markdown: '| a | b |\n| --- | --- |\n| 1 | 2 |\n' });
    expect(await mdraft(['-'], { stdin: 'dash\n' })).toMatchObject({ code: 0, stdout: 'dash\n' });
    const empty = await mdraft([]);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/stdin: \[empty\]/);
  });

  it('prints help and exits 2 when no file is given and stdin is a terminal', async () => {
    const io = capture({ tty: true });
    expect(await run([], io.io)).toBe(2);
    expect(io.stdout()).toBe('');
    expect(io.stderr()).toMatch(/^Usage: mdraft <command>/);
    const convert = capture({ tty: true });
    expect(await run(['convert'], convert.io)).toBe(2);
    expect(convert.stderr()).toMatch(/^Usage: mdraft convert \[options\]/);
  });

  it('does the same on a real terminal (a pseudo-terminal from script(1))', async () => {
    const script = ['/usr/bin/script', '/bin/script'].find((p) => fs.existsSync(p));
    if (!script) {
      console.warn('skipped: no script(1) on this machine to give the CLI a terminal on stdin');
      return;
    }
    const command = [process.execPath, '--no-warnings', main].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    const result = await new Promise<{ code: number | null; out: string }>((resolve, reject) => {
      const child = spawn(script, ['-qec', command, '/dev/null'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, out }));
    });
    expect(result.code).toBe(2);
    expect(result.out).toMatch(/Usage: mdraft <command>/);
  });
});

describe('the new convert options reach the engine', () => {
  const echo = async (argv: string[], stdin?: string) => {
    const io = capture({ stdin });
    const code = await run(argv, io.io, { engineModule: echoEngine });
    expect({ code, stderr: io.stderr() }).toEqual({ code: 0, stderr: '' });
    return JSON.parse(io.stdout()) as { options: Record<string, unknown>; text: string };
  };

  it('passes --charset, --comments, --tracked-changes and --ocr-lang into ConvertOptions', async () => {
    const file = write('report.csv', 'x\n');
    const all = await echo([
      file,
      '--charset',
      'windows-1251',
      '--comments',
      '--tracked-changes',
      'show',
      '--ocr-lang',
      'eng,deu,eng',
      '--pages',
      '2-',
      '--password',
      'secret',
      '--page-separators',
    ]);
    expect(all).toEqual({
      text: 'x\n',
      options: {
        ocr: true,
        charset: 'windows-1251',
        comments: true,
        trackedChanges: 'show',
        ocrLanguages: ['eng', 'deu'],
        pages: { first: 2, last: Number.MAX_SAFE_INTEGER },
        password: 'secret',
        pageSeparators: true,
        fileName: 'report.csv',
      },
    });
    expect((await echo(['convert', file, '--tracked-changes', 'accept', '--charset', 'Shift_JIS'])).options).toEqual({
      ocr: true,
      trackedChanges: 'accept',
      charset: 'Shift_JIS',
      fileName: 'report.csv',
    });
  });

  it('passes nothing extra by default, and no OCR languages with --no-ocr; stdin has no file name', async () => {
    expect((await echo([write('a.txt', 'x')])).options).toEqual({ ocr: true, fileName: 'a.txt' });
    expect(await echo(['--no-ocr', '--comments'], 'piped')).toEqual({
      text: 'piped',
      options: { ocr: false, comments: true },
    });
  });

  it('builds the tesseract factory with the --ocr-lang languages, and no OCR engine with --no-ocr', () => {
    const args: ConvertArgs = {
      inputs: ['a.png'],
      json: false,
      pageSeparators: false,
      ocr: true,
      comments: false,
      timeoutMs: 1000,
      maxMemoryMb: 256,
      jobs: 4,
      quiet: true,
    };
    const withLanguages = converterPoolOptions({ ...args, ocrLanguages: ['eng', 'deu'] }, 2);
    expect(withLanguages).toMatchObject({ size: 2, timeoutMs: 1000, maxMemoryMb: 256 });
    expect(withLanguages.ocr).toMatchObject({ options: { languages: ['eng', 'deu'] } });
    expect(withLanguages.ocr && String(withLanguages.ocr.module)).toMatch(/adapters\/local\/tesseract-ocr\.ts$/);
    expect(converterPoolOptions(args, 1).ocr).toMatchObject({ options: {} });
    expect(converterPoolOptions({ ...args, ocr: false }, 1).ocr).toBe(false);
  });
});

describe('bin/mdraft.js on a Node.js older than 22.5', () => {
  const gate = createRequire(import.meta.url)('../../bin/node-version.cjs') as {
    isSupported(version: string): boolean;
  };

  it('knows which versions are supported (node:sqlite arrived in 22.5)', () => {
    expect(['20.20.2', 'v21.9.0', '22.4.1', '8.0.0'].map(gate.isSupported)).toEqual([false, false, false, false]);
    expect(['22.5.0', 'v22.12.0', '23.0.0', '24.21.0'].map(gate.isSupported)).toEqual([true, true, true, true]);
  });

  it('refuses with one line naming the running and the required version, exit 2, before loading anything', () => {
    const old = oldNode();
    if (!old) {
      console.warn('skipped: no Node.js older than 22.5 on this machine to run bin/mdraft.js with');
      return;
    }
    for (const args of [['--version'], ['convert', write('a.txt', 'text\n')]]) {
      let result: { status: number | null; stdout: string; stderr: string };
      try {
        execFileSync(old.path, [bin, ...args], { encoding: 'utf8', stdio: 'pipe', env: cleanEnv });
        throw new Error(`bin/mdraft.js ran on Node.js ${old.version}`);
      } catch (error) {
        result = error as { status: number | null; stdout: string; stderr: string };
      }
      expect(result.status).toBe(2);
      expect(result.stdout).toBe('');
      const escaped = old.version.replace(/\./g, '\\.');
      expect(result.stderr).toMatch(
        new RegExp(`^mdraft: needs Node\\.js 22\\.5 or newer; this is Node\\.js ${escaped} \\(.+\\)\\.\\n$`),
      );
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

  it('stops quietly when the reader of stdout goes away (mdraft big.html | head -1)', async () => {
    const paragraphs = Array.from({ length: 8_000 }, (_, i) => `<p>paragraph ${i} with a few words</p>`);
    const file = write('big.html', `<html><body>${paragraphs.join('')}</body></html>`);
    const run = await new Promise<Run>((resolve, reject) => {
      const child = spawn(process.execPath, ['--no-warnings', main, 'convert', file], { stdio: 'pipe', env: cleanEnv });
      let stdout = '';
      let stderr = '';
      // Read the first chunk, then close the pipe as `head` does.
      child.stdout.setEncoding('utf8').once('data', (d: string) => {
        stdout = d;
        child.stdout.destroy();
      });
      child.stderr.setEncoding('utf8').on('data', (d: string) => {
        stderr += d;
      });
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
      child.stdin.end();
    });
    expect(run.stdout).toMatch(/^paragraph 0 with a few words/);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
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

/** In-process stdio for `run`: stdin with the given text (or a terminal), stdout and stderr collected. */
function capture(options: { stdin?: string; tty?: boolean } = {}) {
  const stdin = Object.assign(new PassThrough(), { isTTY: options.tty ?? false });
  if (!options.tty) stdin.end(options.stdin ?? '');
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const io: CliIo = { stdin, stdout, stderr };
  return { io, stdout: () => out, stderr: () => err };
}

/** A Node.js older than 22.5 on this machine (the system one, typically), or undefined. */
function oldNode(): { path: string; version: string } | undefined {
  const candidates = [
    '/usr/local/bin/node',
    '/usr/bin/node',
    ...(process.env.PATH ?? '').split(path.delimiter).map((d) => path.join(d, 'node')),
  ];
  for (const candidate of new Set(candidates)) {
    if (!fs.existsSync(candidate)) continue;
    try {
      const version = execFileSync(candidate, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim();
      const [major, minor] = version.split('.').map(Number);
      if (major < 22 || (major === 22 && minor < 5)) return { path: candidate, version };
    } catch {
      /* not runnable: try the next */
    }
  }
  return undefined;
}
