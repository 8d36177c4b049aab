/**
 * The functions as functions-framework registers them (what Cloud Run runs), driven through
 * `getTestServer` over real HTTP on the local backend.
 */
import type { Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setLogLevel } from '../../shared/service/logs.ts';
import { loadConfig } from '../../shared/service/config.ts';
import { createAdapters } from '../../shared/adapters/index.ts';
import { SqliteJobStore } from '../../shared/adapters/local/sqlite-job-store.ts';
import { SqliteAccountStore } from '../../shared/adapters/local/sqlite-account-store.ts';
import { DiskBlobStore } from '../../shared/adapters/local/disk-blob-store.ts';
import { UrlSigner } from '../../shared/adapters/local/url-signer.ts';
import { databasePath } from '../../shared/adapters/local/index.ts';
import { issueApiKey } from '../../shared/service/auth/api-keys.ts';

setLogLevel('silent');
const dataDir = mkdtempSync(join(tmpdir(), 'mdraft-ff-'));
process.env.MDRAFT_DATA_DIR = dataDir;

let getTestServer: (name: string) => Server;
const servers: Server[] = [];

beforeAll(async () => {
  await import('../../functions/index.ts');
  ({ getTestServer } = await import('@google-cloud/functions-framework/testing'));
});

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  rmSync(dataDir, { recursive: true, force: true });
});

async function listen(name: string): Promise<string> {
  const server = getTestServer(name);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

test('api: health, auth and the error envelope through functions-framework', async () => {
  const base = await listen('api');
  const health = await fetch(`${base}/healthz`);
  expect(health.status).toBe(200);
  expect(health.headers.get('x-request-id')).toBeTruthy();
  const res = await fetch(`${base}/v1/jobs`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: '{}',
  });
  expect(res.status).toBe(401);
  expect(await res.json()).toMatchObject({
    error: { code: 'unauthenticated', requestId: res.headers.get('x-request-id') },
  });
});

test('onUploadFinalized accepts binary and structured CloudEvents with string size/generation', async () => {
  const api = await listen('api');
  const base = await listen('onUploadFinalized');
  // A key and an uploaded object, made the way dev-key and a signed PUT would (same data directory).
  const store = new SqliteJobStore(databasePath(dataDir));
  const accounts = new SqliteAccountStore(store.db);
  const { key } = await issueApiKey(accounts, { owner: 'alice', now: Date.now() });
  const bytes = Buffer.from('hello world\n');
  const made = await fetch(`${api}/v1/jobs`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-API-Key': key },
    body: JSON.stringify({ filename: 'a.txt', contentType: 'text/plain', size: bytes.length }),
  });
  expect(made.status).toBe(201);
  const { job } = (await made.json()) as { job: { id: string } };
  const name = `u/alice/${job.id}/input`;
  const uploads = new DiskBlobStore({
    root: join(dataDir, 'blobs'),
    bucket: 'mdraft-uploads',
    signer: new UrlSigner('k'.repeat(32)),
    baseUrl: 'http://127.0.0.1:1',
  });
  const stat = await uploads.write(name, bytes, { contentType: 'text/plain', ifGenerationMatch: 0 });
  const data = {
    bucket: 'mdraft-uploads',
    name,
    size: String(bytes.length),
    generation: stat.generation,
    contentType: 'text/plain',
  };
  const binary = await fetch(base, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'ce-specversion': '1.0',
      'ce-id': 'evt-1',
      'ce-type': 'google.cloud.storage.object.v1.finalized',
      'ce-source': '//storage.googleapis.com/projects/_/buckets/mdraft-uploads',
      'ce-time': new Date().toISOString(),
    },
    body: JSON.stringify(data),
  });
  expect(binary.status).toBeLessThan(300);
  expect(await store.getJob(job.id)).toMatchObject({
    status: 'queued',
    eventKey: `mdraft-uploads/${name}#${stat.generation}`,
  });
  // The same event again, in structured mode: harmless, the job stays queued once.
  const structured = await fetch(base, {
    method: 'POST',
    headers: { 'Content-Type': 'application/cloudevents+json' },
    body: JSON.stringify({
      specversion: '1.0',
      id: 'evt-1',
      type: 'google.cloud.storage.object.v1.finalized',
      source: '//storage.googleapis.com/projects/_/buckets/mdraft-uploads',
      time: new Date().toISOString(),
      data,
    }),
  });
  expect(structured.status).toBeLessThan(300);
  expect((await store.getJob(job.id))?.status).toBe('queued');
  const tasks = store.db.prepare('SELECT name, body FROM tasks').all() as Array<{ name: string; body: string }>;
  expect(tasks).toHaveLength(1);
  expect(JSON.parse(tasks[0].body)).toEqual({ jobId: job.id });
  await store.close();
});

test('convertWorker and cleanup answer 2xx for work that is already done', async () => {
  const worker = await listen('convertWorker');
  const res = await fetch(worker, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-CloudTasks-TaskRetryCount': '0' },
    body: JSON.stringify({ jobId: 'job_AAAAAAAAAAAAAAAAAAAAAA' }),
  });
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ outcome: 'noop' });
  // The analysis task kind on the same worker: a missing analysis is done too.
  const analysis = await fetch(worker, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-CloudTasks-TaskRetryCount': '0' },
    body: JSON.stringify({ jobId: 'job_AAAAAAAAAAAAAAAAAAAAAA', analysisId: 'ana_AAAAAAAAAAAAAAAAAAAAAA' }),
  });
  expect(analysis.status).toBe(200);
  expect(await analysis.json()).toEqual({ outcome: 'noop' });
  const bad = await fetch(worker, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
  expect(bad.status).toBe(400);
  const cleanup = await listen('cleanup');
  const report = await fetch(cleanup, { method: 'POST' });
  expect(report.status).toBe(200);
  expect(await report.json()).toEqual({
    report: {
      deleted: 0,
      recovered: 0,
      expired: 0,
      failedLostWorker: 0,
      requeued: 0,
      uploadsSwept: 0,
      resultsSwept: 0,
      analysesFailed: 0,
      analysesRequeued: 0,
      webhooksEnqueued: 0,
      nameTermsFilled: 0,
    },
  });
});

test('the gcp backend never falls back to local: an incomplete gcp configuration fails loudly', async () => {
  // Before the GCP adapters land: "not yet available"; after: a ConfigError naming the missing setting.
  await expect(createAdapters(loadConfig({ MDRAFT_BACKEND: 'gcp' }))).rejects.toThrow(/not yet available|MDRAFT_/);
});
