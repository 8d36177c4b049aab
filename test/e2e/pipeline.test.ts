/**
 * The whole flow over real HTTP on the embedded default, conversions in the real sandbox: create →
 * upload with the signed headers → finalize event → task → worker → `succeeded` → download, for
 * several formats at once; each result must equal what the engine produces for the same bytes.
 */
import { convert } from '../../shared/engine/engine.ts';
import { ConversionError } from '../../shared/engine/errors.ts';
import { buildDocx, p, styled, paragraphStyle } from '../fixtures/docx.ts';
import { buildZip } from '../fixtures/zip-writer.ts';
import { Client, startTestServer, type TestServer } from './client.ts';

let server: TestServer;
let alice: Client;

beforeAll(async () => {
  server = await startTestServer({ MDRAFT_CONVERT_WORKERS: '2' });
  alice = new Client(server.url, server.apiKey!);
}, 30_000);

afterAll(async () => {
  await server?.stop();
});

const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

function docx(): Uint8Array {
  return buildDocx({
    styles: paragraphStyle('Heading1', 'heading 1'),
    body: styled('Heading1', 'Quarterly report') + p('Revenue grew in every region.') + p('Costs stayed flat.'),
  });
}

function html(): Uint8Array {
  return Buffer.from(`<!doctype html><html><head><title>Guide</title></head><body>
    <nav>menu</nav><main><h1>Install guide</h1><p>Run <code>npm start</code> and open the <a href="https://example.com/x">page</a>.</p>
    <table><tr><th>Flag</th><th>Meaning</th></tr><tr><td>-o</td><td>output</td></tr></table></main></body></html>`);
}

function csv(): Uint8Array {
  return Buffer.from('city,population,country\nLyon,522000,FR\nPorto,232000,PT\n"Split, Town",178000,HR\n');
}

function markdownText(): Uint8Array {
  return Buffer.from('# Notes\n\n- first\n- second\n\n| a | b |\n|---|---|\n| 1 | 2 |\n');
}

function epubLikeZipWithoutOffice(): Uint8Array {
  // A ZIP that is none of the office formats: detection refuses it, so the job fails with that code.
  return buildZip([{ name: 'readme.txt', data: 'hello' }]);
}

async function engineOutcome(bytes: Uint8Array, fileName: string): Promise<{ markdown: string } | { code: string }> {
  try {
    return { markdown: (await convert(bytes, { fileName })).markdown };
  } catch (error) {
    if (error instanceof ConversionError) return { code: error.code };
    throw error;
  }
}

test('several formats at once: each result equals the engine output for the same bytes', async () => {
  const inputs = [
    { filename: 'report.docx', contentType: DOCX_TYPE, bytes: docx() },
    { filename: 'guide.html', contentType: 'text/html', bytes: html() },
    { filename: 'cities.csv', contentType: 'text/csv', bytes: csv() },
    { filename: 'notes.md', contentType: 'text/markdown', bytes: markdownText() },
    { filename: 'plain.txt', contentType: 'text/plain', bytes: Buffer.from('Just a line of text.\n\nAnd another.\n') },
  ];
  const ids = await Promise.all(inputs.map((i) => alice.submit(i.filename, i.contentType, i.bytes)));
  const jobs = await Promise.all(ids.map((id) => alice.waitFor(id)));
  for (const [i, input] of inputs.entries()) {
    const expected = await engineOutcome(input.bytes, input.filename);
    const job = jobs[i];
    if ('code' in expected) {
      expect({ file: input.filename, status: job.status, code: job.error?.code }).toEqual({
        file: input.filename,
        status: 'failed',
        code: expected.code,
      });
      continue;
    }
    expect({ file: input.filename, status: job.status }).toEqual({ file: input.filename, status: 'succeeded' });
    const { redirect, download } = await alice.result(ids[i]);
    expect(redirect.status).toBe(302);
    expect(download!.status).toBe(200);
    expect(download!.headers.get('content-type')).toMatch(/^text\/markdown/);
    expect(download!.headers.get('content-disposition')).toContain(`${input.filename.replace(/\.[^.]+$/, '')}.md`);
    expect(await download!.text()).toBe(expected.markdown);
  }
  // At least the text formats must really convert (guards against a pipeline that fails everything).
  expect(jobs.filter((j) => j.status === 'succeeded').length).toBeGreaterThanOrEqual(4);
}, 120_000);

