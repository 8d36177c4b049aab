/**
 * Work on a large converted result, over real HTTP on the embedded default: `GET /v1/jobs/{id}/result?format=chunks`
 * and an analysis by the offline engine both parse the whole Markdown again (seconds a megabyte: about 19 s for
 * 1 MB on a loaded 2-core machine), and on the server's own thread that froze every other request — a few MB
 * of text let any user stall the whole server for tens of seconds per request. The event loop must stay free.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { ConversionRunner } from '../../shared/service/jobs/runner.ts';
import { Client, startTestServer, type TestServer } from './client.ts';

/** About 1 MB of Markdown: sections of short paragraphs, the shape of a long converted report. */
function bigMarkdown(): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < 1024 * 1024; i++) {
    const part = `${i % 50 === 0 ? `# Section ${i}\n\n` : ''}Paragraph ${i} says something short about the topic.\n\n`;
    parts.push(part);
    size += part.length;
  }
  return parts.join('');
}

const markdown = bigMarkdown();
const runner: ConversionRunner = async () => ({ format: 'text', mediaType: 'text/plain', markdown, warnings: [] });

let server: TestServer;
let client: Client;
beforeAll(async () => {
  server = await startTestServer({}, { runner });
  client = new Client(server.url, server.apiKey!);
}, 30_000);
afterAll(async () => {
  await server?.stop();
});

test('chunking a large result does not stall the other requests', async () => {
  const id = await client.submit('big.txt', 'text/plain', Buffer.from('small input\n'));
  expect((await client.waitFor(id)).status).toBe('succeeded');

  // The server runs in this process: a blocked event loop shows as its delay (a request sent from here could
  // not even be sent while it is blocked).
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const started = performance.now();
  const res = await client.request(`/v1/jobs/${id}/result?format=chunks&targetTokens=64`);
  const elapsed = performance.now() - started;
  delay.disable();

  expect(res.status).toBe(200);
  const body = (await res.json()) as { markdownLength: number; chunks: { start: number; end: number }[] };
  expect(body.markdownLength).toBe(markdown.length);
  expect(body.chunks.length).toBeGreaterThan(1000);
  expect(body.chunks.at(-1)!.end).toBeLessThanOrEqual(markdown.length);
  const worstMs = delay.max / 1e6;
  process.stdout.write(
    `chunks of ${markdown.length} chars: ${Math.round(elapsed)} ms; worst event-loop delay ${Math.round(worstMs)} ms\n`,
  );
  // The event loop stayed free for other requests while the chunks were computed.
  expect(worstMs).toBeLessThan(Math.max(500, elapsed / 4));
}, 180_000);

test('an offline analysis of a large result does not stall the other requests', async () => {
  const id = await client.submit('big.txt', 'text/plain', Buffer.from('small input\n'));
  expect((await client.waitFor(id)).status).toBe('succeeded');
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const started = performance.now();
  const res = await client.request(`/v1/jobs/${id}/analyses`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ kind: 'outline' }),
  });
  expect(res.status).toBe(202);
  const { analysis } = (await res.json()) as { analysis: { id: string } };
  let status = '';
  for (const end = Date.now() + 170_000; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) {
    const got = (await (await client.request(`/v1/jobs/${id}/analyses/${analysis.id}`)).json()) as {
      analysis: { status: string; result?: { outline?: unknown[] } };
    };
    status = got.analysis.status;
    if (status === 'succeeded' || status === 'failed') {
      expect(got.analysis.result?.outline?.length).toBeGreaterThan(10);
      break;
    }
  }
  const elapsed = performance.now() - started;
  delay.disable();
  expect(status).toBe('succeeded');
  const worstMs = delay.max / 1e6;
  process.stdout.write(
    `outline of ${markdown.length} chars: ${Math.round(elapsed)} ms; worst event-loop delay ${Math.round(worstMs)} ms\n`,
  );
  // The event loop stayed free for other requests while the document was analysed.
  expect(worstMs).toBeLessThan(Math.max(500, elapsed / 4));
}, 180_000);
