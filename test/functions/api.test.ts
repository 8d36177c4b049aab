/**
 * The public API over HTTP: authentication, owner isolation (another user's job is a 404, never a 403),
 * keys, the error envelope, request ids, CORS and security headers, and the guarded internal routes.
 */
import net from 'node:net';
import { issueApiKey } from '../../shared/service/auth/api-keys.ts';
import { Client, startTestServer, type TestServer } from '../e2e/client.ts';

let server: TestServer;
let alice: Client;
let bob: Client;

beforeAll(async () => {
  server = await startTestServer(
    {},
    {
      runner: async (bytes) => ({
        format: 'text',
        mediaType: 'text/plain',
        markdown: Buffer.from(bytes).toString(),
        warnings: [],
      }),
    },
  );
  alice = new Client(server.url, server.apiKey!);
  await server.deps.accounts.ensureUser({ id: 'bob', now: Date.now() });
  bob = new Client(server.url, (await issueApiKey(server.deps.accounts, { owner: 'bob', now: Date.now() })).key);
});

afterAll(async () => {
  await server?.stop();
});

const text = Buffer.from('hello from alice\n');

async function errorOf(res: Response): Promise<{ code: string; message: string; requestId: string }> {
  const body = (await res.json()) as { error: { code: string; message: string; requestId: string } };
  expect(body.error.requestId).toBe(res.headers.get('x-request-id'));
  return body.error;
}

test('healthz needs no credentials; every response carries a request id and security headers', async () => {
  const res = await fetch(`${server.url}/healthz`);
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ status: 'ok' });
  expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f]{24}$/);
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('cache-control')).toBe('no-store');
  const echoed = await fetch(`${server.url}/healthz`, { headers: { 'X-Request-Id': 'client-chosen-id-123' } });
  expect(echoed.headers.get('x-request-id')).toBe('client-chosen-id-123');
});

test('missing, malformed, unknown, revoked keys and Firebase tokens (locally) are 401 with the envelope', async () => {
  const cases: Array<[Record<string, string>, string]> = [
    [{}, 'unauthenticated'],
    [{ 'X-API-Key': 'nope' }, 'unauthenticated'],
    [{ 'X-API-Key': `mdk_${'A'.repeat(43)}` }, 'unauthenticated'],
    [{ Authorization: 'Basic abc' }, 'unauthenticated'],
    [{ Authorization: 'Bearer eyJhbGciOiJSUzI1NiJ9.e30.sig' }, 'token_unsupported'],
  ];
  for (const [headers, code] of cases) {
    const res = await fetch(`${server.url}/v1/jobs`, { headers });
    expect(res.status).toBe(401);
    expect((await errorOf(res)).code).toBe(code);
  }
  const made = await alice.request('/v1/keys', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'ci' }),
  });
  expect(made.status).toBe(201);
  const { key, secret } = (await made.json()) as { key: { id: string; prefix: string; name: string }; secret: string };
  expect(secret).toMatch(/^mdk_[A-Za-z0-9_-]{43}$/);
  expect(secret.startsWith(key.prefix)).toBe(true);
  const ci = new Client(server.url, secret);
  expect((await ci.request('/v1/jobs')).status).toBe(200);
  const listed = (await (await alice.request('/v1/keys')).json()) as { keys: Array<Record<string, unknown>> };
  expect(listed.keys.map((k) => k.id)).toContain(key.id);
  expect(JSON.stringify(listed)).not.toContain(secret);
  expect((await bob.request(`/v1/keys/${key.id}`, { method: 'DELETE' })).status).toBe(404);
  expect((await alice.request(`/v1/keys/${key.id}`, { method: 'DELETE' })).status).toBe(204);
  expect((await ci.request('/v1/jobs')).status).toBe(401);
});

test("another user's job is a 404 for reading, listing, downloading and deleting", async () => {
  const id = await alice.submit('a.txt', 'text/plain', text);
  expect((await alice.waitFor(id)).status).toBe('succeeded');
  expect((await bob.job(id)).status).toBe(404);
  expect((await bob.request(`/v1/jobs/${id}/result`)).status).toBe(404);
  expect((await bob.request(`/v1/jobs/${id}/result?format=json`)).status).toBe(404);
  const del = await bob.request(`/v1/jobs/${id}`, { method: 'DELETE' });
  expect(del.status).toBe(404);
  expect((await errorOf(del)).code).toBe('not_found');
  const bobList = (await (await bob.request('/v1/jobs')).json()) as { jobs: Array<{ id: string }> };
  expect(bobList.jobs.map((j) => j.id)).not.toContain(id);
  // Still there for its owner, with its result.
  expect((await alice.job(id)).body.job.status).toBe('succeeded');
  const { download } = await alice.result(id);
  expect(await download!.text()).toBe(text.toString());
  // A job id that does not exist looks the same as another user's.
  expect((await bob.job('job_AAAAAAAAAAAAAAAAAAAAAA')).status).toBe(404);
});

