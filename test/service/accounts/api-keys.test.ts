/** The API-key use cases on the real sqlite account store: owner-scoped create, list and revoke. */
import { SqliteAccountStore } from '../../../shared/adapters/local/sqlite-account-store.ts';
import { createApiKey, isApiKeyId, listApiKeys, revokeApiKey } from '../../../shared/service/accounts/api-keys.ts';
import { ApiKeyNotFoundError } from '../../../shared/service/accounts/errors.ts';
import { hashApiKey } from '../../../shared/service/auth/api-keys.ts';
import { setLogLevel } from '../../../shared/service/logs.ts';

setLogLevel('silent');

const T = 1_800_000_000_000;
let accounts: SqliteAccountStore;
let clock: number;
const deps = () => ({ accounts, now: () => clock });
beforeEach(() => {
  accounts = new SqliteAccountStore(':memory:');
  clock = T;
});
afterEach(() => accounts.close());

test('create: a new key for the owner, stored by hash, named (default "default"), at the clock time', async () => {
  const a = await createApiKey(deps(), { owner: 'alice', name: 'ci' });
  expect(a.record).toEqual({
    id: hashApiKey(a.key),
    owner: 'alice',
    name: 'ci',
    prefix: a.key.slice(0, 10),
    createdAt: T,
    webhookSecret: a.webhookSecret,
  });
  // The webhook signing secret: 256 random bits, its own per key, stored with the key (signing needs it).
  expect(a.webhookSecret).toMatch(/^mdwhsec_[A-Za-z0-9_-]{43}$/);
  expect(await accounts.findApiKeyByHash(hashApiKey(a.key))).toEqual(a.record);
  const b = await createApiKey(deps(), { owner: 'alice', webhookUrl: 'https://hooks.example/in' });
  expect(b.record.name).toBe('default');
  expect(b.webhookSecret).not.toBe(a.webhookSecret);
  expect((await accounts.findApiKeyByHash(b.record.id))?.webhookUrl).toBe('https://hooks.example/in');
  expect(isApiKeyId(a.record.id)).toBe(true);
  expect(isApiKeyId('A'.repeat(64))).toBe(false);
});

test("list: only the owner's keys, oldest first, revoked ones included", async () => {
  const a = await createApiKey(deps(), { owner: 'alice', name: 'one' });
  clock += 1;
  const b = await createApiKey(deps(), { owner: 'alice', name: 'two' });
  await createApiKey(deps(), { owner: 'bob' });
  await revokeApiKey(deps(), { owner: 'alice', id: a.record.id });
  expect(await listApiKeys(deps(), 'alice')).toEqual([{ ...a.record, revokedAt: T + 1 }, b.record]);
  expect(await listApiKeys(deps(), 'carol')).toEqual([]);
});

test("revoke: the owner's live key once; another owner's, a revoked, a missing or a malformed id is not found", async () => {
  const a = await createApiKey(deps(), { owner: 'alice' });
  await expect(revokeApiKey(deps(), { owner: 'bob', id: a.record.id })).rejects.toBeInstanceOf(ApiKeyNotFoundError);
  clock += 5;
  await revokeApiKey(deps(), { owner: 'alice', id: a.record.id });
  expect((await accounts.findApiKeyByHash(a.record.id))?.revokedAt).toBe(T + 5);
  await expect(revokeApiKey(deps(), { owner: 'alice', id: a.record.id })).rejects.toBeInstanceOf(ApiKeyNotFoundError);
  await expect(revokeApiKey(deps(), { owner: 'alice', id: 'f'.repeat(64) })).rejects.toBeInstanceOf(
    ApiKeyNotFoundError,
  );
  await expect(revokeApiKey(deps(), { owner: 'alice', id: '../x' })).rejects.toBeInstanceOf(ApiKeyNotFoundError);
});
