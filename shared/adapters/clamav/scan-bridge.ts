/**
 * An HTTP front for clamd, for platforms that only route HTTP to a service (Cloud Run): `POST /scan` streams
 * the request body to clamd with INSTREAM (`ClamdScanner`) and answers the verdict as JSON; clamd itself
 * stays on loopback beside it (a Cloud Run sidecar), never exposed, because its protocol also has commands
 * such as SHUTDOWN. `HttpScanner` (`http-scanner.ts`) is the client.
 *
 *   POST /scan   body: the bytes      200 {"status":"clean"} | {"status":"infected","signature":"…"}
 *                                     413 over `maxBytes`; 503 {"error":…} when clamd gives no verdict
 *   GET /healthz                      200 when clamd answers PING, 503 otherwise
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ScannerUnavailableError, type Scanner } from '../../service/ports.ts';
import type { ClamdScanner } from './clamd-scanner.ts';

export interface ScanBridgeOptions {
  scanner: Pick<ClamdScanner, 'scan' | 'ping'> & Scanner;
  /** Largest body accepted, in bytes (clamd's StreamMaxLength should be at least this). */
  maxBytes: number;
}

export function createScanBridge(options: ScanBridgeOptions): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void handle(options, req, res).catch(() => {
      if (!res.headersSent) reply(res, 500, { error: 'internal error' });
      else res.destroy();
    });
  };
}

async function handle(options: ScanBridgeOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (path === '/healthz' && req.method === 'GET') {
    return reply(res, (await options.scanner.ping()) ? 200 : 503, { clamd: 'checked' });
  }
  if (path !== '/scan') return reply(res, 404, { error: 'not found' });
  if (req.method !== 'POST') return reply(res, 405, { error: 'POST only' });
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > options.maxBytes) {
    res.setHeader('Connection', 'close');
    return reply(res, 413, { error: `the body exceeds ${options.maxBytes} bytes` });
  }
  let seen = 0;
  let tooLarge = false;
  async function* counted(): AsyncIterable<Uint8Array> {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      seen += chunk.length;
      if (seen > options.maxBytes) {
        tooLarge = true;
        throw new Error('too large');
      }
      yield chunk;
    }
  }
  try {
    const verdict = await options.scanner.scan(counted());
    return reply(res, 200, verdict);
  } catch (error) {
    if (tooLarge) {
      res.setHeader('Connection', 'close');
      return reply(res, 413, { error: `the body exceeds ${options.maxBytes} bytes` });
    }
    if (error instanceof ScannerUnavailableError) return reply(res, 503, { error: error.message });
    throw error;
  }
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)) });
  res.end(text);
}
