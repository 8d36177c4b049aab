/**
 * Observability: the trace of a request from `traceparent` / `X-Cloud-Trace-Context` in every entry it logs
 * (Cloud Logging's `logging.googleapis.com/trace`, `spanId`, `trace_sampled`), the request log's `httpRequest`
 * object, and the admin-only detailed health check `GET /v1/admin/health` over real HTTP on the embedded server
 * (store, buckets, queue, scanner, OCR: status and latency each; a scanner that does not answer degrades it).
 */
import { jest } from '@jest/globals';
import { createServer } from 'node:http';
import { traceFrom, traceLogFields } from '../../shared/service/http/trace-context.ts';
import { serveHttp } from '../../shared/service/http/node.ts';
import { log, setLogLevel } from '../../shared/service/logs.ts';
import { createApiKey } from '../../shared/service/accounts/api-keys.ts';
import type { Scanner } from '../../shared/service/ports.ts';
import { Client, startTestServer, type TestServer } from '../e2e/client.ts';

describe('trace context from the headers', () => {
  test('traceparent (W3C) gives trace, span and the sampled flag', () => {
    expect(traceFrom({ traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' })).toEqual({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      sampled: true,
    });
  });

  test("X-Cloud-Trace-Context's decimal span id becomes 16 hex digits", () => {
    expect(traceFrom({ 'x-cloud-trace-context': '105445AA7843BC8BF206B12000100000/1;o=1' })).toEqual({
      traceId: '105445aa7843bc8bf206b12000100000',
      spanId: '0000000000000001',
      sampled: true,
    });
    expect(traceFrom({ 'x-cloud-trace-context': '105445aa7843bc8bf206b12000100000/18446744073709551615;o=0' })).toEqual(
      { traceId: '105445aa7843bc8bf206b12000100000', spanId: 'ffffffffffffffff', sampled: false },
    );
    expect(traceFrom({ 'x-cloud-trace-context': '105445aa7843bc8bf206b12000100000' })).toEqual({
      traceId: '105445aa7843bc8bf206b12000100000',
      sampled: false,
    });
  });

  test('traceparent wins; malformed, all-zero and version ff headers are ignored', () => {
    const both = traceFrom({
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00',
      'x-cloud-trace-context': '105445aa7843bc8bf206b12000100000/1;o=1',
    });
    expect(both?.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    for (const traceparent of [
      '00-00000000000000000000000000000000-00f067aa0ba902b7-01',
      '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01',
      'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      '00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01',
      'garbage',
    ])
      expect(traceFrom({ traceparent })).toBeUndefined();
    expect(traceFrom({ 'x-cloud-trace-context': 'not-a-trace/1;o=1' })).toBeUndefined();
    expect(traceFrom({ 'x-cloud-trace-context': `${'0'.repeat(32)}/1;o=1` })).toBeUndefined();
    expect(traceFrom({})).toBeUndefined();
  });

  test('the log fields name the project when one is configured', () => {
    const trace = { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), sampled: true };
    expect(traceLogFields(trace, 'my-project')).toEqual({
      'logging.googleapis.com/trace': `projects/my-project/traces/${'a'.repeat(32)}`,
      'logging.googleapis.com/spanId': 'b'.repeat(16),
      'logging.googleapis.com/trace_sampled': true,
    });
    expect(traceLogFields(trace)['logging.googleapis.com/trace']).toBe('a'.repeat(32));
  });
});

describe('request logs in Cloud Logging shape', () => {
  beforeAll(() => setLogLevel('info'));
  afterAll(() => setLogLevel('silent'));

  test('every entry of a request carries its trace; the request entry has httpRequest', async () => {
    const lines: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    const listener = serveHttp(
      async () => {
        await new Promise((r) => setTimeout(r, 5));
        log('INFO', 'inside the handler', { step: 1 });
        return { status: 200, body: { hello: 'world' } };
      },
      { traceProject: 'mdraft-prod' },
    );
    const server = createServer((req, res) => void listener(req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const { port } = server.address() as { port: number };
      const res = await fetch(`http://127.0.0.1:${port}/v1/things?token=secret`, {
        headers: {
          'X-Cloud-Trace-Context': '105445aa7843bc8bf206b12000100000/17;o=1',
          'User-Agent': 'probe/1.0',
        },
      });
      expect(await res.json()).toEqual({ hello: 'world' });
      // An untraced request logs no trace fields (the context does not leak across requests).
      await (await fetch(`http://127.0.0.1:${port}/v1/other`)).arrayBuffer();
    } finally {
      spy.mockRestore();
      await new Promise((r) => server.close(r));
    }
    const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const inside = entries.find((e) => e.message === 'inside the handler')!;
    const done = entries.filter((e) => e.message === 'request done');
    const trace = {
      'logging.googleapis.com/trace': 'projects/mdraft-prod/traces/105445aa7843bc8bf206b12000100000',
      'logging.googleapis.com/spanId': '0000000000000011',
      'logging.googleapis.com/trace_sampled': true,
    };
    expect(inside).toMatchObject({ ...trace, step: 1, severity: 'INFO' });
    expect(done[0]).toMatchObject({
      ...trace,
      severity: 'INFO',
      httpRequest: {
        requestMethod: 'GET',
        requestUrl: '/v1/things',
        status: 200,
        userAgent: 'probe/1.0',
        remoteIp: '127.0.0.1',
        responseSize: String(Buffer.byteLength(JSON.stringify({ hello: 'world' }))),
        protocol: 'HTTP/1.1',
      },
    });
    expect((done[0].httpRequest as { latency: string }).latency).toMatch(/^\d+\.\d{3}s$/);
    expect(JSON.stringify(done[0])).not.toContain('secret');
    expect(done[1]).toMatchObject({ httpRequest: { requestUrl: '/v1/other' } });
    expect(Object.keys(done[1]).filter((k) => k.startsWith('logging.googleapis.com/'))).toEqual([]);
  });
});

describe('GET /v1/admin/health', () => {
  let server: TestServer;
  const keyFor = async (owner: string, admin: boolean) => {
    await server.deps.accounts.ensureUser({ id: owner, now: Date.now() });
    if (admin) await server.deps.userAdmin!.setAdmin(owner, true);
    return new Client(server.url, (await createApiKey(server.deps, { owner, name: 'test' })).key);
  };
  afterEach(async () => {
    await server?.stop();
  });

  test('an admin sees every component with its status and latency; anyone else is refused', async () => {
    server = await startTestServer({ MDRAFT_OCR: 'tesseract' }, { scanner: false });
    const root = await keyFor('root', true);
    const res = await root.request('/v1/admin/health');
    expect(res.status).toBe(200);
    const report = (await res.json()) as {
      status: string;
      components: Record<string, { status: string; latencyMs?: number; detail?: string }>;
    };
    expect(report.status).toBe('ok');
    for (const name of ['store', 'uploads', 'results', 'queue', 'ocr']) {
      expect(report.components[name]).toMatchObject({ status: 'ok' });
      expect(report.components[name].latencyMs).toBeGreaterThanOrEqual(0);
    }
    expect(report.components.scanner).toEqual({ status: 'off', detail: 'no scanner configured' });
    expect(report.components.ocr.detail).toMatch(/tesseract/);

    const alice = await keyFor('alice', false);
    expect((await alice.request('/v1/admin/health')).status).toBe(403);
    expect((await fetch(`${server.url}/v1/admin/health`)).status).toBe(401);
  });

  test('a scanner that does not answer and OCR off: degraded, with why', async () => {
    const deaf: Scanner = {
      kind: 'clamd',
      scan: async () => ({ infected: false }) as never,
      ping: async () => false,
    };
    server = await startTestServer({ MDRAFT_OCR: 'off' }, { scanner: deaf });
    const root = await keyFor('root', true);
    const report = (await (await root.request('/v1/admin/health')).json()) as {
      status: string;
      components: Record<string, { status: string; detail?: string }>;
    };
    expect(report.status).toBe('degraded');
    expect(report.components.scanner).toMatchObject({ status: 'failed', detail: 'clamd did not answer' });
    expect(report.components.ocr).toEqual({ status: 'off', detail: 'OCR is off' });
    expect(report.components.store.status).toBe('ok');
  });
});
