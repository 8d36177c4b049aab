/**
 * CloudEvent function `onUploadFinalized` (`google.cloud.storage.object.v1.finalized`). The payload is
 * parsed with zod: `size` and `generation` arrive as strings although the typings say numbers.
 * Throwing makes Eventarc retry; the use case makes retries harmless.
 */
import { z } from 'zod';
import type { PipelineDeps } from '../shared/service/jobs/deps.ts';
import { handleUploadFinalized, type FinalizeOutcome } from '../shared/service/jobs/upload-finalized.ts';
import { badRequest } from '../shared/service/http/errors.ts';
import type { HttpHandler, HttpRequest } from '../shared/service/http/types.ts';
import { logs } from '../shared/service/logs.ts';

export interface CloudEventInput {
  id: string;
  type: string;
  source?: string;
  subject?: string;
  time?: string;
  data?: unknown;
}

const decimal = z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]).transform((v) => String(v));

export const StorageObjectData = z.object({
  bucket: z.string().min(1),
  name: z.string().min(1).max(1024),
  generation: decimal,
  size: decimal.transform((v) => Number(v)),
  contentType: z.string().optional(),
  timeCreated: z.string().optional(),
});

export const FINALIZED = 'google.cloud.storage.object.v1.finalized';

export function createUploadFinalizedHandler(deps: PipelineDeps): (event: CloudEventInput) => Promise<FinalizeOutcome> {
  return async (event) => {
    if (event.type !== FINALIZED) {
      logs.storageEventIgnored({ type: event.type, eventId: event.id });
      return 'ignored';
    }
    const parsed = StorageObjectData.safeParse(event.data);
    if (!parsed.success) {
      // A malformed event will never parse: acknowledge it instead of retrying for 24 hours.
      logs.storageEventMalformed({ eventId: event.id, issues: parsed.error.issues.slice(0, 5) });
      return 'ignored';
    }
    const time = event.time ? Date.parse(event.time) : NaN;
    return handleUploadFinalized(
      deps,
      {
        bucket: parsed.data.bucket,
        name: parsed.data.name,
        generation: parsed.data.generation,
        size: parsed.data.size,
        ...(Number.isFinite(time) ? { eventTime: time } : {}),
        eventId: event.id,
      },
      event.id,
    );
  };
}

/** A CloudEvent from an HTTP request, binary mode (`ce-*` headers) or structured mode (`application/cloudevents+json`). */
export function cloudEventFromHttp(req: HttpRequest): CloudEventInput {
  const type = req.headers['content-type'] ?? '';
  let parsed: unknown;
  try {
    parsed = req.body.length ? JSON.parse(req.body.toString('utf8')) : undefined;
  } catch {
    throw badRequest('invalid_json', 'the event body is not JSON');
  }
  if (/^application\/cloudevents\+json/i.test(type)) {
    const e = z
      .object({
        id: z.string(),
        type: z.string(),
        source: z.string().optional(),
        subject: z.string().optional(),
        time: z.string().optional(),
        data: z.unknown(),
      })
      .safeParse(parsed);
    if (!e.success) throw badRequest('invalid_event', 'not a structured CloudEvent');
    return e.data;
  }
  const id = req.headers['ce-id'];
  const ceType = req.headers['ce-type'];
  if (!id || !ceType) throw badRequest('invalid_event', 'missing ce-id / ce-type headers');
  return {
    id,
    type: ceType,
    ...(req.headers['ce-source'] ? { source: req.headers['ce-source'] } : {}),
    ...(req.headers['ce-subject'] ? { subject: req.headers['ce-subject'] } : {}),
    ...(req.headers['ce-time'] ? { time: req.headers['ce-time'] } : {}),
    data: parsed,
  };
}

/** The same function behind a plain HTTP route (the embedded default). Errors → 500 → redelivery. */
export function createUploadFinalizedHttpHandler(deps: PipelineDeps): HttpHandler {
  const handle = createUploadFinalizedHandler(deps);
  return async (req) => {
    const outcome = await handle(cloudEventFromHttp(req));
    return { status: 200, body: { outcome } };
  };
}
