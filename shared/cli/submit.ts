/**
 * `mdraft submit <file…> --api URL --key KEY [-o out]`: the whole client flow against the API, through the
 * typed client (`api-client.ts`) — create the job, PUT the bytes with exactly the signed headers, poll with
 * backoff, fetch the signed result URL and download the Markdown.
 * Several files run concurrently. The content type sent is detected from the bytes, as the server will.
 * Options are parsed and validated by the command table (`program.ts`).
 */
import { promises as fs } from 'node:fs';
import { basename, join } from 'node:path';
import type { SubmitArgs } from './args.ts';
import { detectFormat } from '../engine/detect.ts';
import { backoffDelay } from '../service/backoff.ts';
import { ApiClient, ApiClientError } from './api-client.ts';

interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export interface SubmitOptions {
  api: string;
  key: string;
  json?: boolean;
  timeoutMs?: number;
  /** First poll delay; it grows ×1.5 up to 5 s. */
  pollMs?: number;
}

export class SubmitError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'SubmitError';
    this.code = code;
  }
}

/**
 * Submits every file, `args.concurrency` at a time. One file and no `-o`: the result goes to stdout; several
 * files: into `-o` (created) or next to each input as `<file>.md`. Returns the exit code: 0 all converted,
 * 1 any failed (each failure is reported on stderr with its error code).
 */
export async function runSubmit(args: SubmitArgs, io: Io): Promise<number> {
  const { files, output } = args;
  const ext = args.json ? 'json' : 'md';
  const toStdout = files.length === 1 && !output;
  if (files.length > 1 && output) await fs.mkdir(output, { recursive: true });
  const options: SubmitOptions = { api: args.api, key: args.key, json: args.json, timeoutMs: args.timeoutMs };

  let failures = 0;
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const file = files[next++];
      try {
        const bytes = new Uint8Array(await fs.readFile(file));
        const out = await submitDocument(bytes, basename(file), options);
        if (toStdout) io.stdout.write(out);
        else {
          const target =
            files.length === 1 ? output! : output ? join(output, `${basename(file)}.${ext}`) : `${file}.${ext}`;
          await fs.writeFile(target, out);
          io.stderr.write(`${file} -> ${target}\n`);
        }
      } catch (error) {
        failures++;
        const code = error instanceof SubmitError ? `${error.code}: ` : '';
        io.stderr.write(`${file}: failed: ${code}${(error as Error).message}\n`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(args.concurrency, files.length) }, worker));
  return failures ? 1 : 0;
}

/** Create → upload → wait → download one document; returns the Markdown (or JSON) text. */
export async function submitDocument(bytes: Uint8Array, filename: string, o: SubmitOptions): Promise<string> {
  let contentType: string;
  try {
    contentType = detectFormat(bytes, filename).mediaType;
  } catch (error) {
    throw new SubmitError('unsupported_format', (error as Error).message);
  }
  const client = new ApiClient({ baseUrl: o.api, apiKey: o.key });
  const created = await api(client.call('createJob', { body: { filename, contentType, size: bytes.length } }));

  const put = await fetch(created.upload.url, {
    method: created.upload.method,
    headers: created.upload.headers,
    body: new Uint8Array(bytes),
  });
  if (!put.ok)
    throw new SubmitError('upload_failed', `upload refused (HTTP ${put.status}): ${(await put.text()).slice(0, 300)}`);

  const id = created.job.id;
  const deadline = Date.now() + (o.timeoutMs ?? 900_000);
  const poll = { initialMs: o.pollMs ?? 250, maxMs: 5000, factor: 1.5 };
  let polls = 0;
  for (;;) {
    const { job } = await api(client.call('getJob', { params: { id } }));
    if (job.status === 'succeeded') break;
    if (job.status === 'failed' || job.status === 'expired') {
      throw new SubmitError(job.error?.code ?? job.status, job.error?.message ?? `the job ${job.status}`);
    }
    if (Date.now() > deadline) throw new SubmitError('timeout', `still ${job.status} after the timeout`);
    await new Promise((r) => setTimeout(r, backoffDelay(++polls, poll)));
  }
  const link = await api(client.call('getJobResult', { params: { id }, query: { format: o.json ? 'json' : 'md' } }));
  // md and json answer with a link (only `format=chunks` answers inline).
  if (!('url' in link)) throw new SubmitError('unexpected_response', 'the API sent no download link');
  // The signed URL is its own credential: the API key is not sent to the storage host.
  const result = await fetch(link.url);
  if (!result.ok) throw new SubmitError('download_failed', `download failed (HTTP ${result.status})`);
  return result.text();
}

/** An API error as a `SubmitError` with the envelope's code (what `runSubmit` reports). */
async function api<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof ApiClientError) throw new SubmitError(error.code, error.message);
    throw error;
  }
}
