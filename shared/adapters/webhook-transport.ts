/**
 * `WebhookTransport` on node:dns and node:http(s), for both backends. `resolve` asks the system resolver for
 * every address (getaddrinfo: /etc/hosts too, which is how `localhost` resolves). `post` connects to the
 * address the use case checked, by a `lookup` function that answers only that address: Node then never asks
 * DNS again, so a name that resolved to a public address when checked cannot be switched to an internal one
 * before the connection (DNS rebinding). The URL's host name is still what TLS verifies the certificate
 * against (SNI) and what the Host header says. No agent (no pooled socket reused for another host), no redirect
 * following (node:http never follows), at most `maxResponseBytes` read, everything abandoned after `timeoutMs`.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { WebhookTransportError, type ResolvedAddress, type WebhookTransport } from '../service/ports.ts';

export class NodeWebhookTransport implements WebhookTransport {
  async resolve(host: string): Promise<ResolvedAddress[]> {
    const found = await dnsLookup(host, { all: true, verbatim: true });
    return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
  }

  post(input: Parameters<WebhookTransport['post']>[0]): Promise<{ status: number }> {
    const url = new URL(input.url);
    const { address, family } = input.address;
    // Node calls this instead of DNS; with `all` (autoSelectFamily) it expects a list.
    const pinned = ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
      if (options?.all) callback(null, [{ address, family }]);
      else callback(null, address, family);
    }) as unknown as LookupFunction;
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      let settled = false;
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        fn();
      };
      const req = send(
        url,
        {
          method: 'POST',
          headers: { ...input.headers, 'Content-Length': String(Buffer.byteLength(input.body)) },
          lookup: pinned,
          agent: false,
        },
        (res: IncomingMessage) => {
          const status = res.statusCode ?? 0;
          let read = 0;
          res.on('data', (chunk: Buffer) => {
            read += chunk.length;
            // The answer's content does not matter: stop reading past the cap.
            if (read > input.maxResponseBytes) {
              res.destroy();
              finish(() => resolve({ status }));
            }
          });
          res.on('end', () => finish(() => resolve({ status })));
          res.on('error', () => finish(() => resolve({ status })));
        },
      );
      const timer = setTimeout(() => {
        req.destroy();
        finish(() => reject(new WebhookTransportError('timeout', `no answer within ${input.timeoutMs} ms`)));
      }, input.timeoutMs);
      req.on('error', (error) => finish(() => reject(new WebhookTransportError('connection_failed', error.message))));
      req.end(input.body);
    });
  }
}
