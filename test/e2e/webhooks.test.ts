/**
 * Webhooks end to end on the embedded default: a loopback receiver (allowed by the test-only allow-list) gets a
 * signed event for a succeeded and for a failed job, verified with the exported helper; a receiver answering
 * 500 gets the event again after the backoff; and without the allow-list a URL resolving to 127.0.0.1 is
 * refused at delivery: the webhook is marked failed and the receiver never sees a request.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, startTestServer, type TestServer } from './client.ts';
import { verifyWebhook, type WebhookEvent } from '../../shared/client/webhooks.ts';
import { NodeWebhookTransport } from '../../shared/adapters/webhook-transport.ts';

interface Received {
  path: string;
  body: string;
  signature: string | undefined;
  at: number;
}

let receiver: Server;
let receiverPort: number;
const received: Received[] = [];
/** Status codes to answer per path, in order; 200 once a path's list is used up. */
const scripted = new Map<string, number[]>();
/** TCP connections the receiver accepted (an https attempt on it would count here, not as a request). */
let connections = 0;

let server: TestServer;
let alice: Client;
let keyBody: { secret: string; webhookSecret: string; key: { id: string; webhookUrl?: string } };

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({ path, body, signature: req.headers['mdraft-signature'] as string | undefined, at: Date.now() });
      const status = scripted.get(path)?.shift() ?? 200;
      res.writeHead(status).end(status === 200 ? 'ok' : 'try again');
    });
  });
  receiver.on('connection', () => connections++);
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  receiverPort = (receiver.address() as AddressInfo).port;

  server = await startTestServer({
    MDRAFT_WEBHOOK_TEST_ALLOW_HOSTS: '127.0.0.1',
    MDRAFT_WEBHOOK_MIN_BACKOFF_MS: '200',
    MDRAFT_WEBHOOK_MAX_BACKOFF_MS: '1000',
    MDRAFT_WEBHOOK_TIMEOUT_S: '5',
  });
  const bootstrap = new Client(server.url, server.apiKey!);
  const res = await bootstrap.request('/v1/keys', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'hooks', webhookUrl: `http://127.0.0.1:${receiverPort}/default` }),
  });
  expect(res.status).toBe(201);
  keyBody = (await res.json()) as typeof keyBody;
  alice = new Client(server.url, keyBody.secret);
}, 60_000);

afterAll(async () => {
  await server?.stop();
  receiver.closeAllConnections();
  await new Promise<void>((r) => receiver.close(() => r()));
});

