/**
 * The detailed health check behind `GET /v1/admin/health`: every dependency the pipeline needs, probed in
 * parallel with a read that changes nothing, each with its status and latency. `/healthz` stays the cheap
 * liveness probe; this one is for operators (admin only: it names the backends and their errors).
 *
 * Component status: `ok` (answered), `failed` (answered wrong, threw or took longer than CHECK_TIMEOUT_MS),
 * `off` (not configured: no scanner, OCR off), `unchecked` (the adapter offers no probe). Overall: `ok` when no
 * component failed, `degraded` otherwise.
 */
import type { PipelineDeps } from './jobs/deps.ts';

export type ComponentStatus = 'ok' | 'failed' | 'off' | 'unchecked';

export interface ComponentHealth {
  status: ComponentStatus;
  /** Time the probe took, ms (absent for `off` and `unchecked`). */
  latencyMs?: number;
  /** What was checked, or why it failed. */
  detail?: string;
}

export interface HealthReport {
  status: 'ok' | 'degraded';
  /** ISO 8601. */
  checkedAt: string;
  components: {
    store: ComponentHealth;
    uploads: ComponentHealth;
    results: ComponentHealth;
    queue: ComponentHealth;
    scanner: ComponentHealth;
    ocr: ComponentHealth;
  };
}

/** A probe slower than this counts as failed (a dependency that slow is not serving). */
export const CHECK_TIMEOUT_MS = 5000;

/** Names no job or object ever has (ids are random hex), so the reads find nothing and touch nothing. */
const PROBE_ID = '_health-probe';

export async function checkHealth(deps: PipelineDeps): Promise<HealthReport> {
  const [store, uploads, results, queue, scanner, ocr] = await Promise.all([
    probe(async () => {
      await deps.jobs.getJob(PROBE_ID);
      return 'job store read';
    }),
    probe(async () => {
      await deps.uploads.stat(PROBE_ID);
      return `bucket ${deps.uploads.bucket}`;
    }),
    probe(async () => {
      await deps.results.stat(PROBE_ID);
      return `bucket ${deps.results.bucket}`;
    }),
    deps.tasks.ping ? probe(answers(deps.tasks.ping.bind(deps.tasks), 'task queue')) : unchecked('no probe'),
    !deps.scanner
      ? off('no scanner configured')
      : deps.scanner.ping
        ? probe(answers(deps.scanner.ping.bind(deps.scanner), deps.scanner.kind))
        : unchecked(deps.scanner.kind),
    deps.ocrProbe ? probe(deps.ocrProbe) : off('OCR is off'),
  ]);
  const components = { store, uploads, results, queue, scanner, ocr };
  const failed = Object.values(components).some((c) => c.status === 'failed');
  return { status: failed ? 'degraded' : 'ok', checkedAt: new Date(deps.now()).toISOString(), components };
}

function answers(ping: () => Promise<boolean>, what: string): () => Promise<string> {
  return async () => {
    if (!(await ping())) throw new Error(`${what} did not answer`);
    return `${what} answered`;
  };
}

async function probe(check: () => Promise<string>): Promise<ComponentHealth> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  try {
    const detail = await Promise.race([check(), timeout]);
    return { status: 'ok', latencyMs: elapsed(started), detail };
  } catch (error) {
    return { status: 'failed', latencyMs: elapsed(started), detail: (error as Error)?.message ?? String(error) };
  } finally {
    clearTimeout(timer);
  }
}

const elapsed = (started: number) => Math.round((performance.now() - started) * 10) / 10;
const off = async (detail: string): Promise<ComponentHealth> => ({ status: 'off', detail });
const unchecked = async (detail: string): Promise<ComponentHealth> => ({ status: 'unchecked', detail });