test("listing is newest first, paged with a cursor, only the caller's", async () => {
  const carol = new Client(
    server.url,
    (await issueApiKey(server.deps.accounts, { owner: 'carol', now: Date.now() })).key,
  );
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) {
    ids.push((await carol.create(`f${i}.txt`, 'text/plain', 3)).job.id);
    await new Promise((r) => setTimeout(r, 3));
  }
  const seen: string[] = [];
  let cursor: string | undefined;
  do {
    const res = await carol.request(`/v1/jobs?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
    const body = (await res.json()) as { jobs: Array<{ id: string }>; nextCursor?: string };
    seen.push(...body.jobs.map((j) => j.id));
    cursor = body.nextCursor;
  } while (cursor);
  expect(seen).toEqual([...ids].reverse());
  expect((await errorOf(await carol.request('/v1/jobs?limit=500'))).code).toBe('invalid_query');
  expect((await errorOf(await carol.request('/v1/jobs?cursor=zzz'))).code).toBe('invalid_cursor');
  // `q` searches by file name (a prefix of the name or of a word in it), paged the same way.
  const named = (await carol.create('Budget Draft.txt', 'text/plain', 3)).job.id;
  const search = async (q: string, extra = '') => {
    const res = await carol.request(`/v1/jobs?q=${encodeURIComponent(q)}${extra}`);
    expect(res.status).toBe(200);
    return (await res.json()) as { jobs: Array<{ id: string }>; nextCursor?: string };
  };
  expect((await search('DRAFT')).jobs.map((j) => j.id)).toEqual([named]);
  expect((await search('raft')).jobs).toEqual([]);
  const first = await search('f', '&limit=3');
  expect(first.jobs.map((j) => j.id)).toEqual([ids[4], ids[3], ids[2]]);
  const rest = await search('f', `&limit=3&cursor=${first.nextCursor!}`);
  expect(rest.jobs.map((j) => j.id)).toEqual([ids[1], ids[0]]);
  expect(rest.nextCursor).toBeUndefined();
  expect((await errorOf(await carol.request('/v1/jobs?q=...'))).code).toBe('invalid_query');
});

test('bodies are validated: bad JSON, bad fields, unsupported type, over the size limit', async () => {
  const post = (body: string, type = 'application/json') =>
    alice.request('/v1/jobs', { method: 'POST', headers: { 'Content-Type': type }, body });
  let res = await post('{not json');
  expect(res.status).toBe(400);
  expect((await errorOf(res)).code).toBe('invalid_json');
  res = await post(JSON.stringify({ filename: 'a.pdf', contentType: 'application/pdf', size: -1 }));
  expect(res.status).toBe(400);
  expect((await errorOf(res)).code).toBe('invalid_request');
  res = await post(JSON.stringify({ filename: 'a.pdf', contentType: 'application/pdf', size: 1, extra: true }));
  expect((await errorOf(res)).code).toBe('invalid_request');
  res = await post('{}', 'text/plain');
  expect((await errorOf(res)).code).toBe('invalid_content_type');
  res = await post(JSON.stringify({ filename: 'a.exe', contentType: 'application/x-msdownload', size: 10 }));
  expect(res.status).toBe(415);
  expect((await errorOf(res)).code).toBe('unsupported_media_type');
  res = await post(JSON.stringify({ filename: 'big.pdf', contentType: 'application/pdf', size: 25 * 1024 * 1024 + 1 }));
  expect(res.status).toBe(413);
  expect((await errorOf(res)).code).toBe('too_large');
  res = await post(JSON.stringify({ filename: 'ok.pdf', contentType: 'application/pdf', size: 25 * 1024 * 1024 }));
  expect(res.status).toBe(201);
  res = await post(JSON.stringify({ filename: 'big.txt', contentType: 'text/plain', size: 5 * 1024 * 1024 + 1 }));
  expect(res.status).toBe(413);
});

test('a body over 1 MB is 413 payload_too_large and the connection is closed, not left for reuse', async () => {
  // The rest of the body is never read: a keep-alive answer would invite the client to send its next request
  // on a connection the server has already given up (that request then fails with ECONNRESET).
  const body = `{"filename":"${'a'.repeat(1_200_000)}"}`;
  const socket = net.connect(Number(new URL(server.url).port), '127.0.0.1');
  socket.on('error', () => undefined); // the server may close while the body is still being written
  let answer = '';
  socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.write(
    `POST /v1/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: ${server.apiKey}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: keep-alive\r\n\r\n`,
  );
  socket.write(body);
  await closed;
  const head = answer.slice(0, answer.indexOf('\r\n\r\n'));
  expect(head).toMatch(/^HTTP\/1\.1 413 /);
  expect(head).toMatch(/\r\nConnection: close(\r\n|$)/i);
  expect(answer).toContain('"code":"payload_too_large"');
});

test('key names with control characters and impossible usage days are refused (400), not stored or rolled over', async () => {
  const key = await alice.request('/v1/keys', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'build\u0000server' }),
  });
  expect(key.status).toBe(400);
  expect((await errorOf(key)).code).toBe('invalid_request');
  // February 30 is no day: read as March 2 it would silently shift the range.
  for (const query of ['from=2026-02-30&to=2026-03-31', 'from=2026-01-01&to=2026-04-31', 'from=2026-13-01']) {
    const res = await alice.request(`/v1/usage?${query}`);
    expect(res.status).toBe(400);
    const error = await errorOf(res);
    expect(error.code).toBe('invalid_query');
    expect(error.message).toMatch(/not a date/);
  }
  expect((await alice.request('/v1/usage?from=2024-02-29&to=2024-03-01')).status).toBe(200);
});

test('names with bidirectional overrides are refused (400); right-to-left names with their marks are kept', async () => {
  const json = (body: unknown, method = 'POST') => ({
    method,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  // U+202E reverses what follows it on screen: "invoice\u202Efdp.exe" shows as "invoiceexe.pdf".
  const refused = [
    await alice.request('/v1/keys', json({ name: 'ci\u202Etpircs' })),
    await alice.request('/v1/me', json({ displayName: 'Alice\u2066admin\u2069' }, 'PATCH')),
    await alice.request('/v1/jobs', json({ filename: 'invoice\u202Efdp.exe', contentType: 'text/plain', size: 5 })),
    await alice.request('/v1/keys', json({ name: 'c1\u0085control' })),
  ];
  for (const res of refused) {
    expect(res.status).toBe(400);
    expect((await errorOf(res)).code).toBe('invalid_request');
  }
  const hebrew = 'דנה\u200F';
  const patched = await alice.request('/v1/me', json({ displayName: hebrew }, 'PATCH'));
  expect(patched.status).toBe(200);
  expect(((await patched.json()) as { me: { displayName: string } }).me.displayName).toBe(hebrew);
});

test('a file name of emoji downloads under a whole name; one with a lone surrogate is refused at creation', async () => {
  // 255 UTF-16 units, 127 emoji: the download name's 200-unit cut once fell inside a surrogate pair, and the
  // Content-Disposition's encodeURIComponent threw on the half: the result of a succeeded job answered 500.
  const filename = `a${'\u{1F600}'.repeat(127)}.txt`;
  const id = await alice.submit(filename, 'text/plain', text);
  expect((await alice.waitFor(id)).status).toBe('succeeded');
  const { redirect, download } = await alice.result(id);
  expect(redirect.status).toBe(302);
  expect(download!.status).toBe(200);
  const disposition = download!.headers.get('content-disposition')!;
  const encoded = /filename\*=UTF-8''(.+)$/.exec(disposition)![1];
  const name = decodeURIComponent(encoded);
  expect(name).toMatch(/^a(\u{1F600})+\.md$/u);
  expect(name).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
  // A lone surrogate is no character at all (JSON lets `\ud800` through, UTF-8 cannot carry it).
  const res = await alice.request('/v1/jobs', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: '{"filename":"a\\ud800.txt","contentType":"text/plain","size":5}',
  });
  expect(res.status).toBe(400);
  expect((await errorOf(res)).code).toBe('invalid_request');
});

test('results of unfinished jobs are 409; unknown routes 404; wrong methods 405', async () => {
  const created = await alice.create('w.txt', 'text/plain', 3);
  const res = await alice.request(`/v1/jobs/${created.job.id}/result`);
  expect(res.status).toBe(409);
  expect((await errorOf(res)).code).toBe('result_not_ready');
  expect((await alice.request('/v2/anything')).status).toBe(404);
  expect((await alice.request('/v1/jobs/%E0%A4%A')).status).toBe(404);
  const put = await alice.request('/v1/jobs', { method: 'PUT' });
  expect(put.status).toBe(405);
  expect(put.headers.get('allow')).toBe('POST, GET');
});

test('CORS: preflight and exposed headers', async () => {
  const pre = await fetch(`${server.url}/v1/jobs`, {
    method: 'OPTIONS',
    headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'POST' },
  });
  expect(pre.status).toBe(204);
  expect(pre.headers.get('access-control-allow-origin')).toBe('*');
  expect(pre.headers.get('access-control-allow-headers')).toContain('X-API-Key');
  const res = await alice.request('/v1/jobs', { headers: { Origin: 'https://app.example' } });
  expect(res.headers.get('access-control-expose-headers')).toContain('X-Request-Id');
});

test('internal routes refuse callers without the internal token', async () => {
  for (const path of ['/_tasks/convert', '/_events/finalized', '/_cron/cleanup']) {
    const res = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"jobId":"x"}',
    });
    expect(res.status).toBe(403);
  }
});
