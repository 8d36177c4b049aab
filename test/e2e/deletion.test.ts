/**
 * Deletion is final, through the embedded server over real HTTP: a job deleted while it converts leaves no
 * object in either bucket, and bytes PUT again to the still-valid URL of a rejected upload do not stay.
 */
import type { ConversionRunner } from '../../shared/service/jobs/runner.ts';
import type { ConvertResult } from '../../shared/engine/types.ts';
import { Client, startTestServer, type TestServer } from './client.ts';

let release: () => void = () => undefined;
let started: () => void = () => undefined;
const gatedRunner: ConversionRunner = async () => {
  started();
  await new Promise<void>((r) => (release = r));
  const result: ConvertResult = { format: 'text', mediaType: 'text/plain', markdown: '# private\n', warnings: [] };
  return result;
};

let server: TestServer;
let alice: Client;
beforeAll(async () => {
  server = await startTestServer({}, { runner: gatedRunner });
  alice = new Client(server.url, server.apiKey!);
}, 30_000);
afterAll(async () => {
  release();
  await server?.stop();
});

async function until(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('DELETE while the job converts: 204, and no object remains once the worker finishes', async () => {
  const converting = new Promise<void>((r) => (started = r));
  const id = await alice.submit('notes.txt', 'text/plain', Buffer.from('some notes\n'));
  await converting;
  expect((await alice.job(id)).body.job.status).toBe('processing');
  expect((await alice.request(`/v1/jobs/${id}`, { method: 'DELETE' })).status).toBe(204);
  release();
  // The worker's delivery ends (noop) and its task is done.
  await until(async () => server.adapters.tasks.pendingCount() === 0);
  expect(await server.deps.results.list('')).toEqual([]);
  expect(await server.deps.uploads.list('')).toEqual([]);
  expect((await alice.job(id)).status).toBe(404);
});

test('bytes PUT again to the URL of a rejected upload are removed', async () => {
  const created = await alice.create('report.pdf', 'application/pdf', 12);
  const text = Buffer.from('not a pdf!!\n');
  expect((await alice.upload(created, text)).status).toBe(200);
  const job = await alice.waitFor(created.job.id, ['failed']);
  expect(job.error?.code).toBe('type_mismatch');
  const name = (await server.deps.jobs.getJob(created.job.id))!.inputObject;
  await until(async () => (await server.deps.uploads.stat(name)) === undefined);
  // The signed URL is still valid and create-only: the object is gone, so the PUT is accepted…
  expect((await alice.upload(created, text)).status).toBe(200);
  // …and its finalize event removes it again.
  await until(async () => (await server.deps.uploads.stat(name)) === undefined);
  expect(await server.deps.uploads.list('')).toEqual([]);
});
