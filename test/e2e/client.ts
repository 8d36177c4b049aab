/** A small API client for tests: every call is real HTTP against the embedded server. */
import { startLocalServer, type LocalServer, type LocalServerOptions } from '../../functions/local.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setLogLevel } from '../../shared/service/logs.ts';
import { DEFAULT_PLANS } from '../../shared/service/accounts/plans.ts';

setLogLevel('silent');

/**
 * The plans the pipeline tests run under unless they set `MDRAFT_PLANS`: the default table, its free plan with
 * room for many jobs at once and a large allowance, so tests about other behaviour are not cut short by a
 * quota; the paid plans (what checkout sells and admins assign) as the defaults have them.
 */
export const ROOMY_PLANS = JSON.stringify({
  ...DEFAULT_PLANS,
  free: { ...DEFAULT_PLANS.free, monthlyUnits: 1_000_000, concurrentJobs: 1000, maxFileBytes: 1024 ** 3 },
});

export interface TestServer extends LocalServer {
  dataDir: string;
  stop(): Promise<void>;
}

export async function startTestServer(
  env: Record<string, string> = {},
  options: Omit<LocalServerOptions, 'env'> = {},
): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mdraft-e2e-'));
  const server = await startLocalServer({
    env: {
      PORT: '0',
      MDRAFT_DATA_DIR: dataDir,
      MDRAFT_QUEUE_MIN_BACKOFF_MS: '100',
      MDRAFT_QUEUE_MAX_BACKOFF_MS: '1000',
      MDRAFT_PLANS: ROOMY_PLANS,
      ...env,
    },
    cleanupEveryMs: 0,
    ...options,
  });
  return {
    ...server,
    dataDir,
    async stop() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface CreatedJob {
  job: { id: string; status: string };
  upload: { url: string; method: 'PUT'; headers: Record<string, string>; expiresAt: string };
}

export class Client {
  readonly base: string;
  readonly key: string;
  constructor(base: string, key: string) {
    this.base = base;
    this.key = key;
  }

  request(path: string, init: RequestInit = {}): Promise<Response> {
    return fetch(`${this.base}${path}`, {
      redirect: 'manual',
      ...init,
      headers: { 'X-API-Key': this.key, ...(init.headers as Record<string, string>) },
    });
  }

  async create(filename: string, contentType: string, size: number, extra: object = {}): Promise<CreatedJob> {
    const res = await this.request('/v1/jobs', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ filename, contentType, size, ...extra }),
    });
    if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
    return (await res.json()) as CreatedJob;
  }

  upload(created: CreatedJob, bytes: Uint8Array, headers = created.upload.headers): Promise<Response> {
    return fetch(created.upload.url, { method: 'PUT', headers, body: new Uint8Array(bytes) });
  }

  async job(id: string): Promise<{
    status: number;
    body: { job: Record<string, unknown> & { status: string; error?: { code: string } } };
  }> {
    const res = await this.request(`/v1/jobs/${id}`);
    return { status: res.status, body: (await res.json()) as never };
  }

  async waitFor(
    id: string,
    statuses: string[] = ['succeeded', 'failed', 'expired'],
    ms = 60_000,
  ): Promise<Record<string, unknown> & { status: string; error?: { code: string; message: string } }> {
    const end = Date.now() + ms;
    for (;;) {
      const { body } = await this.job(id);
      if (statuses.includes(body.job.status)) return body.job as never;
      if (Date.now() > end) throw new Error(`job ${id} still ${body.job.status}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Follows the 302 by hand, so the test sees both hops. */
  async result(id: string, format?: 'json'): Promise<{ redirect: Response; download?: Response }> {
    const redirect = await this.request(`/v1/jobs/${id}/result${format ? `?format=${format}` : ''}`);
    const location = redirect.headers.get('location');
    return { redirect, ...(redirect.status === 302 && location ? { download: await fetch(location) } : {}) };
  }

  async submit(filename: string, contentType: string, bytes: Uint8Array): Promise<string> {
    const created = await this.create(filename, contentType, bytes.length);
    const put = await this.upload(created, bytes);
    if (put.status !== 200) throw new Error(`upload failed: ${put.status}`);
    return created.job.id;
  }
}
