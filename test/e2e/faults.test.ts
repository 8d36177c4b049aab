/**
 * Fault cases over real HTTP on the embedded default, with the real queue and event delivery: a poison
 * file, a replayed finalize event, the same task delivered twice at once. Each ends in the documented
 * state with nothing lost or duplicated.
 */
import { ConversionError } from '../../shared/engine/errors.ts';
import { cloudEventHeaders, storageObjectData } from '../../shared/adapters/local/cloud-event-delivery.ts';
import { INTERNAL_HEADER } from '../../shared/adapters/local/index.ts';
import type { ConversionRunner } from '../../shared/service/jobs/runner.ts';
import { Client, startTestServer, type TestServer } from './client.ts';

let server: TestServer;
let client: Client;
let runs = new Map<string, number>();
let gate: Promise<void> | undefined;

const runner: ConversionRunner = async (bytes) => {
  const text = Buffer.from(bytes).toString();
  runs.set(text, (runs.get(text) ?? 0) + 1);
  if (text.startsWith('POISON')) throw new ConversionError('internal', 'the converter crashed');
  if (text.startsWith('SLOW') && gate) await gate;
  return { format: 'text', mediaType: 'text/plain', markdown: `converted: ${text}`, warnings: [] };
};

beforeAll(async () => {
  server = await startTestServer(
    { MDRAFT_MAX_ATTEMPTS: '3', MDRAFT_QUEUE_MIN_BACKOFF_MS: '30', MDRAFT_QUEUE_MAX_BACKOFF_MS: '100' },
    { runner },
  );
  client = new Client(server.url, server.apiKey!);
});

afterAll(async () => {
  await server?.stop();
});

beforeEach(() => {
  runs = new Map();
});

const internal = () => ({ [INTERNAL_HEADER]: server.adapters.internalToken });

test('a poison file failing every attempt ends failed after max attempts, and its task stops', async () => {
  const id = await client.submit('p.txt', 'text/plain', Buffer.from('POISON pill'));
  const job = await client.waitFor(id, ['failed', 'succeeded'], 20_000);
  expect(job).toMatchObject({ status: 'failed', attempts: 3, error: { code: 'attempts_exhausted' } });
  expect(runs.get('POISON pill')).toBe(3);
  await new Promise((r) => setTimeout(r, 300));
  expect(runs.get('POISON pill')).toBe(3);
  expect(server.adapters.tasks.pendingCount()).toBe(0);
});

test('a finalize event replayed after success changes nothing and converts nothing again', async () => {
  const bytes = Buffer.from('once only');
  const created = await client.create('o.txt', 'text/plain', bytes.length);
  await client.upload(created, bytes);
  expect((await client.waitFor(created.job.id)).status).toBe('succeeded');
  const name = `u/local/${created.job.id}/input`;
  const stat = (await server.deps.uploads.stat(name))!;
  const notice = { bucket: server.config.buckets.uploads, name, stat, timeCreated: new Date().toISOString() };
  for (let i = 0; i < 2; i++) {
    const res = await fetch(`${server.url}/_events/finalized`, {
      method: 'POST',
      headers: { ...cloudEventHeaders(notice), ...internal() },
      body: JSON.stringify(storageObjectData(notice)),
    });
    expect(res.status).toBe(200);
  }
  await new Promise((r) => setTimeout(r, 200));
  expect(runs.get('once only')).toBe(1);
  expect((await client.job(created.job.id)).body.job).toMatchObject({ status: 'succeeded', attempts: 1 });
});

test('the same task delivered twice at once: one conversion, one "come back later", one result', async () => {
  let open!: () => void;
  gate = new Promise<void>((r) => {
    open = r;
  });
  const bytes = Buffer.from('SLOW doc');
  const id = await client.submit('s.txt', 'text/plain', bytes);
  await client.waitFor(id, ['processing']);
  // The queue's own delivery holds the lease; a duplicate delivery arrives now.
  const dup = await fetch(`${server.url}/_tasks/convert`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-CloudTasks-TaskRetryCount': '0', ...internal() },
    body: JSON.stringify({ jobId: id }),
  });
  expect(dup.status).toBe(409);
  expect(await dup.json()).toEqual({ outcome: 'busy' });
  open();
  gate = undefined;
  expect((await client.waitFor(id)).status).toBe('succeeded');
  const late = await fetch(`${server.url}/_tasks/convert`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-CloudTasks-TaskRetryCount': '1', ...internal() },
    body: JSON.stringify({ jobId: id }),
  });
  expect(await late.json()).toEqual({ outcome: 'noop' });
  expect(runs.get('SLOW doc')).toBe(1);
  expect(await server.deps.results.list(`${id}/`)).toEqual([`${id}/result.json`, `${id}/result.md`]);
  expect(
    (await server.deps.accounts.getUsage('local', new Date().toISOString().slice(0, 7))).jobs,
  ).toBeGreaterThanOrEqual(1);
});

test('many jobs at once all finish, none lost or stuck', async () => {
  const ids = await Promise.all(
    Array.from({ length: 24 }, (_, i) => client.submit(`m${i}.txt`, 'text/plain', Buffer.from(`doc number ${i}`))),
  );
  const jobs = await Promise.all(ids.map((id) => client.waitFor(id, ['succeeded', 'failed'], 30_000)));
  expect(jobs.every((j) => j.status === 'succeeded')).toBe(true);
  for (let i = 0; i < 24; i++) expect(runs.get(`doc number ${i}`)).toBe(1);
  expect(server.adapters.tasks.pendingCount()).toBe(0);
});
