/**
 * API keys: `mdk_` + 256 random bits in base64url. Only the SHA-256 hex of the whole key is stored, and
 * that hash is the key's id; the key itself is shown once, at creation. Each key also gets a webhook signing
 * secret (`mdwhsec_` + 256 random bits), shown once with it and stored as it is (signing needs it).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { AccountStore, ApiKeyRecord } from '../ports.ts';
import { WEBHOOK_SECRET_PREFIX } from '../webhooks/signature.ts';

export const API_KEY_PREFIX = 'mdk_';

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function looksLikeApiKey(value: string): boolean {
  return /^mdk_[A-Za-z0-9_-]{43}$/.test(value);
}

export interface IssuedKey {
  /** The secret: give it to the caller once, never store or log it. */
  key: string;
  /** The key's webhook signing secret (also in `record`): give it to the caller once, never log it. */
  webhookSecret: string;
  record: ApiKeyRecord;
}

export async function issueApiKey(
  store: Pick<AccountStore, 'createApiKey'>,
  input: { owner: string; name?: string; webhookUrl?: string; now: number },
): Promise<IssuedKey> {
  const key = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  const webhookSecret = `${WEBHOOK_SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;
  const record: ApiKeyRecord = {
    id: hashApiKey(key),
    owner: input.owner,
    name: (input.name ?? 'default').slice(0, 100),
    prefix: key.slice(0, 10),
    createdAt: input.now,
    ...(input.webhookUrl ? { webhookUrl: input.webhookUrl } : {}),
    webhookSecret,
  };
  await store.createApiKey(record);
  return { key, webhookSecret, record };
}

export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  revokedAt?: string;
  /** The key's default webhook URL. */
  webhookUrl?: string;
}

export function toApiKeyView(r: ApiKeyRecord): ApiKeyView {
  return {
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    createdAt: new Date(r.createdAt).toISOString(),
    ...(r.revokedAt ? { revokedAt: new Date(r.revokedAt).toISOString() } : {}),
    ...(r.webhookUrl ? { webhookUrl: r.webhookUrl } : {}),
  };
}
