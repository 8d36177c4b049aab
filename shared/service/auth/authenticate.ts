/**
 * Who is calling: `Authorization: Bearer <Firebase ID token>` (through the `Identity` port) or
 * `X-API-Key: <key>` (looked up by hash). Anything else, or anything invalid, is 401. The principal's
 * `uid` owns the jobs and keys it creates.
 */
import { AuthError, type AccountStore, type Identity } from '../ports.ts';
import { hashApiKey, looksLikeApiKey } from './api-keys.ts';

export interface Principal {
  uid: string;
  email?: string;
  via: 'id_token' | 'api_key';
}

export async function authenticate(
  headers: Record<string, string | undefined>,
  deps: { accounts: Pick<AccountStore, 'findApiKeyByHash' | 'ensureUser'>; identity: Identity; now: () => number },
): Promise<Principal> {
  const apiKey = headers['x-api-key']?.trim();
  if (apiKey) {
    if (!looksLikeApiKey(apiKey)) throw new AuthError('unauthenticated', 'the API key is not valid');
    const record = await deps.accounts.findApiKeyByHash(hashApiKey(apiKey));
    if (!record || record.revokedAt) throw new AuthError('unauthenticated', 'the API key is not valid');
    return { uid: record.owner, via: 'api_key' };
  }
  const authorization = headers.authorization?.trim();
  if (authorization) {
    const m = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!m) throw new AuthError('unauthenticated', 'the Authorization header must be "Bearer <Firebase ID token>"');
    const verified = await deps.identity.verifyIdToken(m[1]);
    await deps.accounts.ensureUser({
      id: verified.uid,
      ...(verified.email ? { email: verified.email } : {}),
      now: deps.now(),
    });
    return { uid: verified.uid, ...(verified.email ? { email: verified.email } : {}), via: 'id_token' };
  }
  throw new AuthError('unauthenticated', 'send X-API-Key or Authorization: Bearer <Firebase ID token>');
}
