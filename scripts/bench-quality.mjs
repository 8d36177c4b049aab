#!/usr/bin/env node
/**
 * npm run bench:quality -- [corpus dir] [--format docx,pdf] [--verbose] [--fails] [--out dir] [--timeout S] [--in-process]
 * Converts every document of a corpus split with the engine, scores the predictions with the corpus's own
 * score.mjs, and prints our per-format table beside the reference tools' results from the corpus README.
 * Conversions run in the sandbox's worker pool (a heap ceiling and a time budget per document), so one
 * hanging or runaway document fails alone instead of stalling the run; `--in-process` (or a pool that cannot
 * start) uses scripts/lib/bench-convert.mjs in this process instead.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const project = path.resolve(here, '..');
const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const positional = args.filter(
  (a, i) => !a.startsWith('--') && !(i > 0 && ['--format', '--out', '--timeout'].includes(args[i - 1])),
);
const corpus = path.resolve(positional[0] ?? path.join(project, '..', 'shared', 'corpus', 'dev'));
const scorer = [path.join(corpus, 'score.mjs'), path.join(corpus, '..', 'score.mjs')].find((p) => fs.existsSync(p));
if (!fs.existsSync(corpus) || !scorer) {
  console.error(`bench:quality: no corpus with a score.mjs at ${corpus}`);
  process.exit(2);
}
const formats = opt('--format')?.split(',');
const outDir = path.resolve(opt('--out') ?? path.join(project, '.bench', 'quality', path.basename(corpus)));
const FORMAT = {
  xlsm: 'xlsx',
  xls: 'xlsx',
  htm: 'html',
  jpg: 'image',
  jpeg: 'image',
  png: 'image',
  webp: 'image',
  tif: 'image',
  tiff: 'image',
};
const formatOf = (f) => {
  const e = f.split('.').pop().toLowerCase();
  return FORMAT[e] || e;
};

function listDocs(dir, rel = '') {
  const docs = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) {
      if (!['out', 'tools', 'node_modules', '.git'].includes(e.name)) docs.push(...listDocs(p, r));
      continue;
    }
    if (/\.gt\.(md|json)$/.test(e.name) || e.name === 'score.mjs' || e.name === 'README.md') continue;
    if (fs.existsSync(`${p}.gt.md`) || fs.existsSync(`${p}.gt.json`))
      docs.push({ id: r, path: p, format: formatOf(e.name) });
  }
  return docs.sort((a, b) => a.id.localeCompare(b.id));
}

/** The sandbox pool when it works (checked with a tiny document), else the in-process converter. */
async function loadConverter() {
  if (!args.includes('--in-process')) {
    let pool;
    try {
      const { createConverterPool } = await import(path.join(project, 'shared', 'engine', 'sandbox.ts'));
      const { tesseractOcrFactory } = await import(path.join(project, 'shared', 'adapters', 'ocr-factories.ts'));
      pool = createConverterPool({
        size: 1,
        ocr: tesseractOcrFactory(),
        timeoutMs: Number(opt('--timeout') ?? 120) * 1000,
      });
      await pool.convert(new TextEncoder().encode('warm-up'), { fileName: 'warm-up.txt' });
      return {
        mode: 'sandbox',
        convertFile: (file) => pool.convert(new Uint8Array(fs.readFileSync(file)), { fileName: path.basename(file) }),
        close: () => pool.close(),
      };
    } catch (error) {
      await pool?.close();
      console.error(
        `bench:quality: the sandbox pool is unavailable (${error?.message ?? error}); converting in process`,
      );
    }
  }
  return { mode: 'in process', ...(await import(path.join(project, 'scripts', 'lib', 'bench-convert.mjs'))) };
}

const { convertFile, close, mode } = await loadConverter();
const docs = listDocs(corpus).filter((d) => !formats || formats.includes(d.format));
fs.rmSync(outDir, { recursive: true, force: true });
fs.mkdirSync(outDir, { recursive: true });
const failures = [];
const times = [];
for (const doc of docs) {
  const started = performance.now();
  try {
    const result = await convertFile(doc.path);
    const target = path.join(outDir, `${doc.id}.md`);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, result.markdown);
  } catch (error) {
    failures.push({ id: doc.id, code: error.code ?? 'crash', message: String(error.message ?? error).slice(0, 160) });
  }
  times.push(performance.now() - started);
  if (process.stderr.isTTY) process.stderr.write(`\r${times.length}/${docs.length} ${doc.id.slice(0, 60).padEnd(60)}`);
}
if (process.stderr.isTTY) process.stderr.write('\n');
await close?.();

