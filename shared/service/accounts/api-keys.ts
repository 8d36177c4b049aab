/**
 * API-key use cases: a caller creates, lists and revokes its OWN keys. The key format and hashing are
 * `shared/service/auth/api-keys.ts`; the records are the `AccountStore`'s. Another owner's key behaves
 * exactly like a missing one.
 */
import type { AccountStore, ApiKeyRecord } from '../ports.ts';
import { issueApiKey, type IssuedKey } from '../auth/api-keys.ts';
import { logs } from '../logs.ts';
import { ApiKeyNotFoundError } from './errors.ts';
import { checkWebhookUrl, type WebhookPolicy } from '../webhooks/url.ts';

export interface ApiKeyDeps {
  accounts: Pick<AccountStore, 'createApiKey' | 'listApiKeys' | 'revokeApiKey'>;
  now: () => number;
  /** The webhook policy a key's default URL is checked against (absent: https only, no test allow-list). */
  config?: { webhooks?: WebhookPolicy };
}

/** A key id is the SHA-256 hex of the key (64 lowercase hex digits). */
export function isApiKeyId(id: string): boolean {
  return /^[0-9a-f]{64}$/.test(id);
}

/**
 * A new key for `owner`; `name` defaults to `default` and is cut to 100 characters. The secret is in `key`,
 * its webhook signing secret in `webhookSecret`, once. `webhookUrl` (the default callback of jobs created with
 * the key) must pass `checkWebhookUrl` (`InvalidJobRequestError` `invalid_webhook_url` otherwise).
 */
export async function createApiKey(
  deps: ApiKeyDeps,
  input: { owner: string; name?: string; webhookUrl?: string; requestId?: string },
): Promise<IssuedKey> {
  const webhookUrl =
    input.webhookUrl !== undefined ? checkWebhookUrl(input.webhookUrl, deps.config?.webhooks) : undefined;
  const issued = await issueApiKey(deps.accounts, {
    owner: input.owner,
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(webhookUrl ? { webhookUrl } : {}),
    now: deps.now(),
  });
  logs.apiKeyCreated({ requestId: input.requestId, owner: input.owner, keyId: issued.record.id });
  return issued;
}

/** `owner`'s keys, oldest first, revoked ones included (with `revokedAt`). */
export function listApiKeys(deps: ApiKeyDeps, owner: string): Promise<ApiKeyRecord[]> {
  return deps.accounts.listApiKeys(owner);
}

/**
 * Revokes one of `owner`'s keys now. Throws `ApiKeyNotFoundError` when `id` is not a key id, not `owner`'s
 * key, or already revoked (revoking is not repeated: the answer says nothing was changed).
 */
export async function revokeApiKey(
  deps: ApiKeyDeps,
  input: { owner: string; id: string; requestId?: string },
): Promise<void> {
  if (!isApiKeyId(input.id) || !(await deps.accounts.revokeApiKey(input.owner, input.id, deps.now())))
    throw new ApiKeyNotFoundError();
  logs.apiKeyRevoked({ requestId: input.requestId, owner: input.owner, keyId: input.id });
}
