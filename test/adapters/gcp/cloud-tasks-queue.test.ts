/**
 * CloudTasksQueue with the real @google-cloud/tasks client on its REST transport (`fallback: true`),
 * pointed at a loopback server that records the JSON the client sends and answers like Cloud Tasks.
 */
import { createHash } from 'node:crypto';
import { CloudTasksClient } from '@google-cloud/tasks';
import { CloudTasksQueue } from '../../../shared/adapters/gcp/cloud-tasks-queue.ts';
import { taskNameFor, eventKeyOf } from '../../../shared/service/jobs/names.ts';
import { webhookTaskName } from '../../../shared/service/webhooks/deliver.ts';
import { enqueueAnalysis } from '../../../shared/service/analyses/create-analysis.ts';
import { analysisTaskName } from '../../../shared/service/analyses/names.ts';
import type { PipelineDeps } from '../../../shared/service/jobs/deps.ts';
import type { Analysis } from '../../../shared/service/ports.ts';
import { startRecordingServer, type RecordingServer } from './recording-server.ts';
import { STUB_ACCESS_TOKEN, stubAuthClient } from './stub-auth-client.ts';

const QUEUE = 'projects/mdraft-test/locations/europe-west1/queues/convert';
const INVOKER = 'tasks-invoker@mdraft-test.iam.gserviceaccount.com';
const WORKER = 'https://convertworker-abc123-ew.a.run.app';

interface SentTask {
  name: string;
  httpRequest: {
    url: string;
    httpMethod: number;
    headers: Record<string, string>;
    body: string;
    oidcToken: { serviceAccountEmail: string; audience: string };
  };
  dispatchDeadline: string;
  scheduleTime?: string;
}

