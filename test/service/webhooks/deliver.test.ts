/**
 * Webhook delivery as a use case, on the real local stores with a recording queue and a fake transport: the
 * first attempt is enqueued when a job ends, each attempt is recorded on the job, failures are retried with
 * backoff up to the budget, refusals send nothing, and a repeated task never sends twice.
 */
import { jest } from '@jest/globals';
import { makeHarness, T0, type Harness } from '../jobs/harness.ts';
import { createJob } from '../../../shared/service/jobs/create-job.ts';
import { createApiKey } from '../../../shared/service/accounts/api-keys.ts';
import { deliverWebhook, notifyTerminal, webhookTaskName } from '../../../shared/service/webhooks/deliver.ts';
import { verifyWebhook } from '../../../shared/client/webhooks.ts';
import { handleUploadFinalized } from '../../../shared/service/jobs/upload-finalized.ts';
import { runConversion } from '../../../shared/service/jobs/run-conversion.ts';
import { WebhookTransportError, type ResolvedAddress, type WebhookTransport } from '../../../shared/service/ports.ts';
import { InvalidJobRequestError } from '../../../shared/service/jobs/errors.ts';

type Post = Parameters<WebhookTransport['post']>[0];

class FakeTransport implements WebhookTransport {
  addresses: ResolvedAddress[] = [{ address: '93.184.216.34', family: 4 }];
  answers: Array<number | Error> = [];
  readonly posts: Post[] = [];
  readonly resolved: string[] = [];
  async resolve(host: string): Promise<ResolvedAddress[]> {
    this.resolved.push(host);
    return this.addresses;
  }
  async post(input: Post): Promise<{ status: number }> {
    this.posts.push(input);
    const next = this.answers.shift() ?? 200;
    if (next instanceof Error) throw next;
    return { status: next };
  }
}

let h: Harness;
let transport: FakeTransport;
let secret: string;
let keyId: string;

beforeEach(async () => {
  h = makeHarness({
    MDRAFT_WEBHOOK_MAX_ATTEMPTS: '3',
    MDRAFT_WEBHOOK_MIN_BACKOFF_MS: '1000',
    MDRAFT_WEBHOOK_MAX_BACKOFF_MS: '60000',
  });
  transport = new FakeTransport();
  h.deps.webhooks = transport;
  const issued = await createApiKey(h.deps, { owner: 'alice', name: 'hooks' });
  secret = issued.webhookSecret;
  keyId = issued.record.id;
});

afterEach(async () => {
  await h.dispose();
});

/** A job with a webhook, failed at once (a bad upload), as the finalize handler would. */
async function endedJob(url = 'https://hooks.example/mdraft'): Promise<string> {
  const { job } = await createJob(h.deps, {
    owner: 'alice',
    filename: 'a.txt',
    contentType: 'text/plain',
    size: 5,
    webhookUrl: url,
    keyId,
  });
  const stat = await h.deps.uploads.write(job.inputObject, new Uint8Array([1, 2, 3]), {
    contentType: 'text/plain',
    ifGenerationMatch: 0,
  });
  await handleUploadFinalized(h.deps, {
    bucket: h.deps.uploads.bucket,
    name: job.inputObject,
    generation: stat.generation,
    size: 3,
  });
  return job.id;
}

const webhookTasks = () => [...h.queue.tasks.values()].filter((t) => (t.body as { kind?: string }).kind === 'webhook');

test('a job that ends enqueues attempt 1 on the conversion queue; the event is signed and carries no content', async () => {
  const jobId = await endedJob();
  const job = await h.store.getJob(jobId);
  expect(job).toMatchObject({ status: 'failed', error: { code: 'size_mismatch' } });
  expect(webhookTasks()).toEqual([
    expect.objectContaining({
      name: webhookTaskName(jobId, 1),
      url: h.deps.config.workerUrl,
      body: { kind: 'webhook', jobId, attempt: 1 },
      fairnessKey: 'alice',
    }),
  ]);
  expect(await deliverWebhook(h.deps, { jobId, attempt: 1 })).toBe('delivered');
  expect(transport.posts).toHaveLength(1);
  const post = transport.posts[0];
  expect(post.address).toEqual({ address: '93.184.216.34', family: 4 });
  expect(post.url).toBe('https://hooks.example/mdraft');
  const event = verifyWebhook(post.body, post.headers['MDraft-Signature'], secret, { now: T0 });
  expect(event).toEqual({
    id: job!.webhook!.eventId,
    type: 'job.failed',
    createdAt: new Date(T0).toISOString(),
    job: { id: jobId, status: 'failed', errorCode: 'size_mismatch' },
  });
  expect(Object.keys(JSON.parse(post.body) as object).sort()).toEqual(['createdAt', 'id', 'job', 'type']);
  expect((await h.store.getJob(jobId))!.webhook).toMatchObject({
    state: 'delivered',
    attempts: 1,
    lastStatus: 200,
    deliveredAt: T0,
  });
  // The same task delivered again sends nothing.
  expect(await deliverWebhook(h.deps, { jobId, attempt: 1 })).toBe('noop');
  expect(transport.posts).toHaveLength(1);
});

