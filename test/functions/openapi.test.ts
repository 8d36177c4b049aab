/**
 * The OpenAPI description against the API itself: the document served at `/v1/openapi.json` is structurally
 * OpenAPI 3.1 (required fields, unique operationIds, declared path parameters, every `$ref` resolves, known
 * security schemes); the router's route table and the document list the same operations; the running server
 * answers every documented method+path and refuses (405) every other method on those paths; and real
 * responses — successes and errors — have a documented status and validate against the documented schema.
 */
import { apiRoutes } from '../../functions/api.ts';
import { issueApiKey } from '../../shared/service/auth/api-keys.ts';
import { Client, startTestServer, type TestServer } from '../e2e/client.ts';
import { Validator } from '@seriousme/openapi-schema-validator';
import { resolvePointer, validate } from '../helpers/json-schema.ts';

type Json = Record<string, unknown>;
interface Operation extends Json {
  operationId: string;
  responses: Record<string, { content?: Record<string, { schema: Json }> }>;
  parameters?: Array<{ name: string; in: string; required?: boolean }>;
  security?: Array<Record<string, string[]>>;
}

const METHODS = ['get', 'head', 'post', 'put', 'patch', 'delete'] as const;

let server: TestServer;
let alice: Client;
let doc: Json & { paths: Record<string, Record<string, Operation>>; components: Json & { schemas: Json } };
const ops = new Map<string, { path: string; method: string; op: Operation }>();
const exercised = new Set<string>();

beforeAll(async () => {
  server = await startTestServer(
    {},
    {
      runner: async (bytes) => ({
        format: 'text',
        mediaType: 'text/plain',
        markdown: Buffer.from(bytes).toString(),
        warnings: [],
      }),
    },
  );
  alice = new Client(server.url, server.apiKey!);
  const res = await fetch(`${server.url}/v1/openapi.json`);
  expect(res.status).toBe(200);
  doc = (await res.json()) as typeof doc;
  for (const [path, item] of Object.entries(doc.paths))
    for (const method of METHODS)
      if (item[method]) ops.set(item[method].operationId, { path, method, op: item[method] });
});

afterAll(async () => {
  await server?.stop();
});

/**
 * Asserts `res` is a documented answer of `operationId` — its status is listed, its media type matches, its body
 * validates against the documented schema — and returns the parsed body.
 */
async function conforms(operationId: string, res: Response): Promise<unknown> {
  const entry = ops.get(operationId);
  if (!entry) throw new Error(`no operation ${operationId} in the document`);
  exercised.add(operationId);
  const documented = entry.op.responses[String(res.status)];
  if (!documented) throw new Error(`${operationId} answered ${res.status}, which the document does not list`);
  const text = await res.text();
  if (!documented.content) {
    expect(text).toBe('');
    return undefined;
  }
  const [[mediaType, { schema }]] = Object.entries(documented.content);
  expect(res.headers.get('content-type') ?? '').toContain(mediaType);
  const body: unknown = mediaType === 'application/json' ? JSON.parse(text) : text;
  const errors = validate(schema, body, doc);
  if (errors.length) throw new Error(`${operationId} ${res.status} does not match its schema:\n${errors.join('\n')}`);
  return body;
}

const post = (body: unknown, method = 'POST'): RequestInit => ({
  method,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});

test('the document validates against the OpenAPI 3.1 schema (@seriousme/openapi-schema-validator)', async () => {
  const validator = new Validator();
  const result = await validator.validate(structuredClone(doc));
  expect(validator.version).toBe('3.1');
  expect(result.errors ?? []).toEqual([]);
  expect(result.valid).toBe(true);
  // Not vacuous: the same document with a parameter in an unknown place is refused.
  const broken = structuredClone(doc) as Json & { paths: Record<string, Record<string, Json>> };
  broken.paths['/v1/jobs'].get.parameters = [{ name: 'q', in: 'body', schema: { type: 'string' } }];
  expect((await new Validator().validate(broken)).valid).toBe(false);
});

