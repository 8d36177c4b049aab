/**
 * Sentry reporting against a loopback server standing in for Sentry's ingest (DSN
 * `http://public@127.0.0.1:PORT/1`): without a DSN nothing is initialised; with one, an unexpected error in
 * an HTTP function is reported with the request id and without signed URLs, API keys or Stripe secrets, the
 * status stays 500, and client errors (4xx) are not reported.
 */
import { createServer, type Server } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import * as Sentry from '@sentry/google-cloud-serverless';
import { startRecordingServer, type RecordingServer } from '../../adapters/gcp/recording-server.ts';
import {
  flushSentry,
  initSentry,
  reportError,
  scrubEvent,
  sentryEnabled,
  withErrorReporting,
  wrapListener,
} from '../../../shared/service/observability/sentry.ts';
import { serveHttp } from '../../../shared/service/http/node.ts';
import { badRequest } from '../../../shared/service/http/errors.ts';
import { setLogLevel } from '../../../shared/service/logs.ts';

setLogLevel('silent');

const API_KEY = `mdk_${'K'.repeat(43)}`;
const SIGNED =
  'https://storage.googleapis.com/up/u/alice/job_1?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Signature=deadbeefcafe0001';
const STRIPE_KEY = ['sk', 'live', randomBytes(8).toString('hex')].join('_');
// Made at run time: Sentry sends source lines around each stack frame, and a literal in this file could be among them.
const QUERY_SECRET = randomBytes(8).toString('hex');

let ingest: RecordingServer;
let app: Server;
let appUrl: string;

beforeAll(async () => {
  ingest = await startRecordingServer(() => ({ status: 200, body: {} }));
});
afterAll(async () => {
  await new Promise((r) => app?.close(r));
  await ingest.close();
});

function envelopes(): string[] {
  return ingest.requests.map((r) =>
    (r.headers['content-encoding'] === 'gzip' ? gunzipSync(r.body) : r.body).toString('utf8'),
  );
}

/** The error events in the recorded envelopes (an envelope is newline-separated JSON: header, item header, item). */
function errorEvents(): Array<{ tags?: Record<string, string>; exception?: { values: Array<{ value: string }> } }> {
  const events = [];
  for (const text of envelopes()) {
    const lines = text.split('\n').filter(Boolean);
    for (let i = 1; i + 1 < lines.length; i += 2) {
      if ((JSON.parse(lines[i]) as { type: string }).type === 'event') events.push(JSON.parse(lines[i + 1]));
    }
  }
  return events;
}

test('without a DSN nothing is initialised and reporting is a no-op', () => {
  expect(initSentry({})).toBe(false);
  expect(sentryEnabled()).toBe(false);
  expect(Sentry.getClient()).toBeUndefined();
  reportError(new Error('x'), { requestId: 'r' });
  expect(ingest.requests).toHaveLength(0);
});

test('with a DSN an internal error is reported with the request id and without secrets; the status stays 500', async () => {
  expect(initSentry({ dsn: `http://public@127.0.0.1:${ingest.port}/1`, environment: 'test' })).toBe(true);
  expect(Sentry.getClient()).toBeDefined();
  const handler = withErrorReporting(async (req) => {
    if (req.path === '/bad-request') throw badRequest('invalid_body', 'client mistake');
    throw new Error(`upload to ${SIGNED} failed for key ${API_KEY} (stripe ${STRIPE_KEY})`);
  }, 'api');
  const listener = wrapListener(serveHttp(handler));
  app = createServer((req, res) => void listener(req, res));
  await new Promise<void>((r) => app.listen(0, '127.0.0.1', () => r()));
  appUrl = `http://127.0.0.1:${(app.address() as { port: number }).port}`;

  const res = await fetch(`${appUrl}/v1/jobs?sig=${QUERY_SECRET}`, {
    headers: {
      'X-API-Key': API_KEY,
      Authorization: 'Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl',
      'X-Request-Id': 'req-sentry-000001',
    },
  });
  expect(res.status).toBe(500);
  expect(await res.json()).toEqual({
    error: { code: 'internal', message: 'internal error', requestId: 'req-sentry-000001' },
  });
  const clientError = await fetch(`${appUrl}/bad-request`, { headers: { 'X-Request-Id': 'req-sentry-000002' } });
  expect(clientError.status).toBe(400);
  await flushSentry();

  const events = errorEvents();
  expect(events).toHaveLength(1);
  expect(events[0].tags).toMatchObject({ request_id: 'req-sentry-000001', function: 'api' });
  expect(events[0].exception?.values[0].value).toMatch(
    /^upload to https:\/\/storage\.googleapis\.com\/up\/u\/alice\/job_1\?\[Filtered\] failed/,
  );
  const everything = envelopes().join('\n');
  for (const secret of [
    'deadbeefcafe0001',
    'X-Goog-Signature',
    API_KEY,
    'K'.repeat(43),
    STRIPE_KEY,
    QUERY_SECRET,
    'c2lnbmF0dXJl',
    'eyJzdWIiOiJhbGljZSJ9',
  ]) {
    expect({ secret, found: everything.includes(secret) }).toEqual({ secret, found: false });
  }
  expect(everything).not.toContain('req-sentry-000002');
});

test('scrubEvent removes credential headers, query strings and request bodies', () => {
  const event = {
    request: {
      url: `${SIGNED}`,
      query_string: 'X-Goog-Signature=abc',
      headers: { 'x-api-key': API_KEY, 'stripe-signature': 't=1,v1=abc', 'user-agent': 'curl' },
      data: '{"secret":"x"}',
    },
    extra: { note: `key ${['whsec', 'abcdef0123'].join('_')} and ${API_KEY}` },
  };
  expect(scrubEvent(event)).toEqual({
    request: {
      url: 'https://storage.googleapis.com/up/u/alice/job_1?[Filtered]',
      query_string: '[Filtered]',
      headers: { 'x-api-key': '[Filtered]', 'stripe-signature': '[Filtered]', 'user-agent': 'curl' },
    },
    extra: { note: 'key [Filtered] and mdk_[Filtered]' },
  });
});
