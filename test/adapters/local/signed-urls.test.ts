/**
 * The local storage server enforces a signed upload URL the way GCS does: expiry, exact signed headers,
 * the length range (declared and streamed), create-only, and no tampering. Over real HTTP.
 */
import { createServer, request, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskBlobStore } from '../../../shared/adapters/local/disk-blob-store.ts';
import { createBlobHttpHandler, type FinalizedNotice } from '../../../shared/adapters/local/blob-http.ts';
import { UrlSigner } from '../../../shared/adapters/local/url-signer.ts';
import type { SignedRequest } from '../../../shared/service/ports.ts';

let server: Server;
let base: string;
let dir: string;
let store: DiskBlobStore;
let clock = Date.now();
const notices: FinalizedNotice[] = [];
const signer = new UrlSigner('x'.repeat(32));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mdraft-blobs-'));
  server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  store = new DiskBlobStore({ root: dir, bucket: 'uploads', signer, baseUrl: base });
  const handler = createBlobHttpHandler({
    stores: [store],
    signer,
    now: () => clock,
    onFinalized: (n) => notices.push(n),
  });
  server.on('request', (req, res) => void handler(req, res));
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  clock = Date.now();
  notices.length = 0;
});

let n = 0;
async function signed(
  size: number,
  contentType = 'application/pdf',
  ttlMs = 60_000,
): Promise<{ name: string; up: SignedRequest }> {
  const name = `u/alice/job_${String(++n).padStart(22, '0')}/input`;
  return { name, up: await store.signUpload({ name, contentType, size, expiresAt: new Date(clock + ttlMs) }) };
}

const body = (size: number) => Buffer.alloc(size, 0x41);

test('a PUT with exactly the signed headers stores the object once and notifies', async () => {
  const { name, up } = await signed(10);
  expect(up.headers).toEqual({
    'Content-Type': 'application/pdf',
    'x-goog-content-length-range': '10,10',
    'x-goog-if-generation-match': '0',
  });
  const res = await fetch(up.url, { method: 'PUT', headers: up.headers, body: body(10) });
  expect(res.status).toBe(200);
  const stat = await store.stat(name);
  expect(stat).toMatchObject({ size: 10, contentType: 'application/pdf' });
  expect(res.headers.get('x-goog-generation')).toBe(stat!.generation);
  expect(Buffer.from((await store.read(name))!)).toEqual(body(10));
  expect(notices).toEqual([expect.objectContaining({ bucket: 'uploads', name, stat })]);
});

test('an expired URL is refused', async () => {
  const { name, up } = await signed(10, 'application/pdf', 1000);
  clock += 2000;
  const res = await fetch(up.url, { method: 'PUT', headers: up.headers, body: body(10) });
  expect(res.status).toBe(400);
  expect(await res.text()).toContain('ExpiredToken');
  expect(await store.stat(name)).toBeUndefined();
});

test('tampering with the URL (object, expiry, signature) is a 403', async () => {
  const { name, up } = await signed(10);
  const other = up.url.replace(name.split('/')[2], `job_${'9'.repeat(22)}`);
  const later = up.url.replace(/X-MDraft-Expires=(\d+)/, (_m, s) => `X-MDraft-Expires=${Number(s) + 3600}`);
  const sig = up.url.replace(/X-MDraft-Signature=([0-9a-f])/, (_m, c) => `X-MDraft-Signature=${c === 'a' ? 'b' : 'a'}`);
  const noSig = up.url.replace(/&X-MDraft-Signature=[0-9a-f]+/, '');
  for (const url of [other, later, sig, noSig]) {
    const res = await fetch(url, { method: 'PUT', headers: up.headers, body: body(10) });
    expect(res.status).toBe(403);
  }
  expect(await store.list('u/')).not.toContain(name);
});

