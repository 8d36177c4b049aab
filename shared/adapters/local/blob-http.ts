/**
 * The HTTP side of the local blob store: what `storage.googleapis.com` does for a V4 signed URL.
 * PUT: signature and expiry, exact signed headers, `x-goog-content-length-range` (declared length and the
 * streamed count), `x-goog-if-generation-match` (0 = create only → 412 if the object exists). After a
 * stored PUT the finalize notification fires, as GCS → Eventarc does. GET: signature, expiry, response
 * overrides. Errors are GCS-style XML.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { PreconditionFailedError, StorageFullError, type BlobStat } from '../../service/ports.ts';
import { DiskBlobStore, LengthOutOfRangeError } from './disk-blob-store.ts';
import { parseObjectPath, type UrlSigner } from './url-signer.ts';

export interface FinalizedNotice {
  bucket: string;
  name: string;
  stat: BlobStat;
  timeCreated: string;
}

export interface BlobHttpOptions {
  stores: DiskBlobStore[];
  signer: UrlSigner;
  onFinalized?: (notice: FinalizedNotice) => void;
  now?: () => number;
  /** `MDRAFT_CORS_ORIGINS`: `*`, or the exact origins browsers may upload and download from. Default `*`. */
  corsOrigins?: string[];
}

export function createBlobHttpHandler(
  options: BlobHttpOptions,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const byBucket = new Map(options.stores.map((s) => [s.bucket, s]));
  const now = options.now ?? Date.now;
  const origins = options.corsOrigins ?? ['*'];
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const cors = corsFor(headerValue(req, 'origin'), origins);
    for (const [k, v] of Object.entries(cors)) res.setHeader(k, v);
    if (req.method === 'OPTIONS')
      return send(res, 204, undefined, cors['Access-Control-Allow-Origin'] ? PREFLIGHT : {});
    const target = parseObjectPath(url.pathname);
    const store = target && byBucket.get(target.bucket);
    if (!target || !store) return sendXml(res, 404, 'NoSuchBucket', 'the bucket does not exist');
    const method = req.method ?? '';
    const verdict = options.signer.verify(
      method,
      target.bucket,
      target.name,
      url.searchParams,
      (h) => headerValue(req, h),
      now(),
    );
    if (!verdict.ok) return sendXml(res, verdict.status, verdict.code, verdict.message);
    try {
      if (method === 'GET') return await download(store, target.name, url.searchParams, res);
      return await upload(store, target.name, req, res, verdict.signedHeaders, options.onFinalized, now);
    } catch (error) {
      if (error instanceof StorageFullError)
        return reject(req, res, 507, 'InsufficientStorage', 'No storage left: try again later.');
      if (res.headersSent) return void res.destroy();
      return sendXml(res, 500, 'InternalError', 'We encountered an internal error. Please try again.');
    }
  };
}

