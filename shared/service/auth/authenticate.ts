/**
 * Who is calling: `Authorization: Bearer <Firebase ID token>` (through the `Identity` port), `X-API-Key:
 * <key>` (looked up by hash) or the embedded default's session cookie (`mdraft_session=<key>`, set by the
 * one-time sign-in link; the same key lookup). Anything else, or anything invalid, is 401. The principal's
 * `uid` owns the jobs and keys it creates.
 *
 * Every accepted credential is then checked against its user record: a `suspended` user is refused
 * (`account_suspended`, answered 403) on the very next request, whatever the credential; the record's
 * `lastSeenAt` is written at most once a minute (a write per request would be a hot spot).
 */
import { AuthError, type AccountStore, type Identity } from '../ports.ts';
import { hashApiKey, looksLikeApiKey } from './api-keys.ts';

export interface Principal {
  uid: string;
  email?: string;
  via: 'id_token' | 'api_key' | 'session';
}

/** The session cookie's name (`functions/local.ts` sets it after the one-time sign-in link). */
export const SESSION_COOKIE = 'mdraft_session';

/** `lastSeenAt` is rewritten only when older than this. */
export const LAST_SEEN_EVERY_MS = 60_000;

type AuthDeps = {
  accounts: Pick<AccountStore, 'findApiKeyByHash' | 'ensureUser' | 'getUser' | 'updateUser'>;
  identity: Identity;
  now: () => number;
};

export async function authenticate(headers: Record<string, string | undefined>, deps: AuthDeps): Promise<Principal> {
  const principal = await identify(headers, deps);
  const user = await deps.accounts.getUser(principal.uid);
  if (user?.status === 'suspended') throw new AuthError('account_suspended', 'this account is suspended');
  const now = deps.now();
  if (user && (user.lastSeenAt === undefined || now - user.lastSeenAt >= LAST_SEEN_EVERY_MS)) {
    await deps.accounts.updateUser(principal.uid, { lastSeenAt: now });
  }
  return principal;
}

async function identify(headers: Record<string, string | undefined>, deps: AuthDeps): Promise<Principal> {
  const apiKey = headers['x-api-key']?.trim();
  if (apiKey) return { uid: await keyOwner(apiKey, deps), via: 'api_key' };
  const authorization = headers.authorization?.trim();
  if (authorization) {
    const m = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!m) throw new AuthError('unauthenticated', 'the Authorization header must be "Bearer <Firebase ID token>"');
    const verified = await deps.identity.verifyIdToken(m[1]);
    // The first verified identity creates the user record.
    await deps.accounts.ensureUser({
      id: verified.uid,
      ...(verified.email ? { email: verified.email } : {}),
      ...(verified.name ? { displayName: verified.name } : {}),
      now: deps.now(),
    });
    return { uid: verified.uid, ...(verified.email ? { email: verified.email } : {}), via: 'id_token' };
  }
  const session = cookieValue(headers.cookie, SESSION_COOKIE);
  if (session) return { uid: await keyOwner(session, deps), via: 'session' };
  throw new AuthError('unauthenticated', 'send X-API-Key or Authorization: Bearer <Firebase ID token>');
}

async function keyOwner(key: string, deps: AuthDeps): Promise<string> {
  if (!looksLikeApiKey(key)) throw new AuthError('unauthenticated', 'the API key is not valid');
  const record = await deps.accounts.findApiKeyByHash(hashApiKey(key));
  if (!record || record.revokedAt) throw new AuthError('unauthenticated', 'the API key is not valid');
  return record.owner;
}

/** One cookie's value from a `Cookie` header (RFC 6265 §5.4: `name=value` pairs separated by `; `). */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}
