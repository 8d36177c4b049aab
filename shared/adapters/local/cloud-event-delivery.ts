/**
 * Delivers a GCS "object finalized" notification to `onUploadFinalized` the way Eventarc does: a
 * CloudEvent over HTTP in binary mode (`ce-*` headers, the object resource as the JSON body, `size` and
 * `generation` as strings), retried with backoff when the function answers non-2xx.
 */
import { randomUUID } from 'node:crypto';
import type { FinalizedNotice } from './blob-http.ts';
import { logs } from '../../service/logs.ts';
import { backoffDelay } from '../../service/backoff.ts';

export const FINALIZED_TYPE = 'google.cloud.storage.object.v1.finalized';

export interface DeliveryOptions {
  url: string;
  headers?: Record<string, string>;
  attempts?: number;
  backoffMs?: number;
}

export function storageObjectData(n: FinalizedNotice): Record<string, unknown> {
  return {
    kind: 'storage#object',
    id: `${n.bucket}/${n.name}/${n.stat.generation}`,
    bucket: n.bucket,
    name: n.name,
    generation: n.stat.generation,
    metageneration: '1',
    contentType: n.stat.contentType,
    size: String(n.stat.size),
    timeCreated: n.timeCreated,
    updated: n.timeCreated,
    storageClass: 'STANDARD',
  };
}

export function cloudEventHeaders(n: FinalizedNotice, id: string = randomUUID()): Record<string, string> {
  return {
    'ce-specversion': '1.0',
    'ce-id': id,
    'ce-type': FINALIZED_TYPE,
    'ce-source': `//storage.googleapis.com/projects/_/buckets/${n.bucket}`,
    'ce-subject': `objects/${n.name}`,
    'ce-time': n.timeCreated,
    'Content-Type': 'application/json',
  };
}

/** Fire and forget: the upload already succeeded; delivery retries on its own like Eventarc. */
export function deliverFinalized(n: FinalizedNotice, options: DeliveryOptions): Promise<boolean> {
  const id = randomUUID();
  const attempts = options.attempts ?? 6;
  const backoff = options.backoffMs ?? 500;
  const body = JSON.stringify(storageObjectData(n));
  return (async () => {
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const res = await fetch(options.url, {
          method: 'POST',
          headers: { ...cloudEventHeaders(n, id), ...options.headers },
          body,
          signal: AbortSignal.timeout(60_000),
        });
        await res.arrayBuffer().catch(() => undefined);
        if (res.ok) return true;
        logs.eventDeliveryFailed({ name: n.name, attempt, error: `HTTP ${res.status}` });
      } catch (error) {
        logs.eventDeliveryFailed({ name: n.name, attempt, error: (error as Error).message });
      }
      await new Promise((r) => setTimeout(r, backoffDelay(attempt, { initialMs: backoff, maxMs: 30_000 })).unref());
    }
    return false;
  })();
}