const scoreArgs = [
  scorer,
  '--pred',
  outDir,
  '--gt',
  corpus,
  '--json',
  path.join(outDir, '..', `${path.basename(corpus)}.score.json`),
];
if (formats) scoreArgs.push('--format', formats.join(','));
if (args.includes('--verbose')) scoreArgs.push('--verbose');
if (args.includes('--fails')) scoreArgs.push('--fails');
const scored = spawnSync(process.execPath, scoreArgs, { encoding: 'utf8' });
process.stdout.write(scored.stdout);
if (scored.status !== 0) process.stderr.write(scored.stderr);
printUnitBreakdown(scoreArgs[scoreArgs.indexOf('--json') + 1]);

/**
 * The unit checks (olmOCR style) per format and check type: the pass rate of `present`, `absent`, `order`, …
 * says which kind of failure dominates, which the per-document mean hides.
 */
function printUnitBreakdown(jsonFile) {
  let docsScored;
  try {
    docsScored = JSON.parse(fs.readFileSync(jsonFile, 'utf8')).docs ?? [];
  } catch {
    return; // the scorer reported its own error
  }
  const TYPES = ['present', 'absent', 'order', 'table', 'math', 'baseline', 'heading', 'link', 'list_item'];
  const byFormat = new Map();
  for (const d of docsScored) {
    for (const r of d.unit?.results ?? []) {
      const counts = byFormat.get(d.format) ?? new Map();
      byFormat.set(d.format, counts);
      const c = counts.get(r.type) ?? { ok: 0, n: 0 };
      counts.set(r.type, c);
      c.n++;
      if (r.ok) c.ok++;
    }
  }
  if (!byFormat.size) return;
  const types = [
    ...TYPES,
    ...[...byFormat.values()]
      .flatMap((m) => [...m.keys()])
      .filter((t, i, all) => !TYPES.includes(t) && all.indexOf(t) === i),
  ].filter((t) => [...byFormat.values()].some((m) => m.has(t)));
  const cell = (c) => (c ? `${((100 * c.ok) / c.n).toFixed(0)}% (${c.ok}/${c.n})` : '–');
  console.log('\nunit checks passed, per format and check type:');
  const rowsOut = [
    ['format', ...types],
    ...[...byFormat.entries()].sort().map(([f, m]) => [f, ...types.map((t) => cell(m.get(t)))]),
  ];
  const widths = rowsOut[0].map((_, i) => Math.max(...rowsOut.map((r) => r[i].length)));
  for (const r of rowsOut) console.log(r.map((c, i) => c.padEnd(widths[i])).join('  '));
}

if (failures.length) {
  console.log(`\nfailed conversions (${failures.length}):`);
  for (const f of failures) console.log(`  ${f.id}  [${f.code}] ${f.message}`);
}
const readme = [path.join(corpus, 'README.md'), path.join(corpus, '..', 'README.md')].find((p) => fs.existsSync(p));
if (readme) {
  const lines = fs.readFileSync(readme, 'utf8').split('\n');
  const start = lines.findIndex((l) => /^## Reference results/i.test(l));
  if (start >= 0) {
    const table = lines
      .slice(start + 1)
      .filter((l, i, all) => l.startsWith('|') && all.slice(0, i).every((x) => x.startsWith('|') || x.trim() === ''));
    console.log('\nreference tools (corpus README):');
    for (const l of table) console.log(l);
    try {
      const summary = JSON.parse(
        fs.readFileSync(path.join(outDir, '..', `${path.basename(corpus)}.score.json`), 'utf8'),
      ).summary;
      const header = table[0]
        .split('|')
        .slice(2, -1)
        .map((h) => h.trim().split(' ')[0]);
      console.log(
        `| **MDraft** | ${header
          .map((f) => {
            const s = summary.formats[f];
            return s ? `**${s.score.toFixed(2)}**` : '–';
          })
          .join(' | ')} |`,
      );
    } catch {
      /* scorer printed its own error */
    }
  }
}
const sorted = [...times].sort((a, b) => a - b);
console.log(
  `\nconverted ${docs.length - failures.length}/${docs.length} (${mode}) in ${(times.reduce((a, b) => a + b, 0) / 1000).toFixed(1)} s; median ${sorted[Math.floor(sorted.length / 2)]?.toFixed(1)} ms per document`,
);