async function waitForWebhook(
  client: Client,
  jobId: string,
  states: string[] = ['delivered', 'failed'],
): Promise<{ state: string; attempts: number; lastStatus?: number; lastError?: { code: string } }> {
  const end = Date.now() + 30_000;
  for (;;) {
    const { body } = await client.job(jobId);
    const webhook = body.job.webhook as { state: string; attempts: number } | undefined;
    if (webhook && states.includes(webhook.state)) return webhook;
    if (Date.now() > end) throw new Error(`webhook of ${jobId} still ${JSON.stringify(webhook)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function eventsFor(path: string, jobId: string): Array<{ event: WebhookEvent; raw: Received }> {
  return received
    .filter((r) => r.path === path)
    .map((raw) => ({ raw, event: JSON.parse(raw.body) as WebhookEvent }))
    .filter((e) => e.event.job.id === jobId);
}

test('the key shows its default URL; its signing secret is shown once, at creation', async () => {
  expect(keyBody.webhookSecret).toMatch(/^mdwhsec_[A-Za-z0-9_-]{43}$/);
  expect(keyBody.key.webhookUrl).toBe(`http://127.0.0.1:${receiverPort}/default`);
  const list = (await (await alice.request('/v1/keys')).json()) as { keys: object[] };
  expect(JSON.stringify(list)).not.toContain(keyBody.webhookSecret);
});

test('a succeeded job: one signed job.succeeded event at the key’s default URL', async () => {
  const bytes = Buffer.from('name,qty\napples,3\n');
  const jobId = await alice.submit('fruit.csv', 'text/csv', bytes);
  expect((await alice.waitFor(jobId)).status).toBe('succeeded');
  const webhook = await waitForWebhook(alice, jobId);
  expect(webhook).toMatchObject({ state: 'delivered', attempts: 1, lastStatus: 200 });
  const [delivery, ...more] = eventsFor('/default', jobId);
  expect(more).toEqual([]);
  const event = verifyWebhook(delivery.raw.body, delivery.raw.signature, keyBody.webhookSecret);
  expect(event).toMatchObject({ type: 'job.succeeded', job: { id: jobId, status: 'succeeded' } });
  expect(event.id).toMatch(/^evt_/);
  // No content and no links: the receiver fetches the result with its own credentials.
  expect(delivery.raw.body).not.toContain('apples');
  expect(delivery.raw.body).not.toContain('http');
  expect(() => verifyWebhook(delivery.raw.body, delivery.raw.signature, 'mdwhsec_wrong')).toThrow();
});

test('a failed job: job.failed with its error code, at the URL the job names', async () => {
  const bytes = Buffer.from('%PDF-1.7\n%junk that is no csv\n');
  const created = await alice.create('table.csv', 'text/csv', bytes.length, {
    webhookUrl: `http://127.0.0.1:${receiverPort}/own`,
  });
  expect((await alice.upload(created, bytes)).status).toBe(200);
  const job = await alice.waitFor(created.job.id);
  expect(job.status).toBe('failed');
  await waitForWebhook(alice, created.job.id);
  const [delivery] = eventsFor('/own', created.job.id);
  const event = verifyWebhook(delivery.raw.body, delivery.raw.signature, keyBody.webhookSecret);
  expect(event).toMatchObject({
    type: 'job.failed',
    job: { id: created.job.id, status: 'failed', errorCode: job.error!.code },
  });
  expect(eventsFor('/default', created.job.id)).toEqual([]);
});

test('a receiver answering 500 gets the same event again after the backoff, then 200 ends it', async () => {
  scripted.set('/flaky', [500]);
  const bytes = Buffer.from('a,b\n1,2\n');
  const created = await alice.create('flaky.csv', 'text/csv', bytes.length, {
    webhookUrl: `http://127.0.0.1:${receiverPort}/flaky`,
  });
  expect((await alice.upload(created, bytes)).status).toBe(200);
  const webhook = await waitForWebhook(alice, created.job.id);
  expect(webhook).toMatchObject({ state: 'delivered', attempts: 2, lastStatus: 200 });
  const deliveries = eventsFor('/flaky', created.job.id);
  expect(deliveries).toHaveLength(2);
  expect(deliveries[0].event.id).toBe(deliveries[1].event.id);
  expect(deliveries[1].raw.at - deliveries[0].raw.at).toBeGreaterThanOrEqual(100); // half-jittered 200 ms
  for (const d of deliveries)
    expect(() => verifyWebhook(d.raw.body, d.raw.signature, keyBody.webhookSecret)).not.toThrow();
});

test('webhook URLs are checked at creation: https only (outside the test allow-list), a typed 400', async () => {
  for (const webhookUrl of ['http://hooks.example/x', 'not a url', 'https://u:p@hooks.example/x']) {
    const res = await alice.request('/v1/jobs', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ filename: 'a.csv', contentType: 'text/csv', size: 10, webhookUrl }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_webhook_url');
  }
});

describe('without the allow-list', () => {
  let strict: TestServer;
  const network = new NodeWebhookTransport();
  const resolved: string[] = [];
  let posts = 0;
  beforeAll(async () => {
    strict = await startTestServer(
      { MDRAFT_WEBHOOK_MIN_BACKOFF_MS: '100', MDRAFT_WEBHOOK_MAX_BACKOFF_MS: '200' },
      {
        // The real transport, counted: the refusal must come after a real resolution and before any POST.
        webhooks: {
          resolve: async (host) => {
            resolved.push(host);
            return network.resolve(host);
          },
          post: async (input) => {
            posts++;
            return network.post(input);
          },
        },
      },
    );
  }, 60_000);
  afterAll(async () => {
    await strict?.stop();
  });

  test('a URL resolving to 127.0.0.1 is refused at delivery: marked failed, no request made', async () => {
    const bootstrap = new Client(strict.url, strict.apiKey!);
    const res = await bootstrap.request('/v1/keys', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'hooks' }),
    });
    const bob = new Client(strict.url, ((await res.json()) as { secret: string }).secret);
    const before = received.length;
    const connectionsBefore = connections;
    const bytes = Buffer.from('x,y\n1,2\n');
    // `localhost` passes the creation check (an https URL); only its resolution reveals loopback.
    const created = await bob.create('t.csv', 'text/csv', bytes.length, {
      webhookUrl: `https://localhost:${receiverPort}/refused`,
    });
    expect((await bob.upload(created, bytes)).status).toBe(200);
    expect((await bob.waitFor(created.job.id)).status).toBe('succeeded');
    const webhook = await waitForWebhook(bob, created.job.id);
    expect(webhook).toMatchObject({ state: 'failed', attempts: 1, lastError: { code: 'address_refused' } });
    expect(webhook.lastStatus).toBeUndefined();
    await new Promise((r) => setTimeout(r, 300)); // no retry either
    expect(received.slice(before).filter((r) => r.path === '/refused')).toEqual([]);
    expect(connections).toBe(connectionsBefore);
    expect(resolved).toEqual(['localhost']);
    expect(posts).toBe(0);
    expect((await bob.job(created.job.id)).body.job.webhook).toMatchObject({ attempts: 1 });
  });

  test('the allow-list is refused by the production (gcp) configuration', async () => {
    const { loadConfig } = await import('../../shared/service/config.ts');
    expect(() => loadConfig({ MDRAFT_BACKEND: 'gcp', MDRAFT_WEBHOOK_TEST_ALLOW_HOSTS: '127.0.0.1' })).toThrow(
      /MDRAFT_WEBHOOK_TEST_ALLOW_HOSTS/,
    );
  });
});
