/**
 * Whole-process figures on real documents, side by side with the reference tools in the same run (this machine
 * is noisy: read the ratios, not the absolute times). Used by `npm run bench:speed` (and `--real-only`).
 *
 * - Real text PDFs: the corpus's docling text PDFs concatenated with qpdf (60 and 120 copies each of
 *   amt_handbook_sample, normal_4pages and 2305.03393v1-pg9: 360 and 720 pages), `mdraft` vs `pdftotext`:
 *   wall time, pages/s, the ratio, and MDraft's peak RSS (GNU time's maximum resident set) against page count.
 *   Each size runs `pdfRuns` times (default 5), MDraft and pdftotext alternating, and the medians are compared:
 *   single runs on a shared 2-core machine vary by ±20%. The RSS column gives the median and the largest.
 * - Small files (a one-page DOCX and HTML, built and from the corpus) vs pandoc, and one OCR page vs
 *   `tesseract`: `bench-small.mjs`.
 * Each tool that is missing is reported as missing; nothing fails on a threshold.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ocrPage, smallFiles } from './bench-small.mjs';

const has = (tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

/** Runs `argv` under GNU time: wall seconds and peak RSS in MB (of the process and its threads). */
function timed(argv, options = {}) {
  const useTime = fs.existsSync('/usr/bin/time');
  const cmd = useTime ? ['/usr/bin/time', '-f', 'MDRAFT_TIME %e %M', ...argv] : argv;
  const started = performance.now();
  const run = spawnSync(cmd[0], cmd.slice(1), { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, ...options });
  const wall = (performance.now() - started) / 1000;
  const m = /MDRAFT_TIME ([\d.]+) (\d+)/.exec(run.stderr ?? '');
  return {
    ok: run.status === 0,
    wall,
    rssMb: m ? Number(m[2]) / 1024 : undefined,
    stderr: (run.stderr ?? '').replace(/MDRAFT_TIME.*\n?/, '').slice(-300),
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Median wall time and peak RSS of several runs, with the range and the largest RSS. */
function summary(runs) {
  const walls = runs.map((r) => r.wall);
  const rss = runs.map((r) => r.rssMb).filter((v) => v !== undefined);
  return {
    ok: runs.every((r) => r.ok),
    stderr: runs.find((r) => !r.ok)?.stderr ?? '',
    wall: median(walls),
    min: Math.min(...walls),
    max: Math.max(...walls),
    rssMb: rss.length ? median(rss) : undefined,
    maxRssMb: rss.length ? Math.max(...rss) : undefined,
  };
}

const fmt = (n, digits = 2) => (n === undefined ? '–' : n.toFixed(digits));

/** `parts`: which of 'pdf', 'small', 'ocr' to run (all when undefined). */
export async function benchReal({ project, corpusDir, runs = 7, pdfRuns = 5, parts }) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mdraft-real-'));
  const mdraft = [process.execPath, '--no-warnings', path.join(project, 'bin', 'mdraft.js')];
  try {
    console.log('\nReal documents, whole process, side by side (same run):');
    const run = (part) => !parts || parts.includes(part);
    if (run('pdf')) realPdfs({ corpusDir, tmp, mdraft, runs: pdfRuns });
    if (run('small')) smallFiles({ corpusDir, tmp, mdraft, runs });
    if (run('ocr')) await ocrPage({ corpusDir, tmp, mdraft });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function realPdfs({ corpusDir, tmp, mdraft, runs }) {
  const parts = ['amt_handbook_sample.pdf', 'normal_4pages.pdf', '2305.03393v1-pg9.pdf'].map((f) =>
    path.join(corpusDir, 'docling', f),
  );
  if (!parts.every((p) => fs.existsSync(p))) return console.log('  real PDFs: skipped (corpus docling PDFs missing)');
  if (!has('qpdf')) return console.log('  real PDFs: skipped (qpdf missing: apt-get install qpdf)');
  const rows = [];
  for (const copies of [60, 120]) {
    const file = path.join(tmp, `real-${copies}.pdf`);
    const pagesArgs = Array.from({ length: copies }, () => parts).flat();
    const made = spawnSync('qpdf', ['--empty', '--pages', ...pagesArgs, '--', file]);
    if (made.status !== 0) return console.log(`  real PDFs: qpdf failed: ${made.stderr}`);
    const pages = Number(spawnSync('qpdf', ['--show-npages', file], { encoding: 'utf8' }).stdout.trim());
    const oursRuns = [];
    const refRuns = [];
    for (let i = 0; i < runs; i++) {
      oursRuns.push(timed([...mdraft, 'convert', file, '-o', path.join(tmp, 'out.md'), '-q']));
      if (has('pdftotext')) refRuns.push(timed(['pdftotext', '-layout', file, path.join(tmp, 'out.txt')]));
    }
    rows.push({ pages, ours: summary(oursRuns), ref: refRuns.length ? summary(refRuns) : undefined });
  }
  console.log(
    `  medians of ${runs} run(s) each, alternating; load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores at the end`,
  );
  console.log(
    '  pages  mdraft s (range)        pages/s  peak RSS MB (max)  | pdftotext s  pages/s  | ratio (mdraft/pdftotext pages/s)',
  );
  for (const { pages, ours, ref } of rows) {
    const ourRate = pages / ours.wall;
    const refRate = ref ? pages / ref.wall : undefined;
    const range = `${fmt(ours.wall)} (${fmt(ours.min)}–${fmt(ours.max)})`;
    const rss = `${fmt(ours.rssMb, 0)} (${fmt(ours.maxRssMb, 0)})`;
    console.log(
      `  ${String(pages).padEnd(5)}  ${range.padEnd(22)}  ${fmt(ourRate, 0).padEnd(7)}  ${rss.padEnd(17)}  | ${fmt(ref?.wall).padEnd(11)}  ${fmt(refRate, 0).padEnd(7)}  | ${refRate ? fmt(ourRate / refRate) : '–'}${ours.ok ? '' : `  (mdraft failed: ${ours.stderr})`}`,
    );
  }
}
