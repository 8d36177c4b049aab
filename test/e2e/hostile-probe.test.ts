/**
 * The hostile-upload probe as a test (issue 15): each upload that once froze or bloated the server goes
 * through the whole embedded pipeline (signed upload, finalize, page count, scan slot, sandboxed conversion in
 * a child process) while a second user times `GET /v1/jobs/{id}` on their own job:
 * - the second user's status requests stay fast: p99 under 100 ms, none over 500 ms (on a machine whose own
 *   load already slows a quiet baseline, the same margins on top of that baseline, with a printed warning);
 * - every hostile job ends terminal with a typed error and is never retried (attempts ≤ 1: a bomb fails once,
 *   it is not classified `internal` and tried five times);
 * - the converter processes stay under the resident-set ceiling this test configures (CEILING_MB, the same
 *   `MDRAFT_CONVERT_MAX_RSS_MB` the README documents; the service default is 2048 MB), measured as each child's
 *   high-water mark (`VmHWM`), and the server's own resident set grows by less than MAIN_GROWTH_MB (uploads and
 *   results are streamed, never held whole).
 * Linux only for the RSS figures (procfs); elsewhere they are skipped with a printed warning.
 */
import fs from 'node:fs';
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createApiKey } from '../../shared/service/accounts/api-keys.ts';
import { billionLaughsDocx, millionPagePdf, zipBombDocx } from '../fixtures/hostile.ts';
import { buildCfb } from '../fixtures/xls.ts';
import { pngBomb } from '../fixtures/image-headers.ts';
import { Client, startTestServer, type TestServer } from './client.ts';

const CEILING_MB = 1536;
const MAIN_GROWTH_MB = 400;
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** A 1 KB-class .xls whose DIFAT chain points at itself and declares 2^32 FAT sectors. */
function selfReferencingDifatXls(): Uint8Array {
  const bytes = buildCfb([{ name: 'Workbook', data: new Uint8Array(5000).fill(0x41) }]);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  v.setUint32(44, 0xffffffff, true); // FAT sectors
  v.setUint32(68, 0, true); // first DIFAT sector: sector 0
  v.setUint32(72, 0xffffffff, true); // DIFAT sectors
  v.setUint32(512 + 512 - 4, 0, true); // sector 0's "next DIFAT" → itself
  return bytes;
}

interface Hostile {
  name: string;
  file: string;
  type: string;
  bytes: Uint8Array;
  /** The typed outcomes allowed: failure codes, or `succeeded` for input that is merely awkward, not wrong. */
  expect: string | string[];
}

const HOSTILE: Hostile[] = [
  // 225 bytes that once froze detection for 27 s; valid HTML with one word: it converts.
  {
    name: 'a run of empty HTML comments',
    file: 'c.html',
    type: 'text/html',
    bytes: enc('<!---->'.repeat(32) + 'x'),
    expect: 'succeeded',
  },
  {
    name: 'a longer run, comments before a root',
    file: 'd.html',
    type: 'text/html',
    bytes: enc('<!---->'.repeat(20_000) + '<html><body><p>x</p></body></html>'),
    expect: 'succeeded',
  },
  {
    name: 'a self-referencing DIFAT .xls',
    file: 'loop.xls',
    type: 'application/vnd.ms-excel',
    bytes: selfReferencingDifatXls(),
    expect: 'corrupt',
  },
  { name: 'a 30000×30000 PNG', file: 'huge.png', type: 'image/png', bytes: pngBomb(30000, 30000), expect: 'too_large' },
  {
    name: 'a DOCX with a 250 MB entry',
    file: 'bomb.docx',
    type: DOCX,
    bytes: zipBombDocx(250 * 1024 * 1024),
    expect: 'too_large',
  },
  { name: 'a billion-laughs DOCX', file: 'lol.docx', type: DOCX, bytes: billionLaughsDocx(), expect: 'corrupt' },
  {
    name: 'a PDF of a million pages',
    file: 'pages.pdf',
    type: 'application/pdf',
    bytes: millionPagePdf(),
    // Counted at finalize (in the page-count sandbox) and refused before it is queued; when the count does not
    // finish within its budget (a loaded machine) the size rule queues it and the converter's page cap refuses it.
    expect: ['too_many_pages', 'too_large'],
  },
];