test('a different Content-Type, a missing signed header, or another method is refused', async () => {
  const { name, up } = await signed(10);
  const wrongType = await fetch(up.url, {
    method: 'PUT',
    headers: { ...up.headers, 'Content-Type': 'text/html' },
    body: body(10),
  });
  expect(wrongType.status).toBe(403);
  expect(await wrongType.text()).toContain('SignatureDoesNotMatch');
  const { 'x-goog-if-generation-match': _drop, ...withoutPrecondition } = up.headers;
  expect((await fetch(up.url, { method: 'PUT', headers: withoutPrecondition, body: body(10) })).status).toBe(403);
  expect((await fetch(up.url, { method: 'GET' })).status).toBe(403);
  expect(await store.stat(name)).toBeUndefined();
});

test('a body larger or smaller than signed is refused, declared or streamed', async () => {
  const { name, up } = await signed(10);
  const tooLarge = await fetch(up.url, { method: 'PUT', headers: up.headers, body: body(11) });
  expect(tooLarge.status).toBe(400);
  expect(await tooLarge.text()).toContain('EntityTooLarge');
  const tooSmall = await fetch(up.url, { method: 'PUT', headers: up.headers, body: body(9) });
  expect(tooSmall.status).toBe(400);
  // Chunked, no Content-Length: the count is checked while streaming.
  const streamed = await putChunked(up, [body(6), body(6)]);
  expect(streamed === 'reset' || streamed === 400).toBe(true);
  expect(await store.stat(name)).toBeUndefined();
  expect(notices).toEqual([]);
});

test('create-only: a second upload to the same URL gets 412 and the first object stays', async () => {
  const { name, up } = await signed(4);
  expect((await fetch(up.url, { method: 'PUT', headers: up.headers, body: Buffer.from('AAAA') })).status).toBe(200);
  const first = await store.stat(name);
  const again = await fetch(up.url, { method: 'PUT', headers: up.headers, body: Buffer.from('BBBB') });
  expect(again.status).toBe(412);
  expect(await store.stat(name)).toEqual(first);
  expect(Buffer.from((await store.read(name))!).toString()).toBe('AAAA');
  // Two racing creates: exactly one wins.
  const race = await signed(4);
  const codes = await Promise.all(
    ['CCCC', 'DDDD'].map((s) =>
      fetch(race.up.url, { method: 'PUT', headers: race.up.headers, body: Buffer.from(s) }).then((r) => r.status),
    ),
  );
  expect(codes.sort()).toEqual([200, 412]);
});

test('signed downloads carry the response overrides and refuse tampering and expiry', async () => {
  await store.write('r/result.md', Buffer.from('# hi\n'), { contentType: 'text/markdown' });
  const dl = await store.signDownload('r/result.md', {
    expiresAt: new Date(clock + 60_000),
    filename: 'résumé.md',
    contentType: 'text/markdown; charset=utf-8',
  });
  const ok = await fetch(dl.url);
  expect(ok.status).toBe(200);
  expect(await ok.text()).toBe('# hi\n');
  expect(ok.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
  expect(ok.headers.get('content-disposition')).toContain("filename*=UTF-8''r%C3%A9sum%C3%A9.md");
  expect((await fetch(dl.url.replace('response-content-type=text', 'response-content-type=image'))).status).toBe(403);
  clock += 120_000;
  expect((await fetch(dl.url)).status).toBe(400);
});

test('write with ifGenerationMatch 0 is create-only in the store API too', async () => {
  await store.write('x/once', Buffer.from('1'), { contentType: 'text/plain', ifGenerationMatch: 0 });
  await expect(
    store.write('x/once', Buffer.from('2'), { contentType: 'text/plain', ifGenerationMatch: 0 }),
  ).rejects.toThrow(/exists/);
  const s = await store.write('x/once', Buffer.from('3'), { contentType: 'text/plain' });
  expect(Number(s.generation)).toBeGreaterThan(0);
  expect(await store.list('x/')).toEqual(['x/once']);
  await store.delete('x/once');
  await store.delete('x/once');
  expect(await store.stat('x/once')).toBeUndefined();
});

function putChunked(up: SignedRequest, chunks: Buffer[]): Promise<number | 'reset'> {
  return new Promise((resolve) => {
    const req = request(
      up.url,
      { method: 'PUT', headers: { ...up.headers, 'Transfer-Encoding': 'chunked' } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', () => resolve('reset'));
    for (const c of chunks) req.write(c);
    req.end();
  });
}
