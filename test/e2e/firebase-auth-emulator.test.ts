/**
 * Firebase ID tokens on the embedded default, against the real Firebase Auth emulator (firebase-tools, started
 * by `scripts/auth-emulator.ts`): people sign up and sign in through the emulator's Identity Toolkit REST API
 * (what the Firebase web SDK calls), and the embedded server, configured with FIREBASE_AUTH_EMULATOR_HOST,
 * verifies their ID tokens through firebase-admin, creates the user record on the first verified identity,
 * and grants the admin routes on the `admin` custom claim set through firebase-admin against the emulator.
 *
 * When the firebase CLI cannot run here (not installed and npx cannot fetch it, e.g. offline) the suite is
 * reported as skipped with a loud warning saying why: never a silent pass.
 */
import { deleteApp, initializeApp, type App } from 'firebase-admin/app';
import { getAuth, type Auth } from 'firebase-admin/auth';
import {
  firebaseToolsVersion,
  firebaseUnavailable,
  startAuthEmulator,
  type AuthEmulator,
} from '../../scripts/auth-emulator.ts';
import { startTestServer, type TestServer } from './client.ts';

const unavailable = firebaseUnavailable();
if (unavailable) {
  const line = '!'.repeat(100);
  console.warn(
    `${line}\n!! The Firebase Auth emulator tests did NOT run: ${unavailable}\n` +
      `!! Install the firebase-tools devDependency (npm install), or let npx fetch firebase-tools@${firebaseToolsVersion()} once (network).\n${line}`,
  );
}
const suite = unavailable ? describe.skip : describe;

interface Session {
  uid: string;
  idToken: string;
}