/** Baseline p99 of a quiet machine for one status request over loopback, ms. */
const QUIET_MS = 20;

function stats(latencies: number[]): { p50: number; p99: number; max: number } {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    p50: sorted[Math.floor(sorted.length / 2)],
    p99: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))],
    max: sorted[sorted.length - 1],
  };
}

function enc(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

/** Highest `VmHWM` (MB) of this process's children, sampled; a child's high-water mark survives between samples. */
function childPeakSampler(): { stop(): number | undefined } {
  // `children` lists need CONFIG_PROC_CHILDREN; without them (or without procfs) nothing is measured.
  if (!fs.existsSync(`/proc/self/task/${process.pid}/children`)) return { stop: () => undefined };
  let peak = 0;
  const sample = () => {
    for (const task of fs.readdirSync('/proc/self/task')) {
      let kids: string[];
      try {
        kids = fs.readFileSync(`/proc/self/task/${task}/children`, 'utf8').split(/\s+/).filter(Boolean);
      } catch {
        continue;
      }
      for (const pid of kids) {
        try {
          const hwm = /VmHWM:\s*(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
          if (hwm) peak = Math.max(peak, Number(hwm) / 1024);
        } catch {
          /* exited between the listing and the read */
        }
      }
    }
  };
  const timer = setInterval(sample, 20);
  return {
    stop() {
      sample();
      clearInterval(timer);
      return peak;
    },
  };
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer(
    {
      MDRAFT_OCR: 'off',
      MDRAFT_CONVERT_ISOLATION: 'process',
      MDRAFT_CONVERT_MAX_RSS_MB: String(CEILING_MB),
      MDRAFT_CONVERT_TIMEOUT_S: '60',
    },
    // As `npm start` runs it: converters forked at start-up, not from a grown server in the middle of the probe.
    { warmConverters: true },
  );
}, 30_000);
afterAll(async () => {
  await server?.stop();
});

test('hostile uploads fail once with typed errors while another user is served promptly', async () => {
  const keyFor = async (owner: string) => {
    await server.deps.accounts.ensureUser({ id: owner, now: Date.now() });
    return (await createApiKey(server.deps, { owner, name: 'test' })).key;
  };
  const mallory = new Client(server.url, await keyFor('mallory'));
  const bob = new Client(server.url, await keyFor('bob'));
  const bobsJob = await bob.submit('notes.txt', 'text/plain', enc('Bob writes a short note.\n'));
  expect((await bob.waitFor(bobsJob)).status).toBe('succeeded');

  // Baseline: the same polling with nothing else running, to tell the machine's own load from the pipeline's.
  const baseline: number[] = [];
  for (const stop = Date.now() + 3000; Date.now() < stop;) {
    const started = performance.now();
    await bob.job(bobsJob);
    baseline.push(performance.now() - started);
    await new Promise((r) => setTimeout(r, 20));
  }
  const base = stats(baseline);

  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const peak = childPeakSampler();
  const mainBefore = process.memoryUsage().rss;
  let mainPeak = mainBefore;
  const ids = await Promise.all(HOSTILE.map((h) => mallory.submit(h.file, h.type, h.bytes)));

  // Bob polls his job, one request at a time, until every hostile job is terminal.
  const latencies: number[] = [];
  const terminal = new Map<string, Record<string, unknown> & { status: string; error?: { code: string } }>();
  const end = Date.now() + 50_000;
  while (terminal.size < ids.length && Date.now() < end) {
    const started = performance.now();
    const res = await bob.job(bobsJob);
    latencies.push(performance.now() - started);
    expect(res.status).toBe(200);
    mainPeak = Math.max(mainPeak, process.memoryUsage().rss);
    if (latencies.length % 10 === 0) {
      for (const id of ids) {
        if (terminal.has(id)) continue;
        const job = (await mallory.job(id)).body.job;
        if (['succeeded', 'failed', 'expired'].includes(job.status)) terminal.set(id, job);
      }
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  const childPeakMb = peak.stop();
  loop.disable();
  const loopP99 = loop.percentile(99) / 1e6;
  const loopMax = loop.max / 1e6;

  const outcomes = HOSTILE.map((h, i) => {
    const job = terminal.get(ids[i]);
    return { name: h.name, status: job?.status, code: job?.error?.code ?? job?.status, attempts: job?.attempts };
  });
  const { p50, p99, max } = stats(latencies);
  // On a quiet machine (baseline p99 at most QUIET_MS) the bounds are the issue's: p99 under 100 ms, none over
  // 500 ms. When other processes already slow the baseline (CI runners sharing cores), the pipeline is held to
  // the same margins on top of what the machine costs without it, and the test says so.
  const loadMs = Math.max(0, base.p99 - QUIET_MS);
  const p99Bound = 100 + loadMs;
  const maxBound = 500 + Math.max(0, base.max - 5 * QUIET_MS);
  if (loadMs > 0) {
    process.stderr.write(
      `hostile probe: WARNING the machine is loaded (baseline p99 ${base.p99.toFixed(1)} ms, max ${base.max.toFixed(1)} ms): ` +
        `bounds raised to p99 < ${p99Bound.toFixed(0)} ms, max < ${maxBound.toFixed(0)} ms\n`,
    );
  }
  const mainGrowthMb = (mainPeak - mainBefore) / 1024 / 1024;
  process.stderr.write(
    `hostile probe: baseline p50 ${base.p50.toFixed(1)} ms, p99 ${base.p99.toFixed(1)} ms, max ${base.max.toFixed(1)} ms; ` +
      `under hostile load ${latencies.length} status requests, p50 ${p50.toFixed(1)} ms, ` +
      `p99 ${p99.toFixed(1)} ms, max ${max.toFixed(1)} ms; converter peak RSS ${childPeakMb?.toFixed(0) ?? 'n/a'} MB ` +
      `(ceiling ${CEILING_MB} MB); server RSS growth ${mainGrowthMb.toFixed(0)} MB; ` +
      `event-loop delay p99 ${loopP99.toFixed(1)} ms, max ${loopMax.toFixed(1)} ms; load ${os.loadavg()[0].toFixed(1)}\n` +
      outcomes.map((o) => `  ${o.name}: ${o.code} (attempts ${o.attempts})`).join('\n') +
      '\n',
  );

  for (const [i, h] of HOSTILE.entries()) {
    const allowed = Array.isArray(h.expect) ? h.expect : [h.expect];
    expect({ name: h.name, code: allowed.includes(outcomes[i].code!) ? 'as expected' : outcomes[i].code }).toEqual({
      name: h.name,
      code: 'as expected',
    });
    // Never retried: a failure at finalize has 0 attempts, one in the converter exactly 1.
    expect(outcomes[i].attempts).toBeLessThanOrEqual(1);
  }
  expect(latencies.length).toBeGreaterThan(20);
  expect(p99).toBeLessThan(p99Bound);
  expect(max).toBeLessThan(maxBound);
  if (childPeakMb === undefined) {
    process.stderr.write(
      'hostile probe: WARNING no /proc/<pid>/task/<tid>/children here: converter RSS not measured\n',
    );
  } else {
    expect(childPeakMb).toBeGreaterThan(0);
    expect(childPeakMb).toBeLessThan(CEILING_MB);
  }
  expect(mainGrowthMb).toBeLessThan(MAIN_GROWTH_MB);
  // The server still serves Bob's result after all of it.
  const result = await bob.result(bobsJob);
  expect(result.redirect.status).toBe(302);
  expect(await result.download!.text()).toContain('short note');
}, 90_000);