describe('CloudTasksQueue against a recording Cloud Tasks REST server', () => {
  let server: RecordingServer;
  let client: CloudTasksClient;
  let queue: CloudTasksQueue;
  const existing = new Set<string>();

  beforeAll(async () => {
    server = await startRecordingServer((req) => {
      if (req.method !== 'POST' || !req.url.startsWith(`/v2/${QUEUE}/tasks`)) {
        return { status: 404, body: { error: { code: 404, message: 'not found', status: 'NOT_FOUND' } } };
      }
      const { task } = JSON.parse(req.body.toString('utf8')) as { task: SentTask };
      if (existing.has(task.name)) {
        return {
          status: 409,
          body: { error: { code: 409, message: 'Requested entity already exists', status: 'ALREADY_EXISTS' } },
        };
      }
      existing.add(task.name);
      return { status: 200, body: { ...task, createTime: new Date().toISOString() } };
    });
    client = new CloudTasksClient({
      fallback: true,
      apiEndpoint: '127.0.0.1',
      port: server.port,
      protocol: 'http',
      authClient: stubAuthClient as never,
    });
    queue = new CloudTasksQueue({
      client,
      queuePath: QUEUE,
      serviceAccountEmail: INVOKER,
      audience: WORKER,
      dispatchDeadlineMs: 600_000,
    });
  });
  afterAll(async () => {
    await queue.close();
    await server.close();
  });
  beforeEach(() => {
    server.requests.length = 0;
  });

  test('createTask: named sha256(key), POST with base64 JSON body, OIDC token settings and dispatch deadline', async () => {
    const key = eventKeyOf('mdraft-uploads', 'u/alice/job_AAAAAAAAAAAAAAAAAAAAAA/input', '1712345678901234');
    const out = await queue.enqueue({
      name: taskNameFor(key),
      url: `${WORKER}/`,
      body: { jobId: 'job_AAAAAAAAAAAAAAAAAAAAAA' },
    });
    expect(out).toEqual({ created: true });
    expect(server.requests).toHaveLength(1);
    const req = server.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.url.split('?')[0]).toBe(`/v2/${QUEUE}/tasks`);
    expect(req.headers.authorization).toBe(`Bearer ${STUB_ACCESS_TOKEN}`);
    expect(decodeURIComponent(req.url)).toContain('enum-encoding=int');
    const { task } = JSON.parse(req.body.toString('utf8')) as { task: SentTask };
    expect(task.name).toBe(`${QUEUE}/tasks/${createHash('sha256').update(key).digest('hex')}`);
    expect(task.httpRequest).toMatchObject({
      url: `${WORKER}/`,
      // The client sends enums as numbers (`$alt=json;enum-encoding=int`): HttpMethod.POST = 1.
      httpMethod: 1,
      headers: { 'Content-Type': 'application/json' },
      oidcToken: { serviceAccountEmail: INVOKER, audience: WORKER },
    });
    expect(JSON.parse(Buffer.from(task.httpRequest.body, 'base64').toString('utf8'))).toEqual({
      jobId: 'job_AAAAAAAAAAAAAAAAAAAAAA',
    });
    expect(task.dispatchDeadline).toBe('600s');
    expect(task.scheduleTime).toBeUndefined();
  });

  test('an analysis task: named after the analysis id (a valid task id, so Cloud Tasks refuses a second one), same worker', async () => {
    const analysis = {
      id: 'ana_BBBBBBBBBBBBBBBBBBBBBB',
      jobId: 'job_AAAAAAAAAAAAAAAAAAAAAA',
      owner: 'alice',
    } as Analysis;
    const deps = { tasks: queue, config: { workerUrl: `${WORKER}/` } } as unknown as PipelineDeps;
    await enqueueAnalysis(deps, analysis);
    await enqueueAnalysis(deps, analysis); // the same analysis again (cleanup's re-enqueue): harmless
    expect(
      await queue.enqueue({ name: analysisTaskName(analysis.id), url: `${WORKER}/`, body: { jobId: analysis.jobId } }),
    ).toEqual({ created: false });
    expect(server.requests).toHaveLength(3);
    const { task } = JSON.parse(server.requests[0]!.body.toString('utf8')) as { task: SentTask };
    expect(task.name).toBe(`${QUEUE}/tasks/ana_BBBBBBBBBBBBBBBBBBBBBB`);
    expect(task.httpRequest.url).toBe(`${WORKER}/`);
    expect(JSON.parse(Buffer.from(task.httpRequest.body, 'base64').toString('utf8'))).toEqual({
      jobId: 'job_AAAAAAAAAAAAAAAAAAAAAA',
      analysisId: 'ana_BBBBBBBBBBBBBBBBBBBBBB',
    });
  });

  test('ALREADY_EXISTS (HTTP 409) for the same name is success with created:false; other errors propagate', async () => {
    const req = { name: taskNameFor('b/o#2'), url: `${WORKER}/`, body: { jobId: 'j' } };
    expect(await queue.enqueue(req)).toEqual({ created: true });
    expect(await queue.enqueue(req)).toEqual({ created: false });
    expect(server.requests).toHaveLength(2);
    const names = server.requests.map((r) => (JSON.parse(r.body.toString('utf8')) as { task: SentTask }).task.name);
    expect(names[0]).toBe(names[1]);
    const other = new CloudTasksQueue({
      client,
      queuePath: QUEUE.replace('convert', 'missing'),
      serviceAccountEmail: INVOKER,
      dispatchDeadlineMs: 60_000,
    });
    await expect(other.enqueue(req)).rejects.toMatchObject({ code: 5 });
  });

  test('a name that is not a valid task id is hashed; scheduleTime is sent; the audience defaults to the task URL', async () => {
    const q = new CloudTasksQueue({
      client,
      queuePath: QUEUE,
      serviceAccountEmail: INVOKER,
      dispatchDeadlineMs: 1_800_000,
    });
    const at = new Date(Date.UTC(2030, 0, 1, 0, 0, 5, 250));
    await q.enqueue({ name: 'bucket/name#7', url: `${WORKER}/convert`, body: {}, scheduleTime: at });
    const { task } = JSON.parse(server.requests[0]!.body.toString('utf8')) as { task: SentTask };
    expect(task.name).toBe(`${QUEUE}/tasks/${createHash('sha256').update('bucket/name#7').digest('hex')}`);
    expect(task.httpRequest.oidcToken.audience).toBe(`${WORKER}/convert`);
    expect(task.dispatchDeadline).toBe('1800s');
    expect(Date.parse(task.scheduleTime!)).toBe(at.getTime());
  });

  test('a webhook attempt is a task of its own kind on the same queue and worker, named per attempt, scheduled', async () => {
    const jobId = 'job_AAAAAAAAAAAAAAAAAAAAAA';
    const at = new Date(Date.UTC(2030, 0, 1, 0, 1, 0));
    const out = await queue.enqueue({
      name: webhookTaskName(jobId, 2),
      url: `${WORKER}/`,
      body: { kind: 'webhook', jobId, attempt: 2 },
      scheduleTime: at,
      fairnessKey: 'alice',
    });
    expect(out).toEqual({ created: true });
    const { task } = JSON.parse(server.requests[0]!.body.toString('utf8')) as { task: SentTask };
    // A valid task id is kept as it is: a repeated notification of the same attempt is ALREADY_EXISTS.
    expect(task.name).toBe(`${QUEUE}/tasks/webhook_${jobId}_2`);
    expect(task.httpRequest.url).toBe(`${WORKER}/`);
    expect(task.httpRequest.oidcToken.audience).toBe(WORKER);
    expect(JSON.parse(Buffer.from(task.httpRequest.body, 'base64').toString('utf8'))).toEqual({
      kind: 'webhook',
      jobId,
      attempt: 2,
    });
    expect(Date.parse(task.scheduleTime!)).toBe(at.getTime());
    expect(
      await queue.enqueue({
        name: webhookTaskName(jobId, 2),
        url: `${WORKER}/`,
        body: { kind: 'webhook', jobId, attempt: 2 },
      }),
    ).toEqual({ created: false });
  });

  test('configuration mistakes are refused up front', () => {
    expect(
      () =>
        new CloudTasksQueue({
          client,
          queuePath: 'queues/convert',
          serviceAccountEmail: INVOKER,
          dispatchDeadlineMs: 60_000,
        }),
    ).toThrow(/queue path/);
    expect(
      () =>
        new CloudTasksQueue({ client, queuePath: QUEUE, serviceAccountEmail: INVOKER, dispatchDeadlineMs: 3_600_000 }),
    ).toThrow(/30 min/);
  });
});
