/**
 * FirebaseIdentity with the real firebase-admin verifier. The test signs RS256 ID tokens with a key it
 * generates, and serves the matching self-signed X.509 certificate where the SDK fetches Google's
 * (`www.googleapis.com/robot/v1/metadata/x509/securetoken@system.gserviceaccount.com`) and the Auth REST
 * `accounts:lookup` answer the revocation check needs. The SDK's documented `httpAgent` option carries
 * those HTTPS requests to a loopback server: the agent opens a plain TCP connection to it instead of a TLS
 * one to Google, and records which host the SDK meant to reach. The signature check itself is untouched.
 */
import { connect, type Socket } from 'node:net';
import { Agent, type AgentOptions } from 'node:https';
import { generateKeyPairSync, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { FirebaseIdentity } from '../../../shared/adapters/gcp/firebase-identity.ts';
import { AuthError } from '../../../shared/service/ports.ts';
import { startRecordingServer, type RecordingServer } from './recording-server.ts';
import { selfSignedCertificate } from './self-signed-cert.ts';

const PROJECT = 'mdraft-test';
const KID = 'test-key-1';
const CERT_PATH = '/robot/v1/metadata/x509/securetoken@system.gserviceaccount.com';

/** An HTTPS agent whose connections all go to one loopback port, in clear text. */
class LoopbackAgent extends Agent {
  readonly hosts: string[] = [];
  private readonly port: number;
  constructor(port: number, options?: AgentOptions) {
    super(options);
    this.port = port;
  }
  override createConnection(
    options: { host?: string | null; servername?: string },
    callback?: (err: Error | null, socket: Socket) => void,
  ): Socket {
    this.hosts.push(options.servername ?? options.host ?? '');
    const socket = connect(this.port, '127.0.0.1');
    if (callback) socket.once('connect', () => callback(null, socket));
    return socket;
  }
}

function b64url(value: object | Buffer): string {
  return (Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value))).toString('base64url');
}

interface Claims {
  uid?: string;
  aud?: string;
  iss?: string;
  iat?: number;
  exp?: number;
  authTime?: number;
  email?: string;
  kid?: string;
}

