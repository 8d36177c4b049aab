/**
 * The administration routes over real HTTP on the embedded server: the first admin comes from
 * scripts/bootstrap-admin.ts (run as a process on the server's data directory); every admin route refuses a
 * non-admin (403) and answers 404 for an unknown user; suspension takes effect on the very next request; each
 * change lands in the audit log with actor, action, target, time and the request id of the call.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { issueApiKey } from '../../shared/service/auth/api-keys.ts';
import { Client, startTestServer, type TestServer } from '../e2e/client.ts';

const REPO = path.resolve(import.meta.dirname, '../..');
const NODE = path.join(REPO, 'node_modules/.bin/node');

let server: TestServer;
let root: Client;
let alice: Client;
let aliceKey2: Client;

async function keyFor(user: string, email?: string): Promise<Client> {
  await server.deps.accounts.ensureUser({ id: user, ...(email ? { email } : {}), now: Date.now() });
  return new Client(server.url, (await issueApiKey(server.deps.accounts, { owner: user, now: Date.now() })).key);
}

const send = (c: Client, method: string, p: string, body?: unknown) =>
  c.request(p, {
    method,
    ...(body !== undefined ? { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) } : {}),
  });

async function code(res: Response): Promise<string> {
  return ((await res.json()) as { error: { code: string } }).error.code;
}

beforeAll(async () => {
  server = await startTestServer();
  const run = spawnSync(
    NODE,
    [path.join(REPO, 'scripts/bootstrap-admin.ts'), '--local', '--data-dir', server.dataDir, '--user', 'root'],
    { cwd: REPO, encoding: 'utf8', timeout: 60_000 },
  );
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  root = new Client(server.url, run.stdout.trim().split('\n').at(-1)!);
  alice = await keyFor('alice', 'alice@example.com');
  aliceKey2 = new Client(
    server.url,
    (await issueApiKey(server.deps.accounts, { owner: 'alice', now: Date.now() })).key,
  );
  await keyFor('bob', 'bob@example.org');
});

afterAll(async () => server?.stop());

const ROUTES: Array<[string, string, unknown?]> = [
  ['GET', '/v1/admin/users'],
  ['GET', '/v1/admin/users/alice'],
  ['GET', '/v1/admin/users/alice/usage'],
  ['PUT', '/v1/admin/users/alice/plan', { plan: 'pro' }],
  ['POST', '/v1/admin/users/alice/suspend'],
  ['POST', '/v1/admin/users/alice/reactivate'],
  ['POST', '/v1/admin/users/alice/revoke-keys'],
  ['POST', '/v1/admin/users/alice/revoke-sessions'],
  ['PUT', '/v1/admin/users/alice/admin', { admin: true }],
  ['GET', '/v1/admin/audit'],
];

test('the bootstrap key is an admin key and its grant is audited', async () => {
  const res = await root.request('/v1/admin/audit?target=root');
  expect(res.status).toBe(200);
  const { entries } = (await res.json()) as { entries: Array<Record<string, unknown>> };
  expect(entries).toEqual([
    expect.objectContaining({ actor: 'bootstrap', action: 'user.admin.grant', target: 'root' }),
  ]);
});

test('every admin route refuses a non-admin with 403 forbidden and changes nothing', async () => {
  const bob = await keyFor('bob');
  for (const [method, p, body] of ROUTES) {
    const res = await send(bob, method, p, body);
    expect([p, res.status]).toEqual([p, 403]);
    expect(await code(res)).toBe('forbidden');
  }
  expect((await alice.request('/v1/jobs')).status).toBe(200);
  const view = (await (await root.request('/v1/admin/users/alice')).json()) as { user: Record<string, unknown> };
  expect(view.user).toMatchObject({ status: 'active', admin: false });
  expect(view.user.plan).toBeUndefined();
  // Without credentials it is 401, as everywhere.
  expect((await fetch(`${server.url}/v1/admin/users`)).status).toBe(401);
});

test('every user route answers 404 for an unknown user', async () => {
  for (const [method, p, body] of ROUTES.filter(([, p]) => p.includes('/alice'))) {
    const res = await send(root, method, p.replace('/alice', '/nobody'), body);
    expect([p, res.status]).toEqual([p, 404]);
    expect(await code(res)).toBe('not_found');
  }
});

test('suspension refuses every key of the user on the very next request; reactivation restores them', async () => {
  expect((await alice.request('/v1/jobs')).status).toBe(200);
  const res = await send(root, 'POST', '/v1/admin/users/alice/suspend');
  expect(res.status).toBe(200);
  expect(((await res.json()) as { user: { status: string } }).user.status).toBe('suspended');
  for (const c of [alice, aliceKey2]) {
    const refused = await c.request('/v1/jobs');
    expect(refused.status).toBe(403);
    expect(await code(refused)).toBe('account_suspended');
  }
  expect((await send(root, 'POST', '/v1/admin/users/root/suspend')).status).toBe(409);
  expect((await send(root, 'POST', '/v1/admin/users/alice/reactivate')).status).toBe(200);
  expect((await alice.request('/v1/jobs')).status).toBe(200);
});

test('plans: validated against the plans table; the user view shows the change', async () => {
  const bad = await send(root, 'PUT', '/v1/admin/users/alice/plan', { plan: 'platinum' });
  expect(bad.status).toBe(400);
  expect(await code(bad)).toBe('unknown_plan');
  expect((await send(root, 'PUT', '/v1/admin/users/alice/plan', { plan: -1 })).status).toBe(400);
  const ok = await send(root, 'PUT', '/v1/admin/users/alice/plan', { plan: 'pro' });
  expect(ok.status).toBe(200);
  expect(((await ok.json()) as { user: { plan: string } }).user.plan).toBe('pro');
  expect((await server.deps.accounts.getUser('alice'))?.plan).toBe('pro');
});

test('search by id and email prefix, paged; usage of one user', async () => {
  const byId = (await (await root.request('/v1/admin/users?id=al')).json()) as { users: Array<{ id: string }> };
  expect(byId.users.map((u) => u.id)).toEqual(['alice']);
  const byEmail = (await (await root.request('/v1/admin/users?email=BOB@')).json()) as {
    users: Array<{ id: string }>;
  };
  expect(byEmail.users.map((u) => u.id)).toEqual(['bob']);
  const p1 = (await (await root.request('/v1/admin/users?limit=2')).json()) as {
    users: Array<{ id: string }>;
    nextCursor: string;
  };
  const p2 = (await (await root.request(`/v1/admin/users?limit=2&cursor=${p1.nextCursor}`)).json()) as {
    users: Array<{ id: string }>;
  };
  expect([...p1.users, ...p2.users].map((u) => u.id)).toEqual(expect.arrayContaining(['alice', 'bob', 'root']));
  expect((await root.request('/v1/admin/users?cursor=@@')).status).toBe(400);
  expect((await root.request('/v1/admin/users?id=a&email=b')).status).toBe(400);
  const usage = await root.request('/v1/admin/users/alice/usage?month=2027-02');
  expect(await usage.json()).toEqual({ usage: { owner: 'alice', month: '2027-02', jobs: 0, pages: 0, aiCalls: 0 } });
  expect((await root.request('/v1/admin/users/alice/usage?month=2027-13')).status).toBe(400);
});

test("a user's usage counts their AI calls beside jobs and pages, this month by default", async () => {
  const dave = await keyFor('dave');
  const month = new Date().toISOString().slice(0, 7);
  const text = new TextEncoder().encode('# Terms\n\nThe Contractor shall deliver the scans by June 1, 2027.\n');
  const jobId = await dave.submit('terms.md', 'text/markdown', text);
  expect((await dave.waitFor(jobId, ['succeeded', 'failed'], 60_000)).status).toBe('succeeded');
  for (const kind of ['requirements', 'outline']) {
    const created = await send(dave, 'POST', `/v1/jobs/${jobId}/analyses`, { kind });
    expect(created.status).toBe(202);
  }
  const usage = (await (await root.request('/v1/admin/users/dave/usage')).json()) as { usage: object };
  expect(usage.usage).toEqual({ owner: 'dave', month, jobs: 1, pages: expect.any(Number), aiCalls: 2 });
  // The same count the user sees as `ai.used` on their own profile.
  const { me } = (await (await dave.request('/v1/me')).json()) as { me: { ai: { used: number } } };
  expect(me.ai.used).toBe(2);
  // Another month has none.
  const before = (await (await root.request('/v1/admin/users/dave/usage?month=2020-01')).json()) as { usage: object };
  expect(before.usage).toMatchObject({ jobs: 0, aiCalls: 0 });
});

test('granting and removing administration; an admin cannot remove their own', async () => {
  const bob = await keyFor('bob');
  expect((await send(root, 'PUT', '/v1/admin/users/bob/admin', { admin: true })).status).toBe(200);
  expect((await bob.request('/v1/admin/users')).status).toBe(200);
  expect((await send(root, 'PUT', '/v1/admin/users/bob/admin', { admin: false })).status).toBe(200);
  expect((await bob.request('/v1/admin/users')).status).toBe(403);
  const self = await send(root, 'PUT', '/v1/admin/users/root/admin', { admin: false });
  expect(self.status).toBe(409);
  expect(await code(self)).toBe('cannot_target_self');
});

test('revoking keys and sessions; the audit log records each action with the request id', async () => {
  const carol = await keyFor('carol');
  expect((await carol.request('/v1/jobs')).status).toBe(200);
  const revoke = await send(root, 'POST', '/v1/admin/users/carol/revoke-keys');
  expect(await revoke.json()).toEqual({ revoked: 1 });
  expect((await carol.request('/v1/jobs')).status).toBe(401);
  const sessions = await send(root, 'POST', '/v1/admin/users/carol/revoke-sessions');
  expect(sessions.status).toBe(200);

  const page = (await (await root.request('/v1/admin/audit?limit=100')).json()) as {
    entries: Array<{ actor: string; action: string; target: string; at: number; requestId: string; details?: object }>;
  };
  const actions = page.entries.map((e) => `${e.action} ${e.target}`).reverse();
  expect(actions).toEqual([
    'user.admin.grant root',
    'user.suspend alice',
    'user.reactivate alice',
    'user.plan.set alice',
    'user.admin.grant bob',
    'user.admin.revoke bob',
    'user.keys.revoke carol',
    'user.sessions.revoke carol',
  ]);
  const newest = page.entries[0];
  expect(newest).toMatchObject({ actor: 'root', requestId: sessions.headers.get('x-request-id') });
  expect(Math.abs(newest.at - Date.now())).toBeLessThan(60_000);
  expect(page.entries.find((e) => e.action === 'user.plan.set')?.details).toEqual({ plan: 'pro', previous: 'free' });
  expect(page.entries.find((e) => e.action === 'user.keys.revoke')?.details).toEqual({ revoked: 1 });
  const carolOnly = (await (await root.request('/v1/admin/audit?target=carol&limit=1')).json()) as {
    entries: unknown[];
    nextCursor: string;
  };
  expect(carolOnly.entries).toHaveLength(1);
  expect(carolOnly.nextCursor).toEqual(expect.any(String));
});
