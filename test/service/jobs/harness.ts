/**
 * Use-case tests run on the real local adapters (sqlite in memory, disk blobs in a temp dir), a task
 * queue that records what was enqueued (de-duplicating by name like Cloud Tasks), a settable clock and
 * an injectable conversion runner.
 */
import { ROOMY_PLANS } from '../../e2e/client.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../../shared/service/config.ts';
import { openDatabase } from '../../../shared/adapters/local/sqlite.ts';
import { SqliteJobStore } from '../../../shared/adapters/local/sqlite-job-store.ts';
import { SqliteAccountStore } from '../../../shared/adapters/local/sqlite-account-store.ts';
import { DiskBlobStore } from '../../../shared/adapters/local/disk-blob-store.ts';
import { UrlSigner } from '../../../shared/adapters/local/url-signer.ts';
import { LocalIdentity } from '../../../shared/adapters/local/local-identity.ts';
import type { EnqueueRequest, TaskQueue } from '../../../shared/service/ports.ts';
import type { PipelineDeps } from '../../../shared/service/jobs/deps.ts';
import type { ConversionRunner } from '../../../shared/service/jobs/runner.ts';
import { createJob } from '../../../shared/service/jobs/create-job.ts';
import { setLogLevel } from '../../../shared/service/logs.ts';
import type { ConvertResult } from '../../../shared/engine/types.ts';

setLogLevel('silent');

export class RecordingQueue implements TaskQueue {
  readonly tasks = new Map<string, EnqueueRequest>();
  calls = 0;
  failNext = 0;
  async enqueue(task: EnqueueRequest): Promise<{ created: boolean }> {
    this.calls++;
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('queue unavailable');
    }
    if (this.tasks.has(task.name)) return { created: false };
    this.tasks.set(task.name, task);
    return { created: true };
  }
}

export interface Harness {
  deps: PipelineDeps;
  store: SqliteJobStore;
  /** On the same in-memory database as `store`. */
  accounts: SqliteAccountStore;
  queue: RecordingQueue;
  clock: { now: number };
  setRunner(r: ConversionRunner): void;
  /** Creates a job and stores `bytes` as its upload (as a signed PUT would); returns the job and the object's generation. */
  uploaded(
    bytes: Uint8Array,
    input?: { owner?: string; filename?: string; contentType?: string; size?: number },
  ): Promise<{ jobId: string; name: string; generation: string }>;
  dispose(): Promise<void>;
}

export const T0 = Date.UTC(2027, 0, 10, 12);

export function okResult(markdown: string): ConvertResult {
  return { format: 'text', mediaType: 'text/plain', markdown, warnings: [] };
}

export function makeHarness(env: Record<string, string> = {}): Harness {
  const dir = mkdtempSync(join(tmpdir(), 'mdraft-jobs-'));
  const config: Config = loadConfig({
    MDRAFT_DATA_DIR: dir,
    MDRAFT_MAX_ATTEMPTS: '3',
    MDRAFT_CONVERT_TIMEOUT_S: '10',
    MDRAFT_PLANS: ROOMY_PLANS,
    MDRAFT_LEASE_S: '15',
    ...env,
  });
  const signer = new UrlSigner('s'.repeat(32));
  const db = openDatabase(':memory:');
  const store = new SqliteJobStore(db);
  const accounts = new SqliteAccountStore(db);
  const queue = new RecordingQueue();
  const clock = { now: T0 };
  let runner: ConversionRunner = async () => okResult('# ok\n');
  const deps: PipelineDeps = {
    config,
    jobs: store,
    accounts,
    uploads: new DiskBlobStore({
      root: join(dir, 'blobs'),
      bucket: config.buckets.uploads,
      signer,
      baseUrl: 'http://127.0.0.1:1',
    }),
    results: new DiskBlobStore({
      root: join(dir, 'blobs'),
      bucket: config.buckets.results,
      signer,
      baseUrl: 'http://127.0.0.1:1',
    }),
    tasks: queue,
    identity: new LocalIdentity(),
    runner: (bytes, input) => runner(bytes, input),
    now: () => clock.now,
  };
  return {
    deps,
    store,
    accounts,
    queue,
    clock,
    setRunner: (r) => {
      runner = r;
    },
    async uploaded(bytes, input = {}) {
      const { job } = await createJob(deps, {
        owner: input.owner ?? 'alice',
        filename: input.filename ?? 'notes.txt',
        contentType: input.contentType ?? 'text/plain',
        size: input.size ?? bytes.length,
      });
      const stat = await deps.uploads.write(job.inputObject, bytes, {
        contentType: job.contentType,
        ifGenerationMatch: 0,
      });
      return { jobId: job.id, name: job.inputObject, generation: stat.generation };
    },
    async dispose() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