describe('FirebaseIdentity verifying real RS256 ID tokens', () => {
  let server: RecordingServer;
  let agent: LoopbackAgent;
  let identity: FirebaseIdentity;
  let privateKey: KeyObject;
  let otherKey: KeyObject;
  /** uid → the Auth backend's `validSince` (seconds) and `disabled`, as accounts:lookup reports them. */
  const accounts = new Map<string, { validSince: number; disabled?: boolean }>();

  function token(claims: Claims = {}, key: KeyObject = privateKey): string {
    const now = Math.floor(Date.now() / 1000);
    const uid = claims.uid ?? 'alice-uid';
    const header = { alg: 'RS256', kid: claims.kid ?? KID, typ: 'JWT' };
    const payload = {
      iss: claims.iss ?? `https://securetoken.google.com/${PROJECT}`,
      aud: claims.aud ?? PROJECT,
      auth_time: claims.authTime ?? now - 60,
      user_id: uid,
      sub: uid,
      iat: claims.iat ?? now - 60,
      exp: claims.exp ?? now + 3540,
      ...(claims.email ? { email: claims.email, email_verified: true } : {}),
      firebase: { identities: {}, sign_in_provider: 'password' },
    };
    const input = `${b64url(header)}.${b64url(payload)}`;
    return `${input}.${b64url(sign('RSA-SHA256', Buffer.from(input), key))}`;
  }

  async function refusal(promise: Promise<unknown>): Promise<AuthError> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AuthError);
    return error as AuthError;
  }

  beforeAll(async () => {
    delete process.env.FIREBASE_AUTH_EMULATOR_HOST; // emulator mode would accept unsigned tokens
    const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
    privateKey = keys.privateKey;
    otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const certPem = selfSignedCertificate({
      commonName: 'securetoken.system.gserviceaccount.com',
      publicKey: keys.publicKey,
      privateKey: keys.privateKey,
      notBefore: new Date(Date.now() - 86400_000),
      notAfter: new Date(Date.now() + 86400_000),
    });
    // The certificate is well-formed and carries our public key (Node parses and checks it).
    expect(new X509Certificate(certPem).verify(keys.publicKey)).toBe(true);
    server = await startRecordingServer((req) => {
      if (req.method === 'GET' && req.url === CERT_PATH) {
        return { status: 200, headers: { 'cache-control': 'public, max-age=3600' }, body: { [KID]: certPem } };
      }
      if (req.method === 'POST' && req.url === `/v1/projects/${PROJECT}/accounts:lookup`) {
        const { localId } = JSON.parse(req.body.toString('utf8')) as { localId: string[] };
        const users = localId
          .filter((id) => accounts.has(id))
          .map((id) => ({
            localId: id,
            validSince: String(accounts.get(id)!.validSince),
            disabled: accounts.get(id)!.disabled ?? false,
          }));
        return {
          status: 200,
          body: users.length
            ? { kind: 'identitytoolkit#GetAccountInfoResponse', users }
            : { kind: 'identitytoolkit#GetAccountInfoResponse' },
        };
      }
      return { status: 404, body: { error: { code: 404, message: `unexpected ${req.method} ${req.url}` } } };
    });
    agent = new LoopbackAgent(server.port);
    identity = new FirebaseIdentity({
      projectId: PROJECT,
      checkRevoked: true,
      httpAgent: agent,
      credential: { getAccessToken: async () => ({ access_token: 'test-access-token', expires_in: 3600 }) },
    });
  });
  afterAll(async () => {
    await identity.close();
    agent.destroy();
    await server.close();
  });
  beforeEach(() => {
    accounts.clear();
    accounts.set('alice-uid', { validSince: Math.floor(Date.now() / 1000) - 3600 });
    server.requests.length = 0;
  });

  test('a valid token verifies: uid and email; the SDK fetched the certificates and asked the Auth backend', async () => {
    expect(await identity.verifyIdToken(token({ email: 'alice@example.com' }))).toEqual({
      uid: 'alice-uid',
      email: 'alice@example.com',
    });
    expect(agent.hosts).toEqual(expect.arrayContaining(['www.googleapis.com', 'identitytoolkit.googleapis.com']));
    const lookup = server.requests.find((r) => r.url.endsWith('accounts:lookup'));
    expect(lookup?.headers.authorization).toBe('Bearer test-access-token');
  });

  test('an expired token is token_expired', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(
      (await refusal(identity.verifyIdToken(token({ iat: now - 7200, exp: now - 3600, authTime: now - 7200 })))).code,
    ).toBe('token_expired');
  });

  test('another project (audience or issuer) is token_invalid', async () => {
    expect((await refusal(identity.verifyIdToken(token({ aud: 'someone-elses-project' })))).code).toBe('token_invalid');
    expect(
      (await refusal(identity.verifyIdToken(token({ iss: 'https://securetoken.google.com/someone-elses-project' }))))
        .code,
    ).toBe('token_invalid');
  });

  test('a tampered payload, a token signed by another key, an unknown kid or garbage are token_invalid', async () => {
    const good = token();
    const [h, p, s] = good.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forged = `${h}.${b64url({ ...claims, user_id: 'mallory', sub: 'mallory' })}.${s}`;
    expect((await refusal(identity.verifyIdToken(forged))).code).toBe('token_invalid');
    expect((await refusal(identity.verifyIdToken(token({}, otherKey)))).code).toBe('token_invalid');
    expect((await refusal(identity.verifyIdToken(token({ kid: 'unknown-kid' })))).code).toBe('token_invalid');
    expect((await refusal(identity.verifyIdToken('not.a.jwt'))).code).toBe('token_invalid');
    // The genuine token still verifies: the refusals came from the signature, not from the setup.
    await expect(identity.verifyIdToken(good)).resolves.toMatchObject({ uid: 'alice-uid' });
  });

  test('revoked sessions, disabled and deleted accounts are token_revoked (checkRevoked asks the Auth backend)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const t = token({ authTime: now - 600 });
    accounts.set('alice-uid', { validSince: now - 60 }); // sessions revoked after this sign-in
    expect((await refusal(identity.verifyIdToken(t))).code).toBe('token_revoked');
    accounts.set('alice-uid', { validSince: now - 3600, disabled: true });
    expect((await refusal(identity.verifyIdToken(t))).code).toBe('token_revoked');
    accounts.delete('alice-uid');
    expect((await refusal(identity.verifyIdToken(t))).code).toBe('token_revoked');
    accounts.set('alice-uid', { validSince: now - 3600 });
    await expect(identity.verifyIdToken(t)).resolves.toMatchObject({ uid: 'alice-uid' });
  });

  test('when the Google certificates cannot be fetched the error is not blamed on the token (no 401)', async () => {
    const broken = new FirebaseIdentity({
      projectId: PROJECT,
      checkRevoked: true,
      httpAgent: new LoopbackAgent(1), // nothing listens on port 1: the certificate fetch fails
      credential: { getAccessToken: async () => ({ access_token: 'x', expires_in: 3600 }) },
    });
    try {
      const error = await broken.verifyIdToken(token()).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeDefined();
      expect(error).not.toBeInstanceOf(AuthError);
    } finally {
      await broken.close();
    }
  });
});