suite('Firebase ID tokens from the Auth emulator on the embedded default', () => {
  let emulator: AuthEmulator;
  let server: TestServer;
  let app: App;
  let auth: Auth;
  const previousHost = process.env.FIREBASE_AUTH_EMULATOR_HOST;

  beforeAll(async () => {
    emulator = await startAuthEmulator();
    // firebase-admin in this test (setting claims as an operator would) talks to the emulator too.
    process.env.FIREBASE_AUTH_EMULATOR_HOST = emulator.host;
    app = initializeApp({ projectId: emulator.projectId }, 'auth-emulator-test');
    auth = getAuth(app);
    server = await startTestServer({ FIREBASE_AUTH_EMULATOR_HOST: emulator.host });
  }, 300_000);

  afterAll(async () => {
    await server?.stop();
    if (app) await deleteApp(app);
    await emulator?.stop();
    if (previousHost === undefined) delete process.env.FIREBASE_AUTH_EMULATOR_HOST;
    else process.env.FIREBASE_AUTH_EMULATOR_HOST = previousHost;
  }, 60_000);

  /** The emulator's Identity Toolkit REST API (any API key is accepted by the emulator). */
  async function toolkit(method: string, body: object): Promise<Record<string, unknown>> {
    const res = await fetch(`http://${emulator.host}/identitytoolkit.googleapis.com/v1/accounts:${method}?key=fake`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    const parsed = (await res.json()) as Record<string, unknown>;
    if (res.status !== 200) throw new Error(`accounts:${method} answered ${res.status}: ${JSON.stringify(parsed)}`);
    return parsed;
  }

  async function signUp(email: string, displayName: string): Promise<string> {
    const created = await toolkit('signUp', { email, password: 'correct horse battery', returnSecureToken: true });
    await toolkit('update', { idToken: created.idToken, displayName, returnSecureToken: true });
    return created.localId as string;
  }

  async function signIn(email: string): Promise<Session> {
    const signed = await toolkit('signInWithPassword', {
      email,
      password: 'correct horse battery',
      returnSecureToken: true,
    });
    return { uid: signed.localId as string, idToken: signed.idToken as string };
  }

  function call(path: string, token: string, init: RequestInit = {}): Promise<Response> {
    return fetch(`${server.url}${path}`, {
      ...init,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    });
  }

  async function errorCode(res: Response): Promise<string> {
    return ((await res.json()) as { error: { code: string } }).error.code;
  }

  test('an emulator ID token signs in and its first use creates the user record (email, display name)', async () => {
    const uid = await signUp('ada@example.com', 'Ada Lovelace');
    expect(await server.deps.accounts.getUser(uid)).toBeUndefined();
    const ada = await signIn('ada@example.com');
    expect(ada.uid).toBe(uid);

    const res = await call('/v1/me', ada.idToken);
    expect(res.status).toBe(200);
    const me = ((await res.json()) as { me: Record<string, unknown> }).me;
    expect(me).toMatchObject({
      id: uid,
      email: 'ada@example.com',
      displayName: 'Ada Lovelace',
      status: 'active',
      plan: { id: 'free' },
    });
    expect(await server.deps.accounts.getUser(uid)).toMatchObject({
      id: uid,
      email: 'ada@example.com',
      displayName: 'Ada Lovelace',
    });
    // A second request finds the record; nothing is duplicated or reset.
    const renamed = await call('/v1/me', ada.idToken, {
      method: 'PATCH',
      body: JSON.stringify({ displayName: 'Countess' }),
    });
    expect(renamed.status).toBe(200);
    expect(((await (await call('/v1/me', ada.idToken)).json()) as { me: { displayName: string } }).me.displayName).toBe(
      'Countess',
    );
  }, 60_000);

  test('tokens the emulator did not issue for this project, or for a user it does not know, are refused', async () => {
    const ada = await signIn('ada@example.com');
    const [header, payload] = ada.idToken.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forge = (changes: Record<string, unknown>) =>
      `${header}.${Buffer.from(JSON.stringify({ ...claims, ...changes })).toString('base64url')}.`;

    // Emulator tokens are unsigned (firebase-admin's emulator mode skips the signature), so what keeps a forged
    // one out is the audience/issuer check and the revocation lookup against the emulator's accounts.
    const otherProject = await call(
      '/v1/me',
      forge({ aud: 'demo-other', iss: 'https://securetoken.google.com/demo-other' }),
    );
    expect(otherProject.status).toBe(401);
    expect(await errorCode(otherProject)).toBe('token_invalid');

    const unknownUser = await call('/v1/me', forge({ sub: 'nobody-at-all', user_id: 'nobody-at-all' }));
    expect(unknownUser.status).toBe(401);
    expect(await errorCode(unknownUser)).toBe('token_revoked');
    expect(await server.deps.accounts.getUser('nobody-at-all')).toBeUndefined();

    const expired = await call('/v1/me', forge({ exp: Math.floor(Date.now() / 1000) - 10 }));
    expect(expired.status).toBe(401);
    expect(await errorCode(expired)).toBe('token_expired');

    const garbage = await call('/v1/me', 'not-a-jwt');
    expect(garbage.status).toBe(401);
  }, 60_000);

  test('the admin custom claim set through the emulator grants the admin routes; admin actions reach the emulator', async () => {
    const adminUid = await signUp('root@example.com', 'Root Operator');
    const bobUid = await signUp('bob@example.com', 'Bob');
    const bob = await signIn('bob@example.com');
    let root = await signIn('root@example.com');

    // Both have used the API once (their records exist). Without the claim: an ordinary user, refused by every
    // admin route.
    expect((await call('/v1/me', bob.idToken)).status).toBe(200);
    expect((await call('/v1/me', root.idToken)).status).toBe(200);
    const refused = await call('/v1/admin/users', root.idToken);
    expect(refused.status).toBe(403);
    expect(await errorCode(refused)).toBe('forbidden');

    // The operator sets the claim with firebase-admin against the emulator; the next ID token carries it.
    await auth.setCustomUserClaims(adminUid, { admin: true });
    root = await signIn('root@example.com');
    const found = await call('/v1/admin/users?email=bob%40example.com', root.idToken);
    expect(found.status).toBe(200);
    expect(((await found.json()) as { users: Array<{ id: string }> }).users.map((u) => u.id)).toEqual([bobUid]);

    // Granting administration through the route sets Bob's claim in the emulator: his next token is admin.
    expect((await call('/v1/admin/users', bob.idToken)).status).toBe(403);
    const granted = await call(`/v1/admin/users/${bobUid}/admin`, root.idToken, {
      method: 'PUT',
      body: JSON.stringify({ admin: true }),
    });
    expect(granted.status).toBe(200);
    expect((await auth.getUser(bobUid)).customClaims).toEqual({ admin: true });
    const bobAdmin = await signIn('bob@example.com');
    expect((await call('/v1/admin/users', bobAdmin.idToken)).status).toBe(200);

    // Revoking Bob's sessions revokes his refresh tokens in the emulator: tokens issued before are refused.
    // (Revocation compares whole seconds: wait past the second Bob's token was issued in.)
    await new Promise((r) => setTimeout(r, 1100));
    const revoked = await call(`/v1/admin/users/${bobUid}/revoke-sessions`, root.idToken, { method: 'POST' });
    expect(revoked.status).toBe(200);
    const stale = await call('/v1/me', bobAdmin.idToken);
    expect(stale.status).toBe(401);
    expect(await errorCode(stale)).toBe('token_revoked');
    // Signing in again works.
    expect((await call('/v1/me', (await signIn('bob@example.com')).idToken)).status).toBe(200);

    const audit = (await (await call(`/v1/admin/audit?target=${bobUid}`, root.idToken)).json()) as {
      entries: Array<{ actor: string; action: string; target: string }>;
    };
    expect(audit.entries.map((e) => [e.actor, e.action, e.target])).toEqual([
      [adminUid, 'user.sessions.revoke', bobUid],
      [adminUid, 'user.admin.grant', bobUid],
    ]);
  }, 90_000);
});
