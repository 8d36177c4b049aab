/**
 * `TaskQueue` on Cloud Tasks (HTTP targets). A task is a POST of the JSON body to the worker with an OIDC
 * token minted for `serviceAccountEmail` (the only identity allowed to invoke the private worker). The task
 * is NAMED: `<queue>/tasks/<id>`, with the caller's name as id when it is a valid task id (the pipeline
 * passes sha256(bucket/name#generation)) and its SHA-256 otherwise, so Cloud Tasks itself refuses a
 * second task for the same upload; ALREADY_EXISTS is therefore success (`created: false`).
 */
import { createHash } from 'node:crypto';
import type { CloudTasksClient } from '@google-cloud/tasks';
import type { EnqueueRequest, TaskQueue } from '../../service/ports.ts';

/** gRPC status ALREADY_EXISTS (HTTP 409 with `status: "ALREADY_EXISTS"` on the REST transport). */
const ALREADY_EXISTS = 6;

export const QUEUE_PATH_PATTERN =
  /^projects\/[a-z][a-z0-9-]{4,28}[a-z0-9]\/locations\/[a-z0-9-]+\/queues\/[A-Za-z0-9-]{1,100}$/;

export interface CloudTasksQueueOptions {
  client: CloudTasksClient;
  /** `projects/<project>/locations/<region>/queues/<queue>`. */
  queuePath: string;
  /** The account the OIDC token is minted for (the enqueuer needs `iam.serviceAccounts.actAs` on it). */
  serviceAccountEmail: string;
  /** The token's audience: the worker's Cloud Run URL. Defaults to the task URL. */
  audience?: string;
  /** How long Cloud Tasks waits for the worker (15 s .. 30 min). */
  dispatchDeadlineMs: number;
  headers?: Record<string, string>;
}

export class CloudTasksQueue implements TaskQueue {
  private readonly client: CloudTasksClient;
  private readonly options: CloudTasksQueueOptions;

  constructor(options: CloudTasksQueueOptions) {
    if (!QUEUE_PATH_PATTERN.test(options.queuePath))
      throw new Error(`not a Cloud Tasks queue path: ${options.queuePath}`);
    const seconds = Math.round(options.dispatchDeadlineMs / 1000);
    if (seconds < 15 || seconds > 1800)
      throw new RangeError('the Cloud Tasks dispatch deadline must be between 15 s and 30 min');
    this.client = options.client;
    this.options = options;
  }

  /** The full task name for a de-duplication name. */
  taskName(name: string): string {
    const id = /^[A-Za-z0-9_-]{1,500}$/.test(name) ? name : createHash('sha256').update(name).digest('hex');
    return `${this.options.queuePath}/tasks/${id}`;
  }

  async enqueue(task: EnqueueRequest): Promise<{ created: boolean }> {
    const { queuePath, serviceAccountEmail, audience, dispatchDeadlineMs, headers } = this.options;
    try {
      await this.client.createTask({
        parent: queuePath,
        task: {
          name: this.taskName(task.name),
          httpRequest: {
            url: task.url,
            httpMethod: 'POST',
            headers: { 'Content-Type': 'application/json', ...headers },
            body: Buffer.from(JSON.stringify(task.body), 'utf8'),
            oidcToken: { serviceAccountEmail, audience: audience ?? task.url },
          },
          dispatchDeadline: { seconds: Math.round(dispatchDeadlineMs / 1000) },
          ...(task.scheduleTime ? { scheduleTime: timestampOf(task.scheduleTime) } : {}),
        },
      });
      return { created: true };
    } catch (error) {
      // The name is taken: a task for this upload exists or ran within the last hour.
      if ((error as { code?: unknown }).code === ALREADY_EXISTS) return { created: false };
      throw error;
    }
  }

  /** The queue exists and is `RUNNING` (not paused or disabled): `cloudtasks.queues.get`, changes nothing. */
  async ping(): Promise<boolean> {
    const [queue] = await this.client.getQueue({ name: this.options.queuePath });
    return queue.state === 'RUNNING' || queue.state === 1;
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

function timestampOf(at: Date): { seconds: number; nanos: number } {
  const ms = at.getTime();
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1_000_000 };
}
