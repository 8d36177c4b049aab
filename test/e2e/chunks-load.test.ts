/**
 * `GET /v1/jobs/{id}/result?format=chunks` of a large result, over real HTTP on the embedded default: the
 * chunks are computed on request (the Markdown is parsed again, about 5 s a megabyte on a loaded 2-core
 * machine), and on the server's own thread that froze every other request — a few MB of text results let any
 * user stall the whole API for tens of seconds per request. The server's event loop must stay free meanwhile.
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