test('a succeeded conversion notifies job.succeeded', async () => {
  const { job } = await createJob(h.deps, {
    owner: 'alice',
    filename: 'n.txt',
    contentType: 'text/plain',
    size: 5,
    webhookUrl: 'https://hooks.example/ok',
    keyId,
  });
  const stat = await h.deps.uploads.write(job.inputObject, Buffer.from('hello'), {
    contentType: 'text/plain',
    ifGenerationMatch: 0,
  });
  await handleUploadFinalized(h.deps, {
    bucket: h.deps.uploads.bucket,
    name: job.inputObject,
    generation: stat.generation,
    size: 5,
  });
  expect(await runConversion(h.deps, { jobId: job.id, deliveryAttempt: 1 })).toBe('succeeded');
  expect(webhookTasks().map((t) => t.name)).toEqual([webhookTaskName(job.id, 1)]);
  await deliverWebhook(h.deps, { jobId: job.id, attempt: 1 });
  const event = verifyWebhook(transport.posts[0].body, transport.posts[0].headers['MDraft-Signature'], secret, {
    now: T0,
  });
  expect(event.type).toBe('job.succeeded');
  expect(event.job).toEqual({ id: job.id, status: 'succeeded' });
});

test('failures are retried with exponential backoff until the budget, then the webhook is failed', async () => {
  const jobId = await endedJob();
  transport.answers = [500, new WebhookTransportError('timeout', 'no answer within 10000 ms'), 302];
  expect(await deliverWebhook(h.deps, { jobId, attempt: 1 })).toBe('retrying');
  const second = h.queue.tasks.get(webhookTaskName(jobId, 2))!;
  expect(second.body).toEqual({ kind: 'webhook', jobId, attempt: 2 });
  const delay1 = second.scheduleTime!.getTime() - T0;
  expect(delay1).toBeGreaterThanOrEqual(500);
  expect(delay1).toBeLessThanOrEqual(1000);
  expect((await h.store.getJob(jobId))!.webhook).toMatchObject({
    state: 'pending',
    attempts: 1,
    lastStatus: 500,
    lastError: { code: 'http_status' },
  });

  expect(await deliverWebhook(h.deps, { jobId, attempt: 2 })).toBe('retrying');
  const delay2 = h.queue.tasks.get(webhookTaskName(jobId, 3))!.scheduleTime!.getTime() - T0;
  expect(delay2).toBeGreaterThanOrEqual(1000);
  expect(delay2).toBeLessThanOrEqual(2000);
  expect((await h.store.getJob(jobId))!.webhook).toMatchObject({ attempts: 2, lastError: { code: 'timeout' } });

  // A redirect is not followed: it is a failed attempt, and the third is the last.
  expect(await deliverWebhook(h.deps, { jobId, attempt: 3 })).toBe('failed');
  expect(h.queue.tasks.has(webhookTaskName(jobId, 4))).toBe(false);
  expect((await h.store.getJob(jobId))!.webhook).toMatchObject({
    state: 'failed',
    attempts: 3,
    lastStatus: 302,
    lastError: { code: 'http_status' },
  });
  expect(transport.posts).toHaveLength(3);
});

test('an out-of-order or repeated attempt sends nothing', async () => {
  const jobId = await endedJob();
  expect(await deliverWebhook(h.deps, { jobId, attempt: 2 })).toBe('noop');
  expect(transport.posts).toHaveLength(0);
});

test('a name resolving to a private address is refused for good: no request, no retry', async () => {
  transport.addresses = [
    { address: '93.184.216.34', family: 4 },
    { address: '10.0.0.7', family: 4 },
  ];
  const jobId = await endedJob('https://rebind.example/x');
  expect(await deliverWebhook(h.deps, { jobId, attempt: 1 })).toBe('failed');
  expect(transport.resolved).toEqual(['rebind.example']);
  expect(transport.posts).toHaveLength(0);
  expect(h.queue.tasks.has(webhookTaskName(jobId, 2))).toBe(false);
  expect((await h.store.getJob(jobId))!.webhook).toMatchObject({
    state: 'failed',
    attempts: 1,
    lastError: { code: 'address_refused' },
  });
});

test('a revoked signing key stops delivery', async () => {
  const jobId = await endedJob();
  await h.accounts.revokeApiKey('alice', keyId, T0);
  expect(await deliverWebhook(h.deps, { jobId, attempt: 1 })).toBe('failed');
  expect(transport.posts).toHaveLength(0);
  expect((await h.store.getJob(jobId))!.webhook!.lastError!.code).toBe('key_revoked');
});

test('a webhook needs an API key with a signing secret, and an https URL', async () => {
  const base = { owner: 'alice', filename: 'a.txt', contentType: 'text/plain', size: 5 };
  await expect(createJob(h.deps, { ...base, webhookUrl: 'https://hooks.example/x' })).rejects.toMatchObject({
    code: 'webhook_unavailable',
  });
  await h.accounts.createApiKey({ id: 'f'.repeat(64), owner: 'alice', name: 'old', prefix: 'mdk_old', createdAt: T0 });
  await expect(
    createJob(h.deps, { ...base, webhookUrl: 'https://hooks.example/x', keyId: 'f'.repeat(64) }),
  ).rejects.toMatchObject({ code: 'webhook_unavailable' });
  await expect(createJob(h.deps, { ...base, webhookUrl: 'http://hooks.example/x', keyId })).rejects.toBeInstanceOf(
    InvalidJobRequestError,
  );
  await expect(createApiKey(h.deps, { owner: 'alice', webhookUrl: 'nope' })).rejects.toMatchObject({
    code: 'invalid_webhook_url',
  });
});

test('notifying twice enqueues once, and a queue failure does not escape', async () => {
  const jobId = await endedJob();
  const job = (await h.store.getJob(jobId))!;
  await notifyTerminal(h.deps, job);
  expect(webhookTasks()).toHaveLength(1);
  const enqueue = jest.spyOn(h.queue, 'enqueue').mockRejectedValueOnce(new Error('queue down'));
  await expect(notifyTerminal(h.deps, job)).resolves.toBeUndefined();
  enqueue.mockRestore();
});