async function upload(
  store: DiskBlobStore,
  name: string,
  req: IncomingMessage,
  res: ServerResponse,
  signed: Record<string, string>,
  onFinalized: BlobHttpOptions['onFinalized'],
  now: () => number,
): Promise<void> {
  let min = 0;
  let max = Number.MAX_SAFE_INTEGER;
  const range = signed['x-goog-content-length-range'];
  if (range !== undefined) {
    const m = /^(\d+),(\d+)$/.exec(range);
    if (!m) return sendXml(res, 400, 'InvalidArgument', 'malformed x-goog-content-length-range');
    min = Number(m[1]);
    max = Number(m[2]);
  }
  const declared = req.headers['content-length'];
  if (declared !== undefined) {
    const n = Number(declared);
    if (n > max)
      return reject(req, res, 400, 'EntityTooLarge', `the body is larger than the signed range (${max} bytes)`);
    if (n < min)
      return reject(req, res, 400, 'EntityTooSmall', `the body is smaller than the signed range (${min} bytes)`);
  }
  const generationMatch = signed['x-goog-if-generation-match'] ?? headerValue(req, 'x-goog-if-generation-match');
  if (generationMatch !== undefined && !/^\d+$/.test(generationMatch))
    return sendXml(res, 400, 'InvalidArgument', 'malformed x-goog-if-generation-match');
  const contentType = signed['content-type'] ?? headerValue(req, 'content-type') ?? 'application/octet-stream';
  let stat: BlobStat;
  try {
    stat = await store.putStream(name, req, {
      contentType,
      minBytes: min,
      maxBytes: max,
      ...(generationMatch !== undefined ? { ifGenerationMatch: Number(generationMatch) } : {}),
    });
  } catch (error) {
    if (error instanceof LengthOutOfRangeError) {
      return reject(req, res, 400, error.tooLarge ? 'EntityTooLarge' : 'EntityTooSmall', error.message);
    }
    if (error instanceof PreconditionFailedError)
      return sendXml(res, 412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold.');
    throw error;
  }
  send(res, 200, undefined, { ETag: `"${stat.generation}"`, 'x-goog-generation': stat.generation });
  onFinalized?.({ bucket: store.bucket, name, stat, timeCreated: new Date(now()).toISOString() });
}

async function download(
  store: DiskBlobStore,
  name: string,
  query: URLSearchParams,
  res: ServerResponse,
): Promise<void> {
  const found = await store.openRead(name);
  if (!found) return sendXml(res, 404, 'NoSuchKey', 'The specified key does not exist.');
  const headers: Record<string, string> = {
    'Content-Type': query.get('response-content-type') ?? found.stat.contentType,
    'Content-Length': String(found.stat.size),
    'x-goog-generation': found.stat.generation,
    'Cache-Control': 'private, max-age=0',
    'X-Content-Type-Options': 'nosniff',
  };
  const disposition = query.get('response-content-disposition');
  if (disposition) headers['Content-Disposition'] = disposition;
  res.writeHead(200, headers);
  // Streamed from the file: memory stays one chunk whatever the result's size. A client that goes away
  // ends the pipeline (and closes the file) without an error escaping.
  await pipeline(found.stream, res).catch(() => undefined);
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(', ') : v;
}

/** Answers before the body is read: close the connection rather than swallow an oversized body. */
function reject(req: IncomingMessage, res: ServerResponse, status: number, code: string, message: string): void {
  res.setHeader('Connection', 'close');
  sendXml(res, status, code, message, () => req.destroy());
}

function sendXml(res: ServerResponse, status: number, code: string, message: string, done?: () => void): void {
  const body = `<?xml version='1.0' encoding='UTF-8'?><Error><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error>`;
  send(res, status, body, { 'Content-Type': 'application/xml; charset=UTF-8' }, done);
}

function send(
  res: ServerResponse,
  status: number,
  body: string | undefined,
  headers: Record<string, string> = {},
  done?: () => void,
): void {
  if (res.headersSent) return;
  res.writeHead(status, {
    ...headers,
    ...(body !== undefined ? { 'Content-Length': String(Buffer.byteLength(body)) } : {}),
  });
  res.end(body, done);
}

function escapeXml(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** CORS as the API answers it (`shared/service/http/node.ts`): `*`, or the request's origin when it is listed. */
function corsFor(origin: string | undefined, allowed: string[]): Record<string, string> {
  const expose = { 'Access-Control-Expose-Headers': 'ETag, x-goog-generation' };
  if (allowed.includes('*')) return { 'Access-Control-Allow-Origin': '*', ...expose };
  if (origin && allowed.includes(origin)) return { 'Access-Control-Allow-Origin': origin, Vary: 'Origin', ...expose };
  return {};
}

const PREFLIGHT: Record<string, string> = {
  'Access-Control-Allow-Methods': 'PUT, GET',
  'Access-Control-Allow-Headers': 'Content-Type, x-goog-content-length-range, x-goog-if-generation-match',
  'Access-Control-Max-Age': '3600',
};