test('the JSON result carries the markdown, pages and warnings', async () => {
  const bytes = html();
  const id = await alice.submit('guide.html', 'text/html', bytes);
  expect((await alice.waitFor(id)).status).toBe('succeeded');
  const { redirect, download } = await alice.result(id, 'json');
  expect(redirect.status).toBe(302);
  const body = (await download!.json()) as {
    jobId: string;
    markdown: string;
    warnings: unknown[];
    pages: unknown[];
    format: string;
  };
  expect(body).toMatchObject({
    jobId: id,
    format: 'html',
    markdown: (await convert(bytes, { fileName: 'guide.html' })).markdown,
  });
  expect(Array.isArray(body.warnings) && Array.isArray(body.pages)).toBe(true);
}, 60_000);

test('bytes of another type than declared end failed with type_mismatch; the object is removed', async () => {
  const bytes = html();
  const created = await alice.create('scan.pdf', 'application/pdf', bytes.length);
  expect((await alice.upload(created, bytes)).status).toBe(200);
  const job = await alice.waitFor(created.job.id);
  expect(job).toMatchObject({ status: 'failed', error: { code: 'type_mismatch' } });
  expect(await server.deps.uploads.stat(`u/local/${created.job.id}/input`)).toBeUndefined();
  const zip = epubLikeZipWithoutOffice();
  const other = await alice.create('x.docx', DOCX_TYPE, zip.length);
  await alice.upload(other, zip);
  expect(await alice.waitFor(other.job.id)).toMatchObject({ status: 'failed', error: { code: 'unsupported_format' } });
}, 60_000);

test('uploads outside the signature are refused and the job keeps waiting; a second upload is 412', async () => {
  const bytes = csv();
  const created = await alice.create('c.csv', 'text/csv', bytes.length);
  expect((await alice.upload(created, Buffer.concat([bytes, Buffer.from('x')]))).status).toBe(400);
  expect((await alice.upload(created, bytes, { ...created.upload.headers, 'Content-Type': 'text/plain' })).status).toBe(
    403,
  );
  expect((await alice.upload(created, bytes, { 'Content-Type': 'text/csv' })).status).toBe(403);
  expect((await alice.job(created.job.id)).body.job.status).toBe('awaiting_upload');
  expect((await alice.upload(created, bytes)).status).toBe(200);
  expect((await alice.upload(created, bytes)).status).toBe(412);
  expect((await alice.waitFor(created.job.id)).status).toBe('succeeded');
}, 60_000);

test('the upload URL expires within 15 minutes and signs the declared size exactly', async () => {
  const created = await alice.create('a.txt', 'text/plain', 42);
  const ttl = Date.parse(created.upload.expiresAt) - Date.now();
  expect(ttl).toBeLessThanOrEqual(15 * 60_000);
  expect(ttl).toBeGreaterThan(60_000);
  expect(created.upload.headers).toEqual({
    'Content-Type': 'text/plain',
    'x-goog-content-length-range': '42,42',
    'x-goog-if-generation-match': '0',
  });
});

test('deleting a job removes input, result and record', async () => {
  const id = await alice.submit('n.md', 'text/markdown', markdownText());
  expect((await alice.waitFor(id)).status).toBe('succeeded');
  const { download } = await alice.result(id);
  expect(download!.status).toBe(200);
  expect((await alice.request(`/v1/jobs/${id}`, { method: 'DELETE' })).status).toBe(204);
  expect((await alice.job(id)).status).toBe(404);
  expect((await alice.request(`/v1/jobs/${id}`, { method: 'DELETE' })).status).toBe(404);
  expect(await server.deps.results.list(`${id}/`)).toEqual([]);
  expect(await server.deps.uploads.list(`u/local/${id}/`)).toEqual([]);
}, 60_000);
