#!/usr/bin/env node
/**
 * npm run bench:ai — measures the offline analysis engine on the labelled RFP set the project builds
 * (test/analysis/rfp-corpus.ts: RFP-like documents generated in code, rendered as DOCX, HTML and PDF, with
 * known obligations, sections, pages and question→passage labels). Each document is converted by the engine
 * in this process, then analysed; the figures per format and overall:
 * - requirement recall (labelled obligations found) and precision (found sentences that are obligations);
 *   a found requirement matches a label when one text contains the other after normalizing white space,
 *   Markdown escapes and emphasis;
 * - section accuracy (matched requirements with the label's section number) and page accuracy (paged
 *   formats only);
 * - ask hit rate: the labelled passage within the top 3 passages; "not in the document" accuracy for the
 *   unanswerable questions; and injection false alarms on these clean documents.
 * No network, no model.
 */
import { convert } from '../shared/engine/engine.ts';
import { analyzeOffline } from '../shared/analysis/offline.ts';
import { RFPS, rfpDocx, rfpHtml, rfpPdf } from '../test/analysis/rfp-corpus.ts';

const norm = (s) =>
  s
    .replace(/\\([!-/:-@[-`{-~])/g, '$1')
    .replace(/[*_]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();

const FORMATS = {
  docx: async (r) => rfpDocx(r),
  html: async (r) => rfpHtml(r),
  pdf: async (r) => rfpPdf(r),
};

const totals = {};
const add = (format, key, n = 1) => {
  for (const f of [format, 'all']) {
    totals[f] ??= {};
    totals[f][key] = (totals[f][key] ?? 0) + n;
  }
};

for (const rfp of RFPS) {
  for (const [format, build] of Object.entries(FORMATS)) {
    const result = await convert(await build(rfp), { ocr: false });
    const doc = { markdown: result.markdown, ...(result.pages ? { pages: result.pages } : {}) };
    const paged = Boolean(result.pages?.length);
    const req = analyzeOffline(doc, { kind: 'requirements' });
    const labels = rfp.sections.flatMap((s, i) =>
      s.sentences.filter((x) => x.obligation).map((x) => ({ text: norm(x.text), section: s.number, page: i + 1 })),
    );
    const found = req.requirements.map((r) => ({ ...r, n: norm(r.text) }));
    const matches = (r, l) => r.n.includes(l.text) || l.text.includes(r.n);
    for (const l of labels) {
      add(format, 'labels');
      const hit = found.find((r) => matches(r, l));
      if (!hit) {
        if (process.argv.includes('--verbose')) console.log(`missed [${format}] ${l.text}`);
        continue;
      }
      add(format, 'recalled');
      if (hit.section?.number === l.section) add(format, 'sectionRight');
      if (paged) {
        add(format, 'paged');
        if (hit.page === l.page) add(format, 'pageRight');
      }
    }
    for (const r of found) {
      add(format, 'found');
      if (labels.some((l) => matches(r, l))) add(format, 'precise');
      else if (process.argv.includes('--verbose')) console.log(`extra  [${format}] ${r.text}`);
    }
    if (req.warnings.length) add(format, 'falseAlarms');
    add(format, 'docs');
    for (const q of rfp.questions) {
      const a = analyzeOffline(doc, { kind: 'ask', question: q.question });
      if (q.answer === null) {
        add(format, 'unanswerable');
        if (!a.found) add(format, 'rejected');
        continue;
      }
      add(format, 'questions');
      const want = norm(q.answer);
      if (a.passages.slice(0, 3).some((p) => norm(p.text).includes(want))) add(format, 'askHits');
      else if (process.argv.includes('--verbose')) console.log(`ask miss [${format}] ${q.question}`);
      if (a.found) add(format, 'answered');
    }
  }
}

const pct = (a, b) => (b ? `${((100 * (a ?? 0)) / b).toFixed(1)}%` : 'n/a');
const rows = Object.entries(totals).map(([format, t]) => ({
  format,
  docs: t.docs,
  obligations: t.labels,
  recall: pct(t.recalled, t.labels),
  precision: pct(t.precise, t.found),
  section: pct(t.sectionRight, t.recalled),
  page: pct(t.pageRight, t.paged),
  'ask hit@3': pct(t.askHits, t.questions),
  answered: pct(t.answered, t.questions),
  'not-in-doc': pct(t.rejected, t.unanswerable),
  'injection false alarms': t.falseAlarms ?? 0,
}));
console.log(`bench:ai — offline engine on ${RFPS.length} generated RFPs × ${Object.keys(FORMATS).length} formats`);
console.table(rows);
