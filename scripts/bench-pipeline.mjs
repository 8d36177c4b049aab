#!/usr/bin/env node
/**
 * npm run bench:pipeline -- [--docs 200] [--clients 16] [--workers N]
 * Starts the embedded default on a free loopback port with a fresh data directory, then has N concurrent
 * clients push mixed documents through the whole public flow (create job → signed PUT → poll → download),
 * while a prober measures `GET /v1/jobs/{id}` latency under that load. Prints jobs/s, p50/p95 time from
 * upload to `succeeded`, p99 status latency, and every job that did not succeed (none may be lost or stuck).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startLocalServer } from '../functions/local.ts';
import { DEFAULT_PLANS } from '../shared/service/accounts/plans.ts';
import { setLogLevel } from '../shared/service/logs.ts';
import { buildDocx, p, styled } from '../test/fixtures/docx.ts';
import { buildXlsx } from '../test/fixtures/xlsx.ts';
import { buildPptx, title, sp, para } from '../test/fixtures/pptx.ts';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const total = opt('--docs', 200);
const clients = opt('--clients', 16);
const workers = opt('--workers', Math.max(2, os.availableParallelism()));

const lorem = (i) => `Document ${i} says the quick brown fox jumps over the lazy dog, number ${i * 7}.`;
const makers = [
  (i) => ({
    name: `d${i}.docx`,
    type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    bytes: buildDocx({ body: styled('Heading1', `Title ${i}`) + p(lorem(i)) + p(lorem(i + 1)) }),
  }),
  (i) => ({
    name: `s${i}.xlsx`,
    type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    bytes: buildXlsx({
      sheets: [{ name: 'Data', cells: { A1: 'id', B1: 'value', A2: i, B2: i * 2, A3: i + 1, B3: i * 3 } }],
    }),
  }),
  (i) => ({
    name: `p${i}.pptx`,
    type: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    bytes: buildPptx({ slides: [{ shapes: title(`Slide ${i}`) + sp(para(lorem(i))) }] }),
  }),
  (i) => ({
    name: `h${i}.html`,
    type: 'text/html',
    bytes: new TextEncoder().encode(
      `<!doctype html><title>Page ${i}</title><h1>Page ${i}</h1><p>${lorem(i)}</p><table><tr><th>a</th><th>b</th></tr><tr><td>${i}</td><td>${i + 1}</td></tr></table>`,
    ),
  }),
  (i) => ({
    name: `c${i}.csv`,
    type: 'text/csv',
    bytes: new TextEncoder().encode(`id,name,score\n${i},row ${i},${i * 1.5}\n${i + 1},row ${i + 1},${i * 2.5}\n`),
  }),
  (i) => ({
    name: `m${i}.md`,
    type: 'text/markdown',
    bytes: new TextEncoder().encode(`# Note ${i}\n\n- ${lorem(i)}\n- second item\n`),
  }),
];
const docs = Array.from({ length: total }, (_, i) => makers[i % makers.length](i));

// Request logs would drown the figures; warnings and errors still print.
setLogLevel(process.env.MDRAFT_LOG_LEVEL ?? 'warning');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mdraft-bench-pipeline-'));
const server = await startLocalServer({
  env: {
    ...process.env,
    PORT: '0',
    MDRAFT_DATA_DIR: dataDir,
    MDRAFT_CONVERT_WORKERS: String(workers),
    // The bench measures the pipeline, not the free plan's limits: one user with room for the whole batch.
    MDRAFT_PLANS: JSON.stringify({
      ...DEFAULT_PLANS,
      free: { ...DEFAULT_PLANS.free, monthlyUnits: 10_000_000, concurrentJobs: 1000, maxFileBytes: 1024 ** 3 },
    }),
  },
  cleanupEveryMs: 0,
});
const api = server.url;
const key = server.apiKey;
const headers = { 'X-API-Key': key };
const percentile = (values, q) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : NaN;
};

const uploadToDone = [];
const statusLatency = [];
const outcomes = new Map();
const jobIds = [];
let next = 0;
let running = true;

async function client() {
  for (;;) {
    const index = next++;
    if (index >= docs.length) return;
    const doc = docs[index];
    let jobId;
    try {
      const created = await fetch(`${api}/v1/jobs`, {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/json' },
        body: JSON.stringify({ filename: doc.name, contentType: doc.type, size: doc.bytes.length }),
      });
      if (created.status !== 201) throw new Error(`create: HTTP ${created.status} ${await created.text()}`);
      const { job, upload } = await created.json();
      jobId = job.id;
      jobIds.push(jobId);
      const put = await fetch(upload.url, { method: upload.method, headers: upload.headers, body: doc.bytes });
      if (!put.ok) throw new Error(`upload: HTTP ${put.status}`);
      const uploaded = performance.now();
      let delay = 50;
      const deadline = Date.now() + 300_000;
      for (;;) {
        const res = await fetch(`${api}/v1/jobs/${jobId}`, { headers });
        const { job: state } = await res.json();
        if (state.status === 'succeeded') break;
        if (state.status === 'failed' || state.status === 'expired')
          throw new Error(`${state.status}: ${state.error?.code} ${state.error?.message}`);
        if (Date.now() > deadline) throw new Error(`stuck in ${state.status}`);
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(1000, delay * 1.5);
      }
      uploadToDone.push(performance.now() - uploaded);
      const result = await fetch(`${api}/v1/jobs/${jobId}/result`, { headers });
      if (!result.ok || !(await result.text()).trim()) throw new Error(`download: HTTP ${result.status}`);
      outcomes.set(index, 'succeeded');
    } catch (error) {
      outcomes.set(index, `${doc.name} (${jobId ?? 'no job'}): ${error.message}`);
    }
  }
}

/** Polls random known jobs as fast as one connection allows, to measure status latency under load. */
async function prober() {
  while (running) {
    if (jobIds.length === 0) {
      await new Promise((r) => setTimeout(r, 10));
      continue;
    }
    const id = jobIds[Math.floor(Math.random() * jobIds.length)];
    const started = performance.now();
    const res = await fetch(`${api}/v1/jobs/${id}`, { headers });
    await res.arrayBuffer();
    statusLatency.push(performance.now() - started);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const started = performance.now();
const probing = prober();
await Promise.all(Array.from({ length: clients }, client));
const elapsed = (performance.now() - started) / 1000;
running = false;
await probing;
await server.close();
fs.rmSync(dataDir, { recursive: true, force: true });

const failed = [...outcomes.entries()].filter(([, v]) => v !== 'succeeded');
const f = (ms) => `${ms.toFixed(0)} ms`;
console.log(
  `bench:pipeline — embedded default, ${docs.length} mixed documents (docx, xlsx, pptx, html, csv, md), ${clients} concurrent clients, ${workers} conversion workers, ${os.availableParallelism()} cores`,
);
console.log(
  `  jobs/s                         ${((docs.length - failed.length) / elapsed).toFixed(1)}  (${elapsed.toFixed(1)} s wall)`,
);
console.log(
  `  upload → succeeded             p50 ${f(percentile(uploadToDone, 0.5))}   p95 ${f(percentile(uploadToDone, 0.95))}   max ${f(Math.max(...uploadToDone))}`,
);
console.log(
  `  GET /v1/jobs/{id} under load   p50 ${f(percentile(statusLatency, 0.5))}   p99 ${f(percentile(statusLatency, 0.99))}   (${statusLatency.length} probes)`,
);
console.log(
  `  succeeded ${docs.length - failed.length}/${docs.length}; lost or stuck: ${docs.length - outcomes.size}; failed: ${failed.length}`,
);
for (const [, why] of failed) console.log(`    ${why}`);
process.exitCode = failed.length || outcomes.size !== docs.length ? 1 : 0;
