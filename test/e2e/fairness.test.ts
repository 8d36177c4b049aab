/**
 * Fair scheduling on the embedded default: one converter at a time (a slow test engine behind a FIFO lock,
 * as the one-worker sandbox pool behaves), user A with ten heavy jobs queued, then user B's small job: B's job
 * must finish within 15 s (FIFO dispatch would make it wait for all of A's, about 20 s).
 */
import type { ConversionRunner } from '../../shared/service/jobs/runner.ts';
import type { ConvertResult } from '../../shared/engine/types.ts';
import { createApiKey } from '../../shared/service/accounts/api-keys.ts';
import { Client, startTestServer, type TestServer } from './client.ts';

const HEAVY_MS = 2000;

/** One conversion at a time, in arrival order; `heavy*` files take HEAVY_MS, the rest a few milliseconds. */
function serialSlowRunner(): ConversionRunner {
  let chain: Promise<unknown> = Promise.resolve();
  return (_bytes, { fileName }) => {
    const run = chain.then(async () => {
      await new Promise((r) => setTimeout(r, fileName?.startsWith('heavy') ? HEAVY_MS : 5));
      const result: ConvertResult = {
        format: 'text',
        mediaType: 'text/plain',
        markdown: `# ${fileName}\n`,
        warnings: [],
      };
      return result;
    });
    chain = run.catch(() => undefined);
    return run;
  };
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({}, { runner: serialSlowRunner() });
}, 30_000);
afterAll(async () => {
  await server?.stop();
});

test('a small job of user B finishes within 15 s while user A has ten heavy jobs queued', async () => {
  const keyFor = async (owner: string) => {
    await server.deps.accounts.ensureUser({ id: owner, now: Date.now() });
    return (await createApiKey(server.deps, { owner, name: 'test' })).key;
  };
  const a = new Client(server.url, await keyFor('tenant-a'));
  const b = new Client(server.url, await keyFor('tenant-b'));
  const heavy = [];
  for (let i = 0; i < 10; i++) heavy.push(await a.submit(`heavy-${i}.txt`, 'text/plain', Buffer.from(`heavy ${i}\n`)));
  // Let A's backlog reach the queue first.
  await new Promise((r) => setTimeout(r, 500));
  const started = Date.now();
  const small = await b.submit('small.txt', 'text/plain', Buffer.from('small\n'));
  const job = await b.waitFor(small, ['succeeded', 'failed'], 30_000);
  const waited = Date.now() - started;
  expect(job.status).toBe('succeeded');
  expect(waited).toBeLessThan(15_000);
  // With two dispatch slots and one converter, B waits for at most the two conversions already in flight.
  expect(waited).toBeLessThan(3 * HEAVY_MS + 1500);
  const stillQueued = await Promise.all(heavy.map(async (id) => (await a.job(id)).body.job.status));
  expect(stillQueued.filter((s) => s !== 'succeeded').length).toBeGreaterThan(0);
  for (const id of heavy) expect((await a.waitFor(id, ['succeeded', 'failed'], 60_000)).status).toBe('succeeded');
}, 90_000);
