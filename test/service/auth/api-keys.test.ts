import { createHash } from 'node:crypto';
import { SqliteAccountStore } from '../../../shared/adapters/local/sqlite-account-store.ts';
import { LocalIdentity } from '../../../shared/adapters/local/local-identity.ts';
import { hashApiKey, issueApiKey, looksLikeApiKey } from '../../../shared/service/auth/api-keys.ts';
import { authenticate } from '../../../shared/service/auth/authenticate.ts';
import { AuthError, type Identity } from '../../../shared/service/ports.ts';

let store: SqliteAccountStore;
beforeEach(() => {
  store = new SqliteAccountStore(':memory:');
});
afterEach(() => store.close());

const now = () => 1_800_000_000_000;

test('keys are mdk_ + 256 random bits, stored only as their SHA-256 hex, which is the id', async () => {
  const a = await issueApiKey(store, { owner: 'alice', now: now() });
  const b = await issueApiKey(store, { owner: 'alice', now: now() });
  expect(a.key).toMatch(/^mdk_[A-Za-z0-9_-]{43}$/);
  expect(Buffer.from(a.key.slice(4), 'base64url')).toHaveLength(32);
  expect(a.key).not.toBe(b.key);
  expect(a.record.id).toBe(createHash('sha256').update(a.key).digest('hex'));
  expect(hashApiKey(a.key)).toBe(a.record.id);
  const stored = JSON.stringify(store.db.prepare('SELECT * FROM api_keys').all());
  expect(stored).not.toContain(a.key);
  expect(stored).not.toContain(a.key.slice(10));
  expect(looksLikeApiKey(a.key)).toBe(true);
  expect(looksLikeApiKey(`${a.key}x`)).toBe(false);
});

test('authenticate: a key maps to its owner, a revoked key does not', async () => {
  const identity = new LocalIdentity();
  const { key, record } = await issueApiKey(store, { owner: 'alice', now: now() });
  expect(await authenticate({ 'x-api-key': key }, { accounts: store, identity, now })).toEqual({
    uid: 'alice',
    via: 'api_key',
    keyId: record.id,
    admin: false,
  });
  await store.revokeApiKey('alice', record.id, now());
  await expect(authenticate({ 'x-api-key': key }, { accounts: store, identity, now })).rejects.toBeInstanceOf(
    AuthError,
  );
  await expect(authenticate({}, { accounts: store, identity, now })).rejects.toMatchObject({ code: 'unauthenticated' });
});

test('authenticate: a Bearer token goes through Identity and registers the user', async () => {
  const identity: Identity = {
    verifyIdToken: async (token) => {
      if (token !== 'good') throw new AuthError('token_invalid', 'bad token');
      return { uid: 'firebase-uid-1', email: 'u@example.com' };
    },
  };
  expect(await authenticate({ authorization: 'Bearer good' }, { accounts: store, identity, now })).toEqual({
    uid: 'firebase-uid-1',
    email: 'u@example.com',
    via: 'id_token',
    admin: false,
    // The plan in force of the record the token created.
    plan: 'free',
  });
  expect(await store.ensureUser({ id: 'firebase-uid-1', now: now() + 1 })).toEqual({
    id: 'firebase-uid-1',
    email: 'u@example.com',
    createdAt: now(),
    // The request was the user's first: it is also when they were last seen.
    lastSeenAt: now(),
  });
  await expect(authenticate({ authorization: 'Bearer bad' }, { accounts: store, identity, now })).rejects.toMatchObject(
    {
      code: 'token_invalid',
    },
  );
  await expect(authenticate({ authorization: 'Bearer' }, { accounts: store, identity, now })).rejects.toMatchObject({
    code: 'unauthenticated',
  });
});
