/**
 * The clamd adapter against a real clamd (test/setup/clamd.ts) with the EICAR test signature: verdicts over
 * the unix socket and TCP, streamed input, the size-limit error, and an unreachable daemon.
 */
import { createServer } from 'node:net';
import { ClamdScanner, parseClamdReply } from '../../../shared/adapters/clamav/clamd-scanner.ts';
import { ScannerUnavailableError } from '../../../shared/service/ports.ts';
import { createScanBridge } from '../../../shared/adapters/clamav/scan-bridge.ts';
import { HttpScanner } from '../../../shared/adapters/clamav/http-scanner.ts';
import { eicarBytes, EICAR_SIGNATURE } from '../../fixtures/eicar.ts';
import { clamdMissing, startClamd, warnClamdSkipped, type Clamd } from '../../setup/clamd.ts';

describe('parseClamdReply', () => {
  test('OK, FOUND and ERROR replies', () => {
    expect(parseClamdReply('stream: OK\0')).toEqual({ status: 'clean' });
    expect(parseClamdReply('stream: Win.Test.EICAR_HDB-1 FOUND')).toEqual({
      status: 'infected',
      signature: 'Win.Test.EICAR_HDB-1',
    });
    expect(() => parseClamdReply('INSTREAM size limit exceeded. ERROR')).toThrow(ScannerUnavailableError);
    expect(() => parseClamdReply('what')).toThrow(ScannerUnavailableError);
  });
});

test('an unreachable clamd is ScannerUnavailableError, not a verdict', async () => {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  const scanner = new ClamdScanner({ address: { host: '127.0.0.1', port }, timeoutMs: 2000 });
  await expect(scanner.scan(Buffer.from('hello'))).rejects.toThrow(ScannerUnavailableError);
});

test('a daemon that never answers times out as ScannerUnavailableError', async () => {
  const sockets: import('node:net').Socket[] = [];
  const server = createServer((s) => sockets.push(s.on('data', () => undefined)));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const scanner = new ClamdScanner({ address: { host: '127.0.0.1', port }, timeoutMs: 300 });
  await expect(scanner.scan(Buffer.from('hello'))).rejects.toThrow(/no verdict within 300 ms/);
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => server.close(() => r()));
});

const missing = clamdMissing();
if (missing) warnClamdSkipped('the clamd adapter tests against a real clamd');
const withClamd = missing ? describe.skip : describe;

withClamd('against a real clamd', () => {
  let clamd: Clamd;
  beforeAll(async () => {
    clamd = await startClamd();
  }, 40_000);
  afterAll(async () => {
    await clamd?.stop();
  });

  test('EICAR is infected over the unix socket, with the database signature name', async () => {
    const scanner = new ClamdScanner({ address: { socket: clamd.socket } });
    const verdict = await scanner.scan(eicarBytes());
    expect(verdict.status).toBe('infected');
    expect(verdict.status === 'infected' && verdict.signature).toMatch(new RegExp(`^${EICAR_SIGNATURE}`));
  });

  test('clean bytes are clean over TCP; a chunked stream gives the same verdicts', async () => {
    const scanner = new ClamdScanner({ address: { host: clamd.host, port: clamd.port }, chunkBytes: 7 });
    expect(await scanner.scan(Buffer.from('# A harmless document\n'.repeat(1000)))).toEqual({ status: 'clean' });
    async function* pieces(): AsyncIterable<Uint8Array> {
      const bytes = eicarBytes();
      for (let i = 0; i < bytes.length; i += 10) yield bytes.subarray(i, i + 10);
    }
    expect((await scanner.scan(pieces())).status).toBe('infected');
    expect(await scanner.ping()).toBe(true);
  });

  test('a stream over StreamMaxLength is refused as ScannerUnavailableError (never "clean")', async () => {
    const scanner = new ClamdScanner({ address: { socket: clamd.socket } });
    // The set-up's StreamMaxLength is 100M: 101 MiB of zeros, sent lazily.
    async function* big(): AsyncIterable<Uint8Array> {
      const block = new Uint8Array(1024 * 1024);
      for (let i = 0; i < 101; i++) yield block;
    }
    await expect(scanner.scan(big())).rejects.toThrow(ScannerUnavailableError);
  }, 60_000);
});

withClamd('through the HTTP scan bridge (the Cloud Run shape)', () => {
  let clamd: Clamd;
  let bridge: import('node:http').Server;
  let url: string;
  beforeAll(async () => {
    clamd = await startClamd();
    const { createServer: createHttpServer } = await import('node:http');
    bridge = createHttpServer(
      createScanBridge({
        scanner: new ClamdScanner({ address: { host: clamd.host, port: clamd.port } }),
        maxBytes: 4096,
      }),
    );
    await new Promise<void>((r) => bridge.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(bridge.address() as { port: number }).port}`;
  }, 40_000);
  afterAll(async () => {
    bridge?.closeAllConnections();
    await new Promise<void>((r) => (bridge ? bridge.close(() => r()) : r()));
    await clamd?.stop();
  });

  test('EICAR is infected, clean is clean, the token is sent, an oversized body is not a verdict', async () => {
    const audiences: string[] = [];
    const scanner = new HttpScanner({
      url,
      idToken: async (aud) => {
        audiences.push(aud);
        return 'token';
      },
    });
    const infected = await scanner.scan(eicarBytes());
    expect(infected.status === 'infected' && infected.signature).toMatch(/^Eicar-Test-Signature/);
    expect(await scanner.scan(Buffer.from('plain text'))).toEqual({ status: 'clean' });
    expect(audiences).toEqual([url, url]);
    await expect(scanner.scan(Buffer.alloc(5000))).rejects.toThrow(ScannerUnavailableError);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });
});

test('an HTTP scanner whose bridge is down is ScannerUnavailableError', async () => {
  const scanner = new HttpScanner({ url: 'http://127.0.0.1:9', timeoutMs: 2000 });
  await expect(scanner.scan(Buffer.from('x'))).rejects.toThrow(ScannerUnavailableError);
});
