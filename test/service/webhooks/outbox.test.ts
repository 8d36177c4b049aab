/**
 * The webhook outbox (transactional outbox + relay) as a use case, on the real local stores with a recording
 * queue: an event whose enqueue was lost — the process died after the job's terminal write, the queue was down,
 * or the enqueue happened but its mark was never written — is enqueued by cleanup after the grace period, once,
 * under the same task name and event id; an event enqueued normally is never swept.
 */
import { makeHarness, T0, type Harness } from '../jobs/harness.ts';
import { createJob } from '../../../shared/service/jobs/create-job.ts';
import { cleanup } from '../../../shared/service/jobs/cleanup.ts';
import { createApiKey } from '../../../shared/service/accounts/api-keys.ts';
import { handleUploadFinalized } from '../../../shared/service/jobs/upload-finalized.ts';
import { deliverWebhook, webhookTaskName } from '../../../shared/service/webhooks/deliver.ts';
import { OUTBOX_GRACE_MS, sweepWebhookOutbox } from '../../../shared/service/webhooks/outbox.ts';
import type { ResolvedAddress, WebhookTransport } from '../../../shared/service/ports.ts';

type Post = Parameters<WebhookTransport['post']>[0];

class FakeTransport implements WebhookTransport {
  readonly posts: Post[] = [];
  async resolve(): Promise<ResolvedAddress[]> {
    return [{ address: '93.184.216.34', family: 4 }];
  }
  async post(input: Post): Promise<{ status: number }> {
    this.posts.push(input);
    return { status: 204 };
  }
}

let h: Harness;
let transport: FakeTransport;
let keyId: string;

beforeEach(async () => {
  h = makeHarness();
  transport = new FakeTransport();
  h.deps.webhooks = transport;
  keyId = (await createApiKey(h.deps, { owner: 'alice', name: 'hooks' })).record.id;
});

afterEach(async () => {
  await h.dispose();
});

const webhookTasks = () => [...h.queue.tasks.values()].filter((t) => (t.body as { kind?: string }).kind === 'webhook');

async function jobWithWebhook(): Promise<string> {
  const { job } = await createJob(h.deps, {
    owner: 'alice',
    filename: 'a.txt',
    contentType: 'text/plain',
    size: 5,
    webhookUrl: 'https://hooks.example/mdraft',
    keyId,
  });
  return job.id;
}

/** Uploads 3 bytes for a job that declared 5: the finalize handler rejects the upload and ends the job. */
async function rejectUpload(jobId: string): Promise<void> {
  const job = (await h.store.getJob(jobId))!;
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
}

test('a process that died right after the terminal write: cleanup enqueues the event after the grace period, once', async () => {
  const jobId = await jobWithWebhook();
  // The terminal write alone, as a process that crashed before notifying would leave it.
  expect(await h.store.fail(jobId, { error: { code: 'size_mismatch', message: 'x' }, now: T0 })).toBe(true);
  expect((await h.store.getJob(jobId))!.webhook!.outboxAt).toBe(T0);
  expect(webhookTasks()).toEqual([]);

  // Within the grace period the ending process may still be enqueueing it: left alone.
  h.clock.now = T0 + OUTBOX_GRACE_MS;
  expect((await cleanup(h.deps)).webhooksEnqueued).toBe(0);
  expect(webhookTasks()).toEqual([]);

  h.clock.now = T0 + OUTBOX_GRACE_MS + 1;
  expect((await cleanup(h.deps)).webhooksEnqueued).toBe(1);
  expect(webhookTasks()).toEqual([
    expect.objectContaining({ name: webhookTaskName(jobId, 1), body: { kind: 'webhook', jobId, attempt: 1 } }),
  ]);
  expect((await h.store.getJob(jobId))!.webhook!.outboxAt).toBeUndefined();
  expect((await cleanup(h.deps)).webhooksEnqueued).toBe(0);

  expect(await deliverWebhook(h.deps, { jobId, attempt: 1 })).toBe('delivered');
  const event = JSON.parse(transport.posts[0].body) as { id: string; job: { status: string } };
  expect(event.id).toBe((await h.store.getJob(jobId))!.webhook!.eventId);
  expect(event.job.status).toBe('failed');
});

test('an upload rejected while the queue is down: the event waits in the outbox and goes out on a later cleanup', async () => {
  const jobId = await jobWithWebhook();
  h.queue.failNext = 1;
  await rejectUpload(jobId);
  expect((await h.store.getJob(jobId))!.status).toBe('failed');
  expect(webhookTasks()).toEqual([]);
  h.clock.now = T0 + OUTBOX_GRACE_MS + 1;
  expect(await sweepWebhookOutbox(h.deps)).toBe(1);
  expect(webhookTasks().map((t) => t.name)).toEqual([webhookTaskName(jobId, 1)]);
});

test('a job expired by cleanup while the queue is down is notified by the next run', async () => {
  const jobId = await jobWithWebhook();
  h.clock.now = T0 + h.deps.config.uploadWindowMs + 1;
  h.queue.failNext = 1;
  expect(await cleanup(h.deps)).toMatchObject({ expired: 1, webhooksEnqueued: 0 });
  expect(webhookTasks()).toEqual([]);
  h.clock.now += OUTBOX_GRACE_MS + 1;
  expect(await cleanup(h.deps)).toMatchObject({ expired: 0, webhooksEnqueued: 1 });
  expect(webhookTasks().map((t) => t.body)).toEqual([{ kind: 'webhook', jobId, attempt: 1 }]);
});

test('enqueued but the mark never written: the sweep enqueues again under the same name, and one POST goes out', async () => {
  const jobId = await jobWithWebhook();
  const mark = h.deps.jobs.markWebhookEnqueued.bind(h.deps.jobs);
  let dropped = 0;
  h.deps.jobs.markWebhookEnqueued = async (id, eventId) => {
    if (dropped++ === 0) throw new Error('process died');
    return mark(id, eventId);
  };
  await rejectUpload(jobId);
  expect(webhookTasks()).toHaveLength(1);
  expect((await h.store.getJob(jobId))!.webhook!.outboxAt).toBe(T0);

  h.clock.now = T0 + OUTBOX_GRACE_MS + 1;
  const calls = h.queue.calls;
  expect(await sweepWebhookOutbox(h.deps)).toBe(1);
  expect(h.queue.calls).toBe(calls + 1); // asked again; the queue's name de-duplicated it
  expect(webhookTasks()).toHaveLength(1);
  expect((await h.store.getJob(jobId))!.webhook!.outboxAt).toBeUndefined();
  expect(await deliverWebhook(h.deps, { jobId, attempt: 1 })).toBe('delivered');
  expect(await deliverWebhook(h.deps, { jobId, attempt: 1 })).toBe('noop');
  expect(transport.posts).toHaveLength(1);
});

test('an event enqueued as the job ended is out of the outbox and never swept; a job without a webhook has none', async () => {
  const jobId = await jobWithWebhook();
  await rejectUpload(jobId);
  expect((await h.store.getJob(jobId))!.webhook!.outboxAt).toBeUndefined();
  const { job: plain } = await createJob(h.deps, {
    owner: 'alice',
    filename: 'b.txt',
    contentType: 'text/plain',
    size: 5,
  });
  expect(await h.store.fail(plain.id, { error: { code: 'x', message: 'y' }, now: T0 })).toBe(true);
  h.clock.now = T0 + OUTBOX_GRACE_MS + 1;
  const calls = h.queue.calls;
  expect(await sweepWebhookOutbox(h.deps)).toBe(0);
  expect(h.queue.calls).toBe(calls);
});