test('the document is structurally OpenAPI 3.1 and every $ref resolves', () => {
  expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
  const info = doc.info as Json;
  expect(typeof info.title).toBe('string');
  expect(typeof info.version).toBe('string');
  const schemes = (doc.components.securitySchemes ?? {}) as Record<string, Json>;
  expect(schemes.apiKey).toMatchObject({ type: 'apiKey', in: 'header', name: 'X-API-Key' });
  expect(schemes.firebaseIdToken).toMatchObject({ type: 'http', scheme: 'bearer' });
  const ids = new Set<string>();
  for (const [path, item] of Object.entries(doc.paths)) {
    expect(path.startsWith('/')).toBe(true);
    const templated = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      expect(ids.has(op.operationId)).toBe(false);
      ids.add(op.operationId);
      expect(Object.keys(op.responses).length).toBeGreaterThan(0);
      for (const status of Object.keys(op.responses)) expect(status).toMatch(/^[1-5]\d\d$/);
      // OAS 3.1 §4.8.12.1: every templated path parameter is declared, in: path, required.
      const declared = (op.parameters ?? []).filter((p) => p.in === 'path');
      expect(declared.map((p) => p.name).sort()).toEqual([...templated].sort());
      for (const p of declared) expect(p.required).toBe(true);
      for (const requirement of op.security ?? [])
        for (const name of Object.keys(requirement)) expect(schemes[name]).toBeDefined();
      const authenticated = (op.security ?? []).length > 0;
      if (authenticated) expect(op.responses['401']).toBeDefined();
    }
  }
  // Every $ref anywhere in the document points at something.
  const refs: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object')
      for (const [k, v] of Object.entries(node)) {
        if (k === '$ref' && typeof v === 'string') refs.push(v);
        else walk(v);
      }
  };
  walk(doc);
  expect(refs.length).toBeGreaterThan(20);
  for (const ref of refs) expect(() => resolvePointer(doc, ref)).not.toThrow();
  // Every component schema uses only keywords the checker knows (validating throws otherwise).
  for (const schema of Object.values(doc.components.schemas)) validate(schema as Json, null, doc);
});

test("the router's route table and the document list the same operations", () => {
  const routed = apiRoutes(server.deps)
    .map((r) => `${r.spec.method} ${r.spec.path} ${r.spec.operationId}`)
    .sort();
  const documented = [...ops.values()].map((o) => `${o.method.toUpperCase()} ${o.path} ${o.op.operationId}`).sort();
  expect(routed).toEqual(documented);
});

test('the running server answers every documented operation and refuses the undocumented methods', async () => {
  for (const [path, item] of Object.entries(doc.paths)) {
    const concrete = path.replace(/\{\w+\}/g, 'x');
    const allowed = METHODS.filter((m) => item[m]).map((m) => m.toUpperCase());
    for (const method of METHODS) {
      const res = await fetch(`${server.url}${concrete}`, { method: method.toUpperCase() });
      const text = await res.text();
      if (item[method]) {
        // Matched: no credentials is 401 for a guarded route; a public one answers.
        const guarded = (item[method].security ?? []).length > 0;
        expect([method, path, res.status]).toEqual([method, path, guarded ? 401 : 200]);
      } else {
        expect([method, path, res.status]).toEqual([method, path, 405]);
        expect(res.headers.get('allow')?.split(', ').sort()).toEqual([...allowed].sort());
        if (method !== 'head') expect(text).toContain('method_not_allowed');
      }
    }
  }
  const unknown = await fetch(`${server.url}/v1/not-a-route`);
  expect(unknown.status).toBe(404);
});

