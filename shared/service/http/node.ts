/**
 * Bridges `node:http` (and express, which functions-framework uses: its `req.rawBody` is the body) to a
 * neutral `HttpHandler`. Adds the request id, CORS and security headers to every response, turns an
 * `ApiError` into the error envelope and anything unexpected into a 500 without details.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ApiError, errorResponse, toErrorResponse } from './errors.ts';
import type { HttpHandler, HttpRequest, HttpResponse } from './types.ts';
import { requestIdFrom } from './request-id.ts';
import { logs, withLogFields } from '../logs.ts';
import { traceFrom, traceLogFields } from './trace-context.ts';
import { StorageFullError, StoreBusyError } from '../ports.ts';

export interface ServeOptions {
  corsOrigins?: string[];
  /** Request bodies larger than this are refused with 413. */
  maxBodyBytes?: number;
  /** The Google Cloud project traces belong to (`logging.googleapis.com/trace` names it); from config. */
  traceProject?: string;
}

const SECURITY_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
};

export type NodeListener = (req: IncomingMessage & { rawBody?: Buffer }, res: ServerResponse) => Promise<void>;

export function serveHttp(handler: HttpHandler, options: ServeOptions = {}): NodeListener {
  const maxBody = options.maxBodyBytes ?? 1024 * 1024;
  const origins = options.corsOrigins ?? ['*'];
  return async (req, res) => {
    const started = performance.now();
    const headers = lowerHeaders(req);
    const requestId = requestIdFrom(headers);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const cors = corsHeaders(headers.origin, origins);
    const trace = traceFrom(headers);
    // Every entry logged while this request is handled carries its trace.
    return withLogFields(trace ? traceLogFields(trace, options.traceProject) : {}, () =>
      handle(req, res, { started, headers, requestId, url, cors }),
    );
  };

  async function handle(
    req: IncomingMessage & { rawBody?: Buffer },
    res: ServerResponse,
    { started, headers, requestId, url, cors }: RequestInfo,
  ): Promise<void> {
    let response: HttpResponse;
    try {
      if (req.method === 'OPTIONS') {
        response = { status: 204, headers: preflightHeaders(cors) };
      } else {
        const body = req.rawBody ?? (await readBody(req, maxBody));
        const request: HttpRequest = {
          method: req.method ?? 'GET',
          path: url.pathname,
          query: url.searchParams,
          headers,
          body,
          requestId,
        };
        response = await handler(request);
      }
    } catch (error) {
      if (error instanceof ApiError) response = toErrorResponse(error, requestId);
      else if (error instanceof StorageFullError) {
        logs.requestFailed({ requestId }, error);
        response = errorResponse(507, 'insufficient_storage', 'no storage left: try again later', requestId);
      } else if (error instanceof StoreBusyError) {
        response = errorResponse(503, 'unavailable', 'the store is busy: try again shortly', requestId, {
          'Retry-After': '1',
        });
      } else {
        logs.requestFailed({ requestId }, error);
        response = errorResponse(500, 'internal', 'internal error', requestId);
      }
    }
    const responseSize = await writeResponse(res, response, {
      ...SECURITY_HEADERS,
      ...cors,
      'X-Request-Id': requestId,
    });
    logs.requestDone({
      requestId,
      method: req.method ?? '',
      path: url.pathname,
      status: response.status,
      ms: Math.round(performance.now() - started),
      ...(headers['user-agent'] ? { userAgent: headers['user-agent'] } : {}),
      ...(req.socket?.remoteAddress ? { remoteIp: req.socket.remoteAddress } : {}),
      ...(responseSize !== undefined ? { responseSize } : {}),
      protocol: `HTTP/${req.httpVersion ?? '1.1'}`,
    });
  }
}

interface RequestInfo {
  started: number;
  headers: Record<string, string | undefined>;
  requestId: string;
  url: URL;
  cors: Record<string, string>;
}

export function lowerHeaders(req: IncomingMessage): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function corsHeaders(origin: string | undefined, allowed: string[]): Record<string, string> {
  if (allowed.includes('*'))
    return { 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': 'X-Request-Id, Location' };
  if (origin && allowed.includes(origin)) {
    return {
      'Access-Control-Allow-Origin': origin,
      Vary: 'Origin',
      'Access-Control-Expose-Headers': 'X-Request-Id, Location',
    };
  }
  return {};
}

function preflightHeaders(cors: Record<string, string>): Record<string, string> {
  if (!cors['Access-Control-Allow-Origin']) return {};
  return {
    'Access-Control-Allow-Methods': 'GET, POST, PATCH, DELETE, OPTIONS',
    'Access-Control-Allow-Headers': 'Authorization, X-API-Key, Content-Type, X-Request-Id',
    'Access-Control-Max-Age': '3600',
  };
}

/**
 * The request body, at most `maxBytes`. Over it: 413 `payload_too_large` with `Connection: close`, because the
 * rest of the body is never read (leaving the loop destroys the request): the connection cannot carry another
 * request, and a keep-alive answer would have the client send its next one into a closed socket.
 */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req) {
    total += (chunk as Buffer).length;
    if (total > maxBytes)
      throw new ApiError(413, 'payload_too_large', `request body over ${maxBytes} bytes`, { Connection: 'close' });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Sends `response`; resolves to the body bytes sent (a stream's once it has ended), undefined if none was. */
async function writeResponse(
  res: ServerResponse,
  response: HttpResponse,
  base: Record<string, string>,
): Promise<number | undefined> {
  if (res.headersSent) return undefined;
  const headers: Record<string, string> = { ...base, ...response.headers };
  if (isStream(response.body)) {
    res.writeHead(response.status, headers);
    let sent = 0;
    const counted = async function* (body: AsyncIterable<string | Uint8Array>) {
      for await (const chunk of body) {
        sent += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
        yield chunk;
      }
    };
    // A failure mid-stream can no longer change the status: the connection is cut, so the client sees an
    // incomplete body instead of a truncated file that looks whole.
    await pipeline(Readable.from(counted(response.body)), res).catch(() => res.destroy());
    return sent;
  }
  let payload: Buffer | undefined;
  if (response.body instanceof Uint8Array) payload = Buffer.from(response.body);
  else if (typeof response.body === 'string') payload = Buffer.from(response.body, 'utf8');
  else if (response.body !== undefined) {
    payload = Buffer.from(JSON.stringify(response.body), 'utf8');
    headers['Content-Type'] ??= 'application/json; charset=utf-8';
  }
  if (payload) headers['Content-Length'] = String(payload.length);
  res.writeHead(response.status, headers);
  res.end(payload);
  return payload?.length ?? 0;
}

function isStream(body: unknown): body is AsyncIterable<string | Uint8Array> {
  return (
    typeof body === 'object' &&
    body !== null &&
    !(body instanceof Uint8Array) &&
    typeof (body as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function'
  );
}
