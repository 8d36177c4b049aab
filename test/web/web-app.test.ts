/**
 * The web page in a real browser: playwright-core drives Debian's chromium (`/usr/bin/chromium`, installed by
 * `scripts/test-prerequisites.sh`; never a browser download) against the embedded default started in-process
 * on loopback with a temporary data directory and the page built by `scripts/build-web.mjs` into a temporary
 * directory. One browser and one server for the whole file; conversions run in the real sandbox.
 *
 * Covered: the page's headers (CSP without inline script, nosniff, referrer policy, caching of hashed assets),
 * sign-in with the one-time link and with a pasted API key, three uploads of different formats straight to
 * their signed URLs with progress and live status, the estimate/confirm step, the preview and the Markdown
 * source, copy and downloads, a hostile Markdown result rendered with nothing executed, API keys created and
 * revoked, the quota message on a plan with no units left, the jobs list (search by name on the server,
 * paging, delete), the admin area, the API reference page, phone width, the analyses of an RFP (requirements
 * table and its CSV, a question's quoted passage followed to its place in the Markdown, the AI allowance
 * refusal). Screenshots of the main screens go to docs/screenshots/.
 *
 * Without chromium the suite is skipped with a loud warning, never passed silently.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { DEFAULT_PLANS } from '../../shared/service/accounts/plans.ts';
import { LOCAL_USER } from '../../functions/local.ts';
import { startTestServer, type TestServer } from '../e2e/client.ts';
import { buildDocx, p, paragraphStyle, styled } from '../fixtures/docx.ts';
import { buildPdf, paragraphLines } from '../fixtures/pdf.ts';
import { RFPS, rfpDocx } from '../analysis/rfp-corpus.ts';

const CHROMIUM = process.env.MDRAFT_CHROMIUM ?? '/usr/bin/chromium';
const ROOT = path.resolve(import.meta.dirname, '../..');
const SHOTS = path.join(ROOT, 'docs/screenshots');

const missing = existsSync(CHROMIUM) ? undefined : `${CHROMIUM} does not exist`;
if (missing) {
  const line = '!'.repeat(100);
  console.warn(
    `${line}\n!! The web app browser tests did NOT run: ${missing}.\n` +
      `!! Install Debian's chromium (scripts/test-prerequisites.sh does: apt-get install chromium).\n${line}`,
  );
}
const suite = missing ? describe.skip : describe;

/** The free plan with room for the tests' jobs; `tiny` has no units at all (the quota message). */
const PLANS = JSON.stringify({
  ...DEFAULT_PLANS,
  free: { ...DEFAULT_PLANS.free, monthlyUnits: 100_000, concurrentJobs: 50 },
  tiny: { ...DEFAULT_PLANS.free, title: 'Tiny', monthlyUnits: 0, aiCallsPerMonth: 0 },
  single: { ...DEFAULT_PLANS.free, title: 'Single', monthlyUnits: 100_000, concurrentJobs: 1 },
});

/** Markdown whose conversion keeps raw HTML: every classic way to run script from a rendered page. */
const HOSTILE_MD = [
  '# Hostile notes',
  '',
  '<script>window.__pwned = "script"</script>',
  '',
  '<svg onload="window.__pwned = \'svg\'"><circle r="5"/></svg>',
  '',
  '<img src="x" onerror="window.__pwned = \'img\'">',
  '',
  '<!-- hidden comment --><a href="javascript:window.__pwned=\'link\'">click me</a>',
  '',
  '<iframe src="javascript:parent.__pwned=\'iframe\'"></iframe>',
  '',
  '[data link](data:text/html;base64,PHNjcmlwdD5wYXJlbnQuX19wd25lZD0xPC9zY3JpcHQ+) and <a href="data:text/html,x">raw data link</a>',
  '',
  '<details open ontoggle="window.__pwned=\'details\'">x</details>',
  '',
  'Plain text after the attack.',
  '',
].join('\n');