test('real responses, successes and errors, validate against the documented schemas', async () => {
  await conforms('getHealth', await fetch(`${server.url}/healthz`));
  await conforms('getOpenApi', await fetch(`${server.url}/v1/openapi.json`));
  await conforms('listJobs', await fetch(`${server.url}/v1/jobs`)); // 401, the envelope

  const bytes = Buffer.from('# hello\n\nfrom the OpenAPI test\n');
  const created = (await conforms(
    'createJob',
    await alice.request('/v1/jobs', post({ filename: 'a.txt', contentType: 'text/plain', size: bytes.length })),
  )) as { job: { id: string }; upload: { url: string; headers: Record<string, string> } };
  const id = created.job.id;
  await conforms('getJobResult', await alice.request(`/v1/jobs/${id}/result`)); // 409, not ready
  expect(
    (await fetch(created.upload.url, { method: 'PUT', headers: created.upload.headers, body: bytes })).status,
  ).toBe(200);
  await alice.waitFor(id, ['succeeded']);
  await conforms('getJob', await alice.request(`/v1/jobs/${id}`));
  await conforms('listJobs', await alice.request('/v1/jobs?limit=5'));
  await conforms('listJobs', await alice.request('/v1/jobs?limit=0')); // 400 invalid_query
  await conforms('getJobResult', await alice.request(`/v1/jobs/${id}/result`));
  await conforms('getJobResult', await alice.request(`/v1/jobs/${id}/result?format=json`));
  await conforms('getJobResult', await alice.request(`/v1/jobs/${id}/result?format=chunks&targetTokens=64`));
  await conforms('getJobResult', await alice.request(`/v1/jobs/${id}/result?format=chunks&targetTokens=1`)); // 400
  await conforms('getJob', await alice.request('/v1/jobs/no-such-job')); // 404

  // Analyses: created (202), polled, listed, read with and without the result; CSV is for requirements only.
  const analysis = (await conforms(
    'createAnalysis',
    await alice.request(`/v1/jobs/${id}/analyses`, post({ kind: 'requirements' })),
  )) as { analysis: { id: string } };
  await conforms('createAnalysis', await alice.request(`/v1/jobs/${id}/analyses`, post({ kind: 'ask' }))); // 400
  await conforms('createAnalysis', await alice.request('/v1/jobs/no-such-job/analyses', post({ kind: 'summary' })));
  const analysisUrl = `/v1/jobs/${id}/analyses/${analysis.analysis.id}`;
  for (let i = 0; i < 200; i++) {
    const a = (await (await alice.request(analysisUrl)).json()) as { analysis: { status: string } };
    if (a.analysis.status === 'succeeded') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  await conforms('getAnalysis', await alice.request(analysisUrl));
  await conforms('getAnalysis', await alice.request(`/v1/jobs/${id}/analyses/ana_nope`)); // 404
  await conforms('listAnalyses', await alice.request(`/v1/jobs/${id}/analyses?limit=5`));
  await conforms('getAnalysisResult', await alice.request(`${analysisUrl}/result`));
  await conforms(
    'createJob',
    await alice.request('/v1/jobs', post({ filename: 'a.exe', contentType: 'application/x-msdownload', size: 10 })),
  ); // 415
  await conforms(
    'createJob',
    await alice.request('/v1/jobs', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{' }),
  ); // 400
  await conforms(
    'createJob',
    await alice.request('/v1/jobs', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: 'x'.repeat(1024 * 1024 + 1),
    }),
  ); // 413

  await conforms('getMe', await alice.request('/v1/me'));
  await conforms('updateMe', await alice.request('/v1/me', post({ displayName: 'Alice' }, 'PATCH')));
  await conforms(
    'estimate',
    await alice.request('/v1/estimate', post({ contentType: 'application/pdf', size: 200_000 })),
  );
  await conforms('confirmJob', await alice.request(`/v1/jobs/${id}/confirm`, { method: 'POST' })); // 409
  await conforms('getUsage', await alice.request('/v1/usage?groupBy=format'));
  await conforms('exportUsage', await alice.request('/v1/usage/export'));
  await conforms('startCheckout', await alice.request('/v1/billing/checkout', post({ plan: 'pro' }))); // 501 here
  await conforms('openPortal', await alice.request('/v1/billing/portal', { method: 'POST' }));

  const key = (await conforms('createKey', await alice.request('/v1/keys', post({ name: 'ci' })))) as {
    key: { id: string };
  };
  await conforms('listKeys', await alice.request('/v1/keys'));
  await conforms('revokeKey', await alice.request(`/v1/keys/${key.key.id}`, { method: 'DELETE' }));
  await conforms('revokeKey', await alice.request('/v1/keys/nope', { method: 'DELETE' })); // 404
  await conforms('deleteJob', await alice.request(`/v1/jobs/${id}`, { method: 'DELETE' }));

  // Administration: a non-admin is 403; an admin sees users, usage, audit and changes a user.
  await conforms('searchUsers', await alice.request('/v1/admin/users'));
  await server.deps.accounts.ensureUser({ id: 'bob', email: 'bob@example.com', now: Date.now() });
  await issueApiKey(server.deps.accounts, { owner: 'bob', now: Date.now() });
  await server.deps.userAdmin!.setAdmin('local', true);
  await conforms('searchUsers', await alice.request('/v1/admin/users?email=BOB'));
  await conforms('getUser', await alice.request('/v1/admin/users/bob'));
  await conforms('getUser', await alice.request('/v1/admin/users/nobody')); // 404
  await conforms('getUserUsage', await alice.request('/v1/admin/users/bob/usage'));
  await conforms('setUserPlan', await alice.request('/v1/admin/users/bob/plan', post({ plan: 'pro' }, 'PUT')));
  await conforms('suspendUser', await alice.request('/v1/admin/users/bob/suspend', { method: 'POST' }));
  await conforms('suspendUser', await alice.request('/v1/admin/users/local/suspend', { method: 'POST' })); // 409
  await conforms('reactivateUser', await alice.request('/v1/admin/users/bob/reactivate', { method: 'POST' }));
  await conforms('revokeUserKeys', await alice.request('/v1/admin/users/bob/revoke-keys', { method: 'POST' }));
  await conforms('revokeUserSessions', await alice.request('/v1/admin/users/bob/revoke-sessions', { method: 'POST' }));
  await conforms('setUserAdmin', await alice.request('/v1/admin/users/bob/admin', post({ admin: true }, 'PUT')));
  await conforms('readAudit', await alice.request('/v1/admin/audit?target=bob'));
  await conforms('getHealthDetails', await alice.request('/v1/admin/health'));
  await conforms(
    'deleteMe',
    await new Client(
      server.url,
      (await issueApiKey(server.deps.accounts, { owner: 'carol', now: Date.now() })).key,
    ).request('/v1/me', { method: 'DELETE' }),
  );

  // Nearly every operation was exercised (HEAD /healthz is probed above; it has no body to check).
  const missed = [...ops.keys()].filter((o) => !exercised.has(o));
  expect(missed).toEqual(['headHealth']);
});

test('the checker is not vacuous: a body that breaks the documented schema is reported', () => {
  const job = { $ref: '#/components/schemas/Job' };
  const good = {
    id: 'j',
    status: 'queued',
    filename: 'a.txt',
    contentType: 'text/plain',
    size: 1,
    createdAt: '2024-01-01T00:00:00.000Z',
    updatedAt: '2024-01-01T00:00:00.000Z',
    attempts: 0,
    warnings: [],
  };
  expect(validate(job, good, doc)).toEqual([]);
  expect(validate(job, { ...good, status: 'done' }, doc).join()).toContain('status');
  expect(validate(job, { ...good, secret: 'x' }, doc).join()).toContain('not a documented property');
  const { id: _id, ...noId } = good;
  expect(validate(job, noId, doc).join()).toContain('missing required property id');
  expect(validate(job, { ...good, size: '1' }, doc).join()).toContain('expected integer');
});
