/**
 * The network side of webhooks against a loopback server: the connection goes to the pinned address (the
 * host name in the URL is never resolved: it does not even exist), redirects are answered as they are, the
 * answer is read only up to the cap, and a silent receiver costs the time budget, no more.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NodeWebhookTransport } from '../../../shared/adapters/webhook-transport.ts';
import { WebhookTransportError } from '../../../shared/service/ports.ts';

let server: Server;
let port: number;
let handler: (req: IncomingMessage, res: ServerResponse) => void;
const seen: Array<{ host?: string; path?: string; body: string; signature?: string }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      seen.push({
        host: req.headers.host,
        path: req.url,
        body,
        signature: req.headers['mdraft-signature'] as string | undefined,
      });
      handler(req, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

beforeEach(() => {
  seen.length = 0;
});

const transport = new NodeWebhookTransport();
const post = (url: string, timeoutMs = 2000, maxResponseBytes = 4096) =>
  transport.post({
    url,
    address: { address: '127.0.0.1', family: 4 },
    headers: { 'Content-Type': 'application/json', 'MDraft-Signature': 't=1,v1=ab' },
    body: '{"id":"evt_1"}',
    timeoutMs,
    maxResponseBytes,
  });

test('connects to the pinned address, never resolving the name; Host keeps the name', async () => {
  handler = (_req, res) => res.writeHead(204).end();
  const answer = await post(`http://receiver.invalid:${port}/hook?x=1`);
  expect(answer).toEqual({ status: 204 });
  expect(seen).toEqual([
    { host: `receiver.invalid:${port}`, path: '/hook?x=1', body: '{"id":"evt_1"}', signature: 't=1,v1=ab' },
  ]);
});

test('a redirect is reported, not followed', async () => {
  handler = (req, res) =>
    req.url === '/hook' ? res.writeHead(307, { Location: '/elsewhere' }).end() : res.writeHead(200).end();
  expect(await post(`http://receiver.invalid:${port}/hook`)).toEqual({ status: 307 });
  expect(seen.map((s) => s.path)).toEqual(['/hook']);
});

test('a huge answer is not read past the cap', async () => {
  handler = (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    const chunk = Buffer.alloc(64 * 1024, 'x');
    let sent = 0;
    const pump = () => {
      while (sent < 64 * 1024 * 1024) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end();
    };
    pump();
  };
  const started = Date.now();
  expect(await post(`http://receiver.invalid:${port}/big`, 10_000, 1024)).toEqual({ status: 200 });
  expect(Date.now() - started).toBeLessThan(5000);
});

test('a receiver that never answers costs the timeout, then a typed error', async () => {
  handler = () => undefined; // never answers
  const started = Date.now();
  await expect(post(`http://receiver.invalid:${port}/slow`, 300)).rejects.toMatchObject({ code: 'timeout' });
  expect(Date.now() - started).toBeLessThan(3000);
});

test('a refused connection is connection_failed', async () => {
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const deadPort = (closed.address() as AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));
  const error = await post(`http://receiver.invalid:${deadPort}/`).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(WebhookTransportError);
  expect((error as WebhookTransportError).code).toBe('connection_failed');
});

test('resolve lists every address of a name', async () => {
  const addresses = await transport.resolve('localhost');
  expect(addresses.length).toBeGreaterThan(0);
  for (const a of addresses) expect(['127.0.0.1', '::1']).toContain(a.address);
});
