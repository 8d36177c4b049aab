/**
 * Conversion options set on a job (`POST /v1/jobs` `options`) reach the engine: a short windows-1251 CSV that
 * detection alone cannot place is decoded as the caller said; bad options are refused before any upload.
 */
import iconv from 'iconv-lite';
import { Client, startTestServer, type TestServer } from './client.ts';

let server: TestServer;
let alice: Client;

beforeAll(async () => {
  server = await startTestServer({});
  alice = new Client(server.url, server.apiKey!);
}, 30_000);

afterAll(async () => {
  await server?.stop();
});

async function convertCsv(bytes: Uint8Array, extra: object): Promise<string> {
  const created = await alice.create('cities.csv', 'text/csv', bytes.length, extra);
  expect((await alice.upload(created, bytes)).status).toBe(200);
  expect((await alice.waitFor(created.job.id)).status).toBe('succeeded');
  const { download } = await alice.result(created.job.id);
  return download!.text();
}

test('options.charset decodes a legacy CSV the way the caller says, and the job shows its options', async () => {
  const text = 'город,код\nМосква,495\nТверь,4822\n';
  const bytes = new Uint8Array(iconv.encode(text, 'windows-1251'));
  const markdown = await convertCsv(bytes, { options: { charset: 'windows-1251' } });
  expect(markdown).toContain('Москва');
  expect(markdown).toContain('Тверь');
  const created = await alice.create('again.csv', 'text/csv', bytes.length, { options: { charset: 'windows-1251' } });
  expect(created.job).toMatchObject({ options: { charset: 'windows-1251' } });
});

test.each([
  [{ options: { charset: 'utf-8; drop table' } }],
  [{ options: { trackedChanges: 'maybe' } }],
  [{ options: { pages: { first: 5, last: 2 } } }],
  [{ options: { embedImages: true } }],
  [{ options: { ocrLanguages: ['zzz'] } }],
  [{ options: { ocrLanguages: ['deu', 'deu'] } }],
])('%j is refused with 400', async (extra) => {
  const res = await alice.request('/v1/jobs', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ filename: 'a.csv', contentType: 'text/csv', size: 10, ...extra }),
  });
  expect(res.status).toBe(400);
});

test('options.ocrLanguages takes the installed tesseract codes, in the caller’s order, and the job shows them', async () => {
  const created = await alice.create('scan.png', 'image/png', 100, { options: { ocrLanguages: ['deu', 'eng'] } });
  expect(created.job).toMatchObject({ options: { ocrLanguages: ['deu', 'eng'] } });
  const res = await alice.request('/v1/jobs', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ filename: 'a.png', contentType: 'image/png', size: 10, options: { ocrLanguages: ['nld'] } }),
  });
  expect(res.status).toBe(400);
  // The refusal names what is installed, so the caller can choose.
  expect(await res.text()).toMatch(/eng.*deu.*fra.*spa.*ita.*por/);
});
