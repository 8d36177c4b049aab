/**
 * The embedded server when its own storage fails: a full database answers writes with a typed 507
 * (`insufficient_storage`) while reads, deletes and /healthz keep working; a database write-locked by another
 * process makes writes wait asynchronously (the event loop, and so status requests, keep turning). Also the
 * blob server's CORS (`MDRAFT_CORS_ORIGINS`) and streamed transfers.
 */
import { promises as fsp } from 'node:fs';
import { openDatabase } from '../../shared/adapters/local/sqlite.ts';
import { databasePath } from '../../shared/adapters/local/index.ts';
import { Client, startTestServer, type TestServer } from './client.ts';
import { inProcessRunner } from '../../shared/service/jobs/runner.ts';

let server: TestServer;
let alice: Client;
beforeEach(async () => {
  server = await startTestServer({ MDRAFT_CORS_ORIGINS: 'https://app.example' }, { runner: inProcessRunner });
  alice = new Client(server.url, server.apiKey!);
});
afterEach(async () => {
  await server?.stop();
});

test('a full database: writes answer 507 insufficient_storage, reads, deletes and /healthz keep working', async () => {
  const done = await alice.submit('a.txt', 'text/plain', Buffer.from('first\n'));
  expect((await alice.waitFor(done)).status).toBe('succeeded');
  const db = server.adapters.db;
  const { page_count: pages } = db.prepare('PRAGMA page_count').get() as { page_count: number };
  db.exec(`PRAGMA max_page_count = ${pages}`); // no page may be added: SQLITE_FULL, as on a full disk
  let full = 0;
  for (let i = 0; i < 40 && full === 0; i++) {
    const res = await alice.request('/v1/jobs', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ filename: `f${i}.txt`, contentType: 'text/plain', size: 10 }),
    });
    if (res.status !== 201) {
      expect(res.status).toBe(507);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('insufficient_storage');
      full++;
    }
  }
  expect(full).toBe(1);
  expect((await alice.job(done)).status).toBe(200);
  expect((await alice.request('/v1/jobs')).status).toBe(200);
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  expect((await alice.request(`/v1/jobs/${done}`, { method: 'DELETE' })).status).toBe(204);
  expect((await alice.job(done)).status).toBe(404);
});

test('a write lock held by another process: job creation waits asynchronously, status requests stay fast', async () => {
  const id = await alice.submit('a.txt', 'text/plain', Buffer.from('first\n'));
  await alice.waitFor(id);
  const other = openDatabase(databasePath(server.dataDir));
  try {
    other.exec('BEGIN IMMEDIATE');
    const creating = alice.request('/v1/jobs', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ filename: 'b.txt', contentType: 'text/plain', size: 10 }),
    });
    const times: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t = performance.now();
      expect((await alice.job(id)).status).toBe(200);
      times.push(performance.now() - t);
    }
    other.exec('COMMIT');
    expect((await creating).status).toBe(201);
    expect(Math.max(...times)).toBeLessThan(500);
  } finally {
    if (other.isOpen) other.close();
  }
});

test('the blob server honours MDRAFT_CORS_ORIGINS and streams a large result whole', async () => {
  const created = await alice.create('a.txt', 'text/plain', 6);
  const listed = await fetch(created.upload.url, { method: 'OPTIONS', headers: { Origin: 'https://app.example' } });
  expect(listed.headers.get('access-control-allow-origin')).toBe('https://app.example');
  expect(listed.headers.get('access-control-allow-methods')).toMatch(/PUT/);
  const other = await fetch(created.upload.url, { method: 'OPTIONS', headers: { Origin: 'https://evil.example' } });
  expect(other.headers.get('access-control-allow-origin')).toBeNull();
  const put = await fetch(created.upload.url, {
    method: 'PUT',
    headers: { ...created.upload.headers, Origin: 'https://evil.example' },
    body: Buffer.from('first\n'),
  });
  expect(put.status).toBe(200);
  expect(put.headers.get('access-control-allow-origin')).toBeNull();

  const big = Buffer.alloc(24 * 1024 * 1024);
  for (let i = 0; i < big.length; i += 4096) big.write(`block ${i}\n`, i);
  await server.deps.results.write('job_AAAAAAAAAAAAAAAAAAAAAA/result.md', big, { contentType: 'text/markdown' });
  const signed = await server.deps.results.signDownload('job_AAAAAAAAAAAAAAAAAAAAAA/result.md', {
    expiresAt: new Date(Date.now() + 60_000),
    filename: 'big.md',
  });
  const res = await fetch(signed.url, { headers: { Origin: 'https://app.example' } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-length')).toBe(String(big.length));
  expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example');
  expect(Buffer.from(await res.arrayBuffer()).equals(big)).toBe(true);
});

test('a full disk under the blob store: uploads answer 507, downloads and deletes keep working', async () => {
  const done = await alice.submit('a.txt', 'text/plain', Buffer.from('first\n'));
  expect((await alice.waitFor(done)).status).toBe('succeeded');
  const created = await alice.create('b.txt', 'text/plain', 6);
  const original = fsp.open;
  // Opening a new temporary file for writing fails as on a full disk (the store streams uploads into one).
  fsp.open = (async (...args: Parameters<typeof fsp.open>) => {
    if (args[1] === 'wx') throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    return original(...args);
  }) as typeof fsp.open;
  try {
    const put = await alice.upload(created, Buffer.from('second'));
    expect(put.status).toBe(507);
    expect(await put.text()).toMatch(/InsufficientStorage/);
    const result = await alice.result(done);
    expect(result.download?.status).toBe(200);
    expect(await result.download!.text()).toMatch(/first/);
    expect((await alice.request(`/v1/jobs/${done}`, { method: 'DELETE' })).status).toBe(204);
  } finally {
    fsp.open = original;
  }
  // Room again: the same URL works.
  expect((await alice.upload(created, Buffer.from('second'))).status).toBe(200);
  expect((await alice.waitFor(created.job.id)).status).toBe('succeeded');
});