suite('the web app in chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let webRoot: string;
  const dialogs: string[] = [];
  const pageErrors: string[] = [];
  const cspViolations: string[] = [];

  const shot = async (name: string, target: Page = page) => {
    mkdirSync(SHOTS, { recursive: true });
    await target.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  };

  const watch = (p: Page) => {
    p.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    p.on('pageerror', (e) => pageErrors.push(e.message));
    p.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
  };

  beforeAll(async () => {
    webRoot = mkdtempSync(path.join(tmpdir(), 'mdraft-web-'));
    execFileSync(process.execPath, [path.join(ROOT, 'scripts/build-web.mjs'), '--out', webRoot], { cwd: ROOT });
    server = await startTestServer({ MDRAFT_PLANS: PLANS }, { webRoot });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
    });
    context = await browser.newContext({ viewport: { width: 1100, height: 800 }, acceptDownloads: true });
    page = await context.newPage();
    watch(page);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (webRoot) rmSync(webRoot, { recursive: true, force: true });
  }, 60_000);

  afterEach(() => {
    // Nothing may ever have run from a result, and the page never breaks its own policy.
    expect(dialogs).toEqual([]);
    expect(cspViolations).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  test('the page and its assets carry a strict CSP, nosniff, a referrer policy and fitting caching', async () => {
    const res = await fetch(`${server.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = res.headers.get('content-security-policy') ?? '';
    const directives = new Map(
      csp.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name, values] as const;
      }),
    );
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    // No Firebase origins when Firebase sign-in is not configured.
    expect(csp).not.toContain('googleapis');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const html = await res.text();
    // Every script element either loads a file or is a JSON data block (never executed).
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThanOrEqual(2);
    for (const [, attrs, body] of scripts) {
      if (/\bsrc=/.test(attrs)) expect(body.trim()).toBe('');
      else expect(attrs).toContain('type="application/json"');
    }
    const settings = JSON.parse(/id="mdraft-config">([^<]*)</.exec(html)![1]) as { local: boolean };
    expect(settings).toEqual({ local: true });

    const js = /src="(\/assets\/app-[\w-]+\.js)"/.exec(html)![1];
    const asset = await fetch(`${server.url}${js}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('x-content-type-options')).toBe('nosniff');
    const css = /href="(\/assets\/style-[\w-]+\.css)"/.exec(html)![1];
    expect((await fetch(`${server.url}${css}`)).headers.get('content-type')).toBe('text/css; charset=utf-8');

    for (const bad of ['/assets/nope.js', '/assets/..%2Findex.html', '/assets/.hidden', '/docs/package.json'])
      expect((await fetch(`${server.url}${bad}`)).status).toBe(404);
    expect((await fetch(`${server.url}/`, { method: 'POST' })).status).toBe(405);

    const docs = await fetch(`${server.url}/docs`);
    expect(docs.status).toBe(200);
    const docsCsp = docs.headers.get('content-security-policy') ?? '';
    expect(docsCsp).toContain("script-src 'self'");
    expect(docsCsp).toContain("style-src 'self' 'unsafe-inline'");
    expect(docsCsp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect((await fetch(`${server.url}/docs/swagger-ui-bundle.js`)).headers.get('content-type')).toBe(
      'text/javascript; charset=utf-8',
    );
    // The API keeps its own (stricter) policy.
    expect((await fetch(`${server.url}/healthz`)).headers.get('content-security-policy')).toBe(
      "default-src 'none'; frame-ancestors 'none'",
    );
  });

  test('signed out, the page offers the link and an API key; the link signs in', async () => {
    await page.goto(`${server.url}/`);
    await page.getByRole('heading', { name: 'Sign in to MDraft' }).waitFor();
    await expect(page.getByLabel('API key', { exact: true }).isVisible()).resolves.toBe(true);
    await shot('sign-in');
    await page.goto(server.signInUrl);
    await page.waitForURL(`${server.url}/`);
    await page.getByText('Signed in as').waitFor();
    expect(await page.locator('.who strong').textContent()).toBe(LOCAL_USER);
  });

  test('three documents of different formats upload straight to their signed URLs and complete', async () => {
    const docx = buildDocx({
      styles: paragraphStyle('Heading1', 'heading 1'),
      body: styled('Heading1', 'Quarterly report') + p('Revenue grew in every region.'),
    });
    const pdf = await buildPdf([
      paragraphLines(['First page of the brochure.'], 72, 100, 14),
      paragraphLines(['Second page of the brochure.'], 72, 100, 14),
    ]);
    // Large enough for several progress events on loopback.
    const rows = Array.from({ length: 8_000 }, (_, i) => `${i},item ${i},${(i * 7) % 100}`);
    const csv = Buffer.from(`id,name,score\n${rows.join('\n')}\n`);
    // Record every value the progress bars show, and every request the page makes.
    await page.evaluate(() => {
      const seen: Record<string, number[]> = {};
      (window as unknown as { __progress: typeof seen }).__progress = seen;
      new MutationObserver(() => {
        for (const li of document.querySelectorAll('li.upload')) {
          const name = li.getAttribute('data-filename') ?? '';
          const v = Number(li.querySelector('progress')?.getAttribute('value') ?? -1);
          const list = (seen[name] ??= []);
          if (list[list.length - 1] !== v) list.push(v);
        }
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    const requests: string[] = [];
    page.on('request', (r) => requests.push(`${r.method()} ${new URL(r.url()).pathname}`));

    await page.setInputFiles('#file-input', [
      { name: 'report.docx', mimeType: '', buffer: Buffer.from(docx) },
      { name: 'brochure.pdf', mimeType: 'application/pdf', buffer: Buffer.from(pdf) },
      { name: 'scores.csv', mimeType: 'text/csv', buffer: csv },
    ]);
    for (const name of ['report.docx', 'brochure.pdf', 'scores.csv'])
      await page.locator(`li.upload[data-filename="${name}"] [data-status="succeeded"]`).waitFor({ timeout: 60_000 });
    await shot('uploads');

    const progress = await page.evaluate(
      () => (window as unknown as { __progress: Record<string, number[]> }).__progress,
    );
    for (const name of ['report.docx', 'brochure.pdf', 'scores.csv']) {
      expect(progress[name][0]).toBe(0);
      expect(progress[name].at(-1)).toBe(100);
    }
    // The document bytes went to the signed blob URLs, never to the API.
    const puts = requests.filter((r) => r.startsWith('PUT '));
    expect(puts).toHaveLength(3);
    for (const put of puts) expect(put).toMatch(/^PUT \/_blobs\//);
    expect(requests.filter((r) => r === 'POST /v1/jobs')).toHaveLength(3);
    // Live status without reload: the page polled the jobs.
    expect(requests.filter((r) => /^GET \/v1\/jobs\/[^/]+$/.test(r)).length).toBeGreaterThanOrEqual(3);
  });

  test('the preview renders the Markdown; the source, copy and both downloads give the result', async () => {
    await page.getByRole('button', { name: 'Open report.docx' }).click();
    await page.getByRole('heading', { name: 'report.docx' }).waitFor();
    const heading = page.locator('.markdown-body h1');
    await heading.waitFor();
    expect(await heading.textContent()).toBe('Quarterly report');
    await shot('preview');

    await page.getByRole('tab', { name: 'Markdown' }).click();
    const source = await page.locator('#md-source').inputValue();
    expect(source).toContain('# Quarterly report');
    expect(source).toContain('Revenue grew in every region.');

    const [md] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download .md' }).click(),
    ]);
    expect(md.suggestedFilename()).toBe('report.md');
    expect(readFileSync(await md.path(), 'utf8')).toBe(source);
    const [js] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download .json' }).click(),
    ]);
    expect(js.suggestedFilename()).toBe('report.json');
    const parsed = JSON.parse(readFileSync(await js.path(), 'utf8')) as Record<string, unknown>;
    expect(JSON.stringify(parsed)).toContain('Quarterly report');

    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    await page.getByRole('button', { name: 'Copy' }).click();
    await page.getByText('Markdown copied to the clipboard.').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(source);
  });

  test('a PDF converted with page marks previews with a separator per page', async () => {
    const bytes = await buildPdf([
      paragraphLines(['Alpha page text.'], 72, 100, 14),
      paragraphLines(['Beta page text.'], 72, 100, 14),
    ]);
    await page.getByRole('button', { name: 'Convert', exact: true }).click();
    await page.getByLabel(/Mark where each page or slide begins/).check();
    await page.setInputFiles('#file-input', [
      { name: 'paged.pdf', mimeType: 'application/pdf', buffer: Buffer.from(bytes) },
    ]);
    await page.locator('li.upload[data-filename="paged.pdf"] [data-status="succeeded"]').waitFor({ timeout: 60_000 });
    await page.getByLabel(/Mark where each page or slide begins/).uncheck();
    await page.getByRole('button', { name: 'Open paged.pdf' }).click();
    await page.locator('.page-separator').first().waitFor();
    expect(await page.locator('.page-separator').allTextContents()).toEqual(['Page 1', 'Page 2']);
    expect(await page.locator(`.page[data-page="2"] .markdown-body`).textContent()).toContain('Beta page text.');
    expect(await page.locator(`.page[data-page="1"] .markdown-body`).textContent()).not.toContain('Beta');
  });

  test('analyses of an RFP: the requirements table and its CSV; an answer whose quoted passage opens in the Markdown', async () => {
    const rfp = RFPS[0];
    await page.getByRole('button', { name: 'Convert', exact: true }).click();
    await page.setInputFiles('#file-input', [{ name: 'rfp.docx', mimeType: '', buffer: Buffer.from(rfpDocx(rfp)) }]);
    await page.locator('li.upload[data-filename="rfp.docx"] [data-status="succeeded"]').waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Open rfp.docx' }).click();
    await page.getByRole('heading', { name: 'Analyses' }).waitFor();
    await page.getByText('No analyses of this document yet.').waitFor();

    // Requirements: one table row per obligation, verbatim, with its section and level; no distractor.
    await page.getByRole('button', { name: 'Requirements matrix', exact: true }).click();
    const table = page.getByRole('table', { name: /Requirements matrix/ });
    await table.locator('tbody tr').first().waitFor({ timeout: 30_000 });
    const rows = await table
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => (c.firstChild?.textContent ?? '').trim())));
    const submit = rows.find((r) => r[1].startsWith('Offerors shall submit three (3) copies'));
    expect(submit).toBeDefined();
    expect(submit![1]).toBe(
      'Offerors shall submit three (3) copies of their proposal no later than March 15, 2026 at 5:00 PM.',
    );
    expect(submit![2]).toMatch(/Submission Instructions/);
    expect(submit![4]).toBe('mandatory');
    expect(rows.find((r) => r[1].startsWith('The Contractor shall not assign'))?.[4]).toBe('prohibited');
    expect(rows.some((r) => r[1].includes('established in 1921'))).toBe(false);
    const obligations = rfp.sections.flatMap((s) => s.sentences.filter((x) => x.obligation)).length;
    expect(rows.length).toBeGreaterThanOrEqual(obligations - 2);
    await shot('analyses-requirements');
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    expect(csv.suggestedFilename()).toBe('rfp-requirements.csv');
    const lines = readFileSync(await csv.path(), 'utf8').split('\r\n');
    expect(lines[0]).toBe('id,section,heading,page,level,modal,party,category,dates,quantities,text,start,end');
    expect(lines.filter(Boolean)).toHaveLength(rows.length + 1);
    expect(lines.some((l) => l.includes('"Offerors shall submit three (3) copies'))).toBe(true);

    // Ask: the answer's quoted passage, followed to its place in the Markdown, marked and in view.
    await page.getByLabel('Ask a question about this document').fill('How many copies must offerors submit?');
    await page.getByRole('button', { name: 'Ask', exact: true }).click();
    await page.locator('.answer[data-found="true"]').waitFor({ timeout: 30_000 });
    const quote = page.locator('.claim .quote').filter({ hasText: 'three (3) copies' }).first();
    const quoted = (await quote.locator('blockquote').textContent()) ?? '';
    expect(quoted).toContain('three (3) copies');
    expect(await quote.locator('.where').textContent()).toMatch(/Submission Instructions/);
    await shot('analyses-ask');
    await quote.getByRole('link', { name: /Show in the Markdown/ }).click();
    const mark = page.locator('#passage-mark');
    await mark.waitFor();
    expect(await mark.textContent()).toBe(quoted);
    expect(await page.getByRole('tab', { name: 'Markdown' }).getAttribute('aria-selected')).toBe('true');
    expect(await mark.evaluate((el) => document.activeElement === el)).toBe(true);
    const box = (await mark.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(800);
    // The marked text sits at the quote's offsets in the Markdown the result download gives.
    const [start, end] = await quote
      .locator('a.passage-link')
      .evaluate((a) => [Number(a.getAttribute('data-start')), Number(a.getAttribute('data-end'))]);
    const all = (await page.locator('pre.passage-source').textContent()) ?? '';
    expect(all.slice(start, end)).toBe(quoted);
    await page.getByRole('button', { name: 'Show the plain source' }).click();
    expect(await page.locator('#md-source').inputValue()).toBe(all);

    // The plan's AI allowance spent: refused in words, with the code and the request id.
    expect(await server.deps.userAdmin!.setPlan(LOCAL_USER, 'tiny')).toBe(true);
    try {
      await page.getByRole('button', { name: 'Summary', exact: true }).click();
      const alert = page.locator('.analyses [role="alert"]');
      await alert.waitFor();
      const text = (await alert.textContent()) ?? '';
      expect(text).toContain("This month's AI allowance of your plan is spent");
      expect(text).toContain('[ai_quota_exceeded]');
      expect(text).toMatch(/request id: \S+/);
    } finally {
      await server.deps.userAdmin!.setPlan(LOCAL_USER, 'free');
    }
    expect(await page.locator('li.analysis-row').count()).toBe(2);

    // Outline and summary: lists whose entries link to their passages.
    await page.getByRole('button', { name: 'Outline', exact: true }).click();
    const outline = page.locator('ul.outline > li');
    await outline.nth(5).waitFor({ timeout: 30_000 });
    expect(await outline.locator('> a.passage-link').allTextContents()).toEqual([
      rfp.title,
      ...rfp.sections.map((s) => `${s.number}. ${s.title}`),
    ]);
    await outline.locator('> a.passage-link', { hasText: '3. Scope of Work' }).click();
    expect(await page.locator('#passage-mark').textContent()).toContain('3. Scope of Work');
    await page.getByRole('button', { name: 'Summary', exact: true }).click();
    await page.locator('.analysis h5', { hasText: 'The whole document' }).waitFor({ timeout: 30_000 });
    const summaryQuotes = await page.locator('.analysis .claim blockquote').allTextContents();
    expect(summaryQuotes.length).toBeGreaterThan(0);
    for (const q of summaryQuotes) expect(all).toContain(q);
    expect(await page.locator('li.analysis-row').count()).toBe(4);
  });

  test('a hostile Markdown result renders as text: no script, handler, SVG, javascript: or data: link runs', async () => {
    await page.getByRole('button', { name: 'Convert', exact: true }).click();
    await page.setInputFiles('#file-input', [
      { name: 'hostile.md', mimeType: 'text/markdown', buffer: Buffer.from(HOSTILE_MD) },
    ]);
    await page.locator('li.upload[data-filename="hostile.md"] [data-status="succeeded"]').waitFor({ timeout: 60_000 });
    const jobId = await page.locator('li.upload[data-filename="hostile.md"]').getAttribute('data-job-id');
    // The converted Markdown really carries the attacks (the converter keeps raw HTML as HTML).
    // The page asks for the link without a redirect and downloads it without credentials.
    const linkRes = await fetch(`${server.url}/v1/jobs/${jobId}/result?redirect=false`, { headers: key() });
    expect(linkRes.status).toBe(200);
    const link = (await linkRes.json()) as { url: string; expiresAt: string };
    const result = await (await fetch(link.url)).text();
    for (const attack of ['<script>', '<svg onload=', 'onerror=', 'javascript:', '<!--', '<iframe', 'ontoggle'])
      expect(result).toContain(attack);

    await page.getByRole('button', { name: 'Open hostile.md' }).click();
    const body = page.locator('.markdown-body').first();
    await body.waitFor();
    await page.getByText('Plain text after the attack.').waitFor();
    await page.waitForTimeout(300);
    const dom = await body.evaluate((el) => ({
      elements: [...el.querySelectorAll('*')].map((e) => e.tagName.toLowerCase()),
      attributes: [...el.querySelectorAll('*')].flatMap((e) => [...e.attributes].map((a) => `${a.name}=${a.value}`)),
      text: el.textContent ?? '',
    }));
    for (const tag of ['script', 'svg', 'img', 'iframe', 'details', 'circle']) expect(dom.elements).not.toContain(tag);
    expect(dom.attributes.filter((a) => /^on/i.test(a))).toEqual([]);
    expect(dom.attributes.filter((a) => /^href=/.test(a) && !/^href=https?:/.test(a))).toEqual([]);
    // The raw HTML shows as text, so the reader sees what the document contained.
    expect(dom.text).toContain('<script>window.__pwned = "script"</script>');
    expect(dom.text).toContain('<!-- hidden comment -->');
    // Click everything that looks like a link: nothing may run.
    for (const a of await body.locator('a').all()) await a.click({ modifiers: [] }).catch(() => undefined);
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    await shot('hostile-preview');
  });

  test('the estimate and confirm step: a job waits with its units until the user converts it', async () => {
    await page.getByRole('button', { name: 'Convert', exact: true }).click();
    await page.getByLabel(/Show the estimate and ask before converting/).check();
    await page.setInputFiles('#file-input', [
      { name: 'memo.txt', mimeType: 'text/plain', buffer: Buffer.from('A short memo.\n') },
    ]);
    const row = page.locator('li.upload[data-filename="memo.txt"]');
    await row.locator('[data-status="awaiting_confirmation"]').waitFor({ timeout: 30_000 });
    expect(await row.locator('.confirm').textContent()).toMatch(/\d+ units/);
    await row.getByRole('button', { name: 'Convert memo.txt' }).click();
    await row.locator('[data-status="succeeded"]').waitFor({ timeout: 60_000 });
    await page.getByLabel(/Show the estimate and ask before converting/).uncheck();
  });

  test('more files than the plan converts at once wait for a free slot instead of failing', async () => {
    expect(await server.deps.userAdmin!.setPlan(LOCAL_USER, 'single')).toBe(true);
    try {
      await page.evaluate(() => {
        const w = window as unknown as { __waited: string[] };
        w.__waited = [];
        new MutationObserver(() => {
          for (const li of document.querySelectorAll('li.upload'))
            if (li.querySelector('.status')?.textContent === 'waiting for a free slot')
              w.__waited.push(li.getAttribute('data-filename') ?? '');
        }).observe(document.body, { subtree: true, childList: true, characterData: true });
      });
      const names = ['one.txt', 'two.txt', 'three.txt'];
      await page.setInputFiles(
        '#file-input',
        names.map((name) => ({ name, mimeType: 'text/plain', buffer: Buffer.from(`The file ${name}.\n`) })),
      );
      for (const name of names)
        await page.locator(`li.upload[data-filename="${name}"] [data-status="succeeded"]`).waitFor({ timeout: 60_000 });
      const waited = await page.evaluate(() => (window as unknown as { __waited: string[] }).__waited);
      // One slot: at least two of the three were refused `too_many_jobs` at first and waited.
      expect(new Set(waited).size).toBeGreaterThanOrEqual(2);
    } finally {
      await server.deps.userAdmin!.setPlan(LOCAL_USER, 'free');
    }
  });

  test('API keys: created and shown once, usable, revoked', async () => {
    await page.getByRole('button', { name: 'API keys' }).click();
    await page.getByLabel('Name of the new key').fill('ci-pipeline');
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = await page.getByLabel('New API key').inputValue();
    expect(secret).toMatch(/^mdk_/);
    expect((await fetch(`${server.url}/v1/me`, { headers: { 'X-API-Key': secret } })).status).toBe(200);
    await shot('keys');
    await page.getByRole('button', { name: 'I copied it' }).click();
    expect(await page.getByLabel('New API key').count()).toBe(0);
    await page.getByRole('button', { name: 'Revoke ci-pipeline' }).click();
    await page.getByRole('button', { name: 'Confirm revoking ci-pipeline' }).click();
    await page.locator('li.key-row[data-key-name="ci-pipeline"][data-revoked="true"]').waitFor();
    expect((await fetch(`${server.url}/v1/me`, { headers: { 'X-API-Key': secret } })).status).toBe(401);
  });

  test('an API key pasted on the sign-in page signs in (kept in memory: a reload forgets it)', async () => {
    const other = await context.browser()!.newContext();
    const p2 = await other.newPage();
    watch(p2);
    await p2.goto(`${server.url}/`);
    await p2.getByLabel('API key', { exact: true }).fill('mdk_not_a_real_key');
    await p2.getByRole('button', { name: 'Use this key' }).click();
    await p2.getByRole('alert').waitFor();
    expect(await p2.getByRole('alert').textContent()).toMatch(/not signed in.*\[unauthenticated\].*request id/s);
    await p2.getByLabel('API key', { exact: true }).fill(server.apiKey!);
    await p2.getByRole('button', { name: 'Use this key' }).click();
    await p2.getByText('Signed in as').waitFor();
    await p2.reload();
    await p2.getByRole('heading', { name: 'Sign in to MDraft' }).waitFor();
    expect(await p2.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }))).toBe(
      '{}{}',
    );
    await other.close();
  });

  test('out of units: the upload is refused with the quota explained and the request id; usage says so', async () => {
    expect(await server.deps.userAdmin!.setPlan(LOCAL_USER, 'tiny')).toBe(true);
    try {
      await page.getByRole('button', { name: 'Convert', exact: true }).click();
      await page.setInputFiles('#file-input', [
        { name: 'too-much.txt', mimeType: 'text/plain', buffer: Buffer.from('over the limit\n') },
      ]);
      const alert = page.locator('li.upload[data-filename="too-much.txt"] [role="alert"]');
      await alert.waitFor();
      const text = (await alert.textContent()) ?? '';
      expect(text).toContain("This month's conversion allowance of your plan is spent");
      expect(text).toContain('[quota_exceeded]');
      expect(text).toMatch(/request id: \S+/);
      await shot('quota');
      await page.getByRole('button', { name: 'Usage & plan' }).click();
      await page.getByText("This month's allowance is spent").waitFor();
      expect(await page.locator('.usage').textContent()).toContain('Plan: Tiny');
      await shot('usage');
      // No Stripe on this server: the upgrade button explains instead of failing silently.
      await page.getByRole('button', { name: 'Upgrade' }).click();
      await page.locator('.usage [role="alert"]', { hasText: 'billing_not_configured' }).waitFor();
    } finally {
      await server.deps.userAdmin!.setPlan(LOCAL_USER, 'free');
    }
  });

  test('the jobs list: search by name, open, delete', async () => {
    await page.getByRole('button', { name: 'Jobs' }).click();
    await page.locator('li.job-row').first().waitFor();
    expect(await page.locator('li.job-row').count()).toBeGreaterThanOrEqual(5);
    await shot('jobs');
    await page.getByLabel('Search by file name').fill('SCO');
    await page.locator('ul.job-list[data-search="SCO"]').waitFor();
    expect(await page.locator('li.job-row .name').allTextContents()).toEqual(['scores.csv']);
    await page.getByRole('button', { name: 'Delete scores.csv' }).click();
    await page.getByRole('button', { name: 'Confirm deleting scores.csv' }).click();
    await page.getByText('No job’s name matches “SCO”.').waitFor();
    const res = await fetch(`${server.url}/v1/jobs?limit=100`, { headers: key() });
    const names = ((await res.json()) as { jobs: { filename: string }[] }).jobs.map((j) => j.filename);
    expect(names).not.toContain('scores.csv');
    expect(names).toContain('report.docx');
    await page.getByLabel('Search by file name').fill('');

    // Paging: with more jobs than a page (20), "Load more" follows the cursor to the older ones.
    const extra: string[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`${server.url}/v1/jobs`, {
        method: 'POST',
        headers: { ...key(), 'Content-Type': 'application/json' },
        body: JSON.stringify({ filename: `pending-${i}.txt`, contentType: 'text/plain', size: 10 }),
      });
      expect(res.status).toBe(201);
      extra.push(((await res.json()) as { job: { id: string } }).job.id);
    }
    try {
      await page.getByRole('button', { name: 'Usage & plan' }).click();
      await page.getByRole('button', { name: 'Jobs' }).click();
      await page.locator('li.job-row .name', { hasText: 'pending-19.txt' }).waitFor();
      expect(await page.locator('li.job-row').count()).toBe(20);
      expect(await page.locator('li.job-row .name', { hasText: 'report.docx' }).count()).toBe(0);
      await page.getByRole('button', { name: 'Load more' }).click();
      await page.locator('li.job-row .name', { hasText: 'report.docx' }).waitFor();
      expect(await page.locator('li.job-row').count()).toBeGreaterThan(20);
      // The search runs on the server: it finds a job beyond the first page, by a word of its name.
      await page.getByRole('button', { name: 'Usage & plan' }).click();
      await page.getByRole('button', { name: 'Jobs' }).click();
      await page.locator('li.job-row .name', { hasText: 'pending-19.txt' }).waitFor();
      await page.getByLabel('Search by file name').fill('Report');
      await page.locator('ul.job-list[data-search="Report"]').waitFor();
      expect(await page.locator('li.job-row .name').allTextContents()).toEqual(['report.docx']);
      await page.getByLabel('Search by file name').fill('');
      await page.locator('ul.job-list[data-search=""] li.job-row').nth(19).waitFor();
    } finally {
      for (const id of extra) await fetch(`${server.url}/v1/jobs/${id}`, { method: 'DELETE', headers: key() });
    }
  });

  test('the admin area appears for administrators only', async () => {
    expect(await page.getByRole('button', { name: 'Admin' }).count()).toBe(0);
    await server.deps.userAdmin!.setAdmin(LOCAL_USER, true);
    try {
      await page.reload();
      await page.getByRole('button', { name: 'Admin' }).click();
      const row = page.locator(`tr[data-user-id="${LOCAL_USER}"]`);
      await row.waitFor();
      expect(await row.textContent()).toContain('(admin)');
      // This month's usage, AI calls beside jobs and pages, as the API counts them.
      const api = await fetch(`${server.url}/v1/admin/users/${LOCAL_USER}/usage`, { headers: key() });
      const { usage } = (await api.json()) as {
        usage: { month: string; jobs: number; pages: number; aiCalls: number };
      };
      await row.getByRole('button', { name: 'Show usage' }).click();
      await row.locator('td.usage', { hasText: 'AI call' }).waitFor();
      expect(await row.locator('td.usage').textContent()).toMatch(
        new RegExp(`^${usage.jobs} jobs?, ${usage.pages} pages?, ${usage.aiCalls} AI calls? \\(${usage.month}\\)$`),
      );
      // An action through the page lands in the audit log.
      await row.getByLabel(`Plan of ${LOCAL_USER}`).fill('free');
      await row.getByRole('button', { name: 'Set plan' }).click();
      await page.locator('ul.audit li', { hasText: 'user.plan.set' }).waitFor();
      await shot('admin');
    } finally {
      await server.deps.userAdmin!.setAdmin(LOCAL_USER, false);
    }
  });

  test('the API reference renders /v1/openapi.json with the locally served swagger-ui', async () => {
    const docs = await context.newPage();
    watch(docs);
    const external: string[] = [];
    docs.on('request', (r) => {
      if (!r.url().startsWith(server.url) && !r.url().startsWith('data:')) external.push(r.url());
    });
    await docs.goto(`${server.url}/docs`);
    await docs.locator('.swagger-ui .opblock').first().waitFor({ timeout: 30_000 });
    expect(await docs.locator('.swagger-ui').textContent()).toContain('/v1/jobs');
    expect(external).toEqual([]);
    await shot('api-reference', docs);
    await docs.close();
  });

  test('readable at phone width: nothing wider than the screen', async () => {
    const phone = await browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true });
    await phone.addCookies((await context.cookies()).map((c) => ({ ...c })));
    const p3 = await phone.newPage();
    watch(p3);
    await p3.goto(`${server.url}/`);
    await p3.getByText('Signed in as').waitFor();
    for (const view of ['Convert', 'Jobs', 'Usage & plan', 'API keys']) {
      await p3.getByRole('button', { name: view, exact: true }).click();
      await p3.waitForTimeout(150);
      expect(await p3.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    }
    await p3.getByRole('button', { name: 'Convert', exact: true }).click();
    await shot('phone', p3);
    await phone.close();
  });

  test('keyboard: Tab reaches the sections and the file picker, Enter opens a section', async () => {
    await page.goto(`${server.url}/`);
    await page.getByText('Signed in as').waitFor();
    const focused = async () =>
      page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        return `${el.tagName.toLowerCase()}:${el.id || (el.textContent ?? '').trim()}`;
      });
    const order: string[] = [];
    for (let i = 0; i < 20; i++) {
      await page.keyboard.press('Tab');
      order.push(await focused());
      if (order.at(-1) === 'input:file-input') break;
    }
    expect(order).toContain('button:Jobs');
    expect(order.at(-1)).toBe('input:file-input');
    // The picker shows itself when focused (it is hidden only while not focused).
    expect(await page.locator('#file-input').isVisible()).toBe(true);
    while ((await focused()) !== 'button:Jobs') await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Your jobs' }).waitFor();
  });

  test('signing out ends the link session: the cookie is cleared and its key revoked', async () => {
    const [cookie] = (await context.cookies()).filter((c) => c.name === 'mdraft_session');
    expect(cookie).toBeDefined();
    const asSession = () => fetch(`${server.url}/v1/me`, { headers: { Cookie: `mdraft_session=${cookie.value}` } });
    expect((await asSession()).status).toBe(200);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to MDraft' }).waitFor();
    expect((await context.cookies()).filter((c) => c.name === 'mdraft_session')).toEqual([]);
    expect((await asSession()).status).toBe(401);
    expect((await fetch(`${server.url}/signout`)).status).toBe(405);
  });

  /** The startup API key's header (the server's own key for the `local` user). */
  function key(): Record<string, string> {
    return { 'X-API-Key': server.apiKey! };
  }
});
