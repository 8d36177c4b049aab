/**
 * authenticate() reads the user record that the administration store writes (one record, one read per
 * request): suspension refuses keys and tokens at once, the plan in force (grace applied) reaches the
 * principal, and administration comes from the record's flag for API keys and from the `admin` custom claim
 * for ID tokens (never the other way round).
 */
import { openDatabase } from '../../../shared/adapters/local/sqlite.ts';
import { SqliteAccountStore } from '../../../shared/adapters/local/sqlite-account-store.ts';
import { SqliteUserAdminStore } from '../../../shared/adapters/local/sqlite-user-admin.ts';
import { authenticate } from '../../../shared/service/auth/authenticate.ts';
import { issueApiKey } from '../../../shared/service/auth/api-keys.ts';
import type { Identity } from '../../../shared/service/ports.ts';

const now = () => 1_800_000_000_000;

function setup() {
  const db = openDatabase(':memory:');
  const accounts = new SqliteAccountStore(db);
  const userAdmin = new SqliteUserAdminStore(db);
  const claims: Record<string, boolean> = {};
  const identity: Identity = {
    verifyIdToken: async (token) => ({ uid: token, ...(claims[token] ? { admin: true } : {}) }),
  };
  return { db, accounts, userAdmin, identity, claims, deps: { accounts, userAdmin, identity, now } };
}

test('a suspended user is refused with account_suspended for every key and token, from the next call on', async () => {
  const s = setup();
  await s.accounts.ensureUser({ id: 'alice', now: now() });
  const { key } = await issueApiKey(s.accounts, { owner: 'alice', now: now() });
  expect((await authenticate({ 'x-api-key': key }, s.deps)).uid).toBe('alice');
  expect((await authenticate({ authorization: 'Bearer alice' }, s.deps)).uid).toBe('alice');
  await s.userAdmin.setStatus('alice', 'suspended', now());
  await expect(authenticate({ 'x-api-key': key }, s.deps)).rejects.toMatchObject({ code: 'account_suspended' });
  await expect(authenticate({ authorization: 'Bearer alice' }, s.deps)).rejects.toMatchObject({
    code: 'account_suspended',
  });
  await s.userAdmin.setStatus('alice', 'active', now());
  expect((await authenticate({ 'x-api-key': key }, s.deps)).uid).toBe('alice');
  s.db.close();
});

test('admin: the store flag for keys, the custom claim for tokens; the plan reaches the principal', async () => {
  const s = setup();
  await s.accounts.ensureUser({ id: 'root', now: now() });
  const { key } = await issueApiKey(s.accounts, { owner: 'root', now: now() });
  expect(await authenticate({ 'x-api-key': key }, s.deps)).toMatchObject({ admin: false });
  await s.userAdmin.setAdmin('root', true);
  await s.userAdmin.setPlan('root', 'pro');
  expect(await authenticate({ 'x-api-key': key }, s.deps)).toMatchObject({ admin: true, plan: 'pro' });
  // The flag alone does not make a token admin: tokens carry their own claim.
  expect(await authenticate({ authorization: 'Bearer root' }, s.deps)).toMatchObject({ admin: false, plan: 'pro' });
  s.claims.root = true;
  expect(await authenticate({ authorization: 'Bearer root' }, s.deps)).toMatchObject({ admin: true });
  s.db.close();
});
