/**
 * Who is calling: `Authorization: Bearer <Firebase ID token>` (through the `Identity` port), `X-API-Key:
 * <key>` (looked up by hash) or the embedded default's session cookie (`mdraft_session=<key>`, set by the
 * one-time sign-in link; the same key lookup). Anything else, or anything invalid, is 401. The principal's
 * `uid` owns the jobs and keys it creates.
 *
 * Every accepted credential is then checked against its user record (`AccountStore.getUser`, one read; for
 * an ID token the record `ensureUser` returns): the record is the one place a user's status, admin flag and
 * plan live (`UserAdminStore` writes the same record). A `suspended` user is refused (`account_suspended`,
 * answered 403) on the very next request, whatever the credential. The principal gets the plan in force
 * (`effectivePlanId`: a lapsed payment's grace applied) and its admin standing: an API key or session counts
 * as admin when the record's admin flag is set, an ID token when it carries the Firebase custom claim
 * `admin: true` (never the other way round). The record's `lastSeenAt` is written at most once a minute (a
 * write per request would be a hot spot).
 */
import { AuthError, type AccountStore, type Identity, type UserRecord } from '../ports.ts';
import { hashApiKey, looksLikeApiKey } from './api-keys.ts';
import { effectivePlanId } from '../accounts/billing-state.ts';

export interface Principal {
  uid: string;
  email?: string;
  via: 'id_token' | 'api_key' | 'session';
  /** The API key's id (its SHA-256 hex) when `via` is `api_key` or `session`: the per-key rate limit counts on it. */
  keyId?: string;
  /** May call `/v1/admin/*`. */
  admin?: boolean;
  /** The user's plan id now (a lapsed payment's grace applied: `effectivePlanId`); absent = no record (free). */
  plan?: string;
  /** The API key's default webhook URL (jobs created with the key notify it unless they name their own). */
  keyWebhookUrl?: string;
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
  const { principal, user, tokenAdmin } = await identify(headers, deps);
  if (user?.status === 'suspended')
    throw new AuthError('account_suspended', 'this account is suspended; contact the operator');
  const now = deps.now();
  if (user && (user.lastSeenAt === undefined || now - user.lastSeenAt >= LAST_SEEN_EVERY_MS)) {
    await deps.accounts.updateUser(principal.uid, { lastSeenAt: now });
  }
  return {
    ...principal,
    admin: principal.via === 'id_token' ? tokenAdmin === true : user?.admin === true,
    ...(user ? { plan: effectivePlanId(user, now) } : {}),
  };
}

interface Identified {
  principal: Principal;
  /** The caller's user record (undefined for a key whose owner has none yet). */
  user: UserRecord | undefined;
  /** The ID token's `admin` custom claim. */
  tokenAdmin?: boolean;
}

async function identify(headers: Record<string, string | undefined>, deps: AuthDeps): Promise<Identified> {
  const apiKey = headers['x-api-key']?.trim();
  if (apiKey) return byKey(apiKey, 'api_key', deps);
  const authorization = headers.authorization?.trim();
  if (authorization) {
    const m = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!m) throw new AuthError('unauthenticated', 'the Authorization header must be "Bearer <Firebase ID token>"');
    const verified = await deps.identity.verifyIdToken(m[1]);
    // The first verified identity creates the user record; it is returned either way (no second read).
    const user = await deps.accounts.ensureUser({
      id: verified.uid,
      ...(verified.email ? { email: verified.email } : {}),
      ...(verified.name ? { displayName: verified.name } : {}),
      now: deps.now(),
    });
    return {
      principal: { uid: verified.uid, ...(verified.email ? { email: verified.email } : {}), via: 'id_token' },
      user,
      tokenAdmin: verified.admin === true,
    };
  }
  const session = cookieValue(headers.cookie, SESSION_COOKIE);
  if (session) {
    // The cookie is sent by the browser on its own, also for requests another page starts (another port of the
    // same host is the same site, so SameSite does not stop it): only the page's own origin may use it
    // (Fetch Metadata `Sec-Fetch-Site`, else `Origin` against `Host`; clients that send neither are not browsers).
    if (crossSite(headers))
      throw new AuthError('unauthenticated', 'the session cookie is refused on a cross-site request');
    return byKey(session, 'session', deps);
  }
  throw new AuthError('unauthenticated', 'send X-API-Key or Authorization: Bearer <Firebase ID token>');
}

/** Whether a browser says this request comes from a page of another origin. */
function crossSite(headers: Readonly<Record<string, string | string[] | undefined>>): boolean {
  const site = headers['sec-fetch-site'];
  if (typeof site === 'string') return site !== 'same-origin' && site !== 'none';
  const origin = headers.origin;
  if (typeof origin !== 'string' || origin === 'null') return typeof origin === 'string';
  try {
    return new URL(origin).host !== headers.host;
  } catch {
    return true;
  }
}

async function byKey(key: string, via: 'api_key' | 'session', deps: AuthDeps): Promise<Identified> {
  if (!looksLikeApiKey(key)) throw new AuthError('unauthenticated', 'the API key is not valid');
  const record = await deps.accounts.findApiKeyByHash(hashApiKey(key));
  if (!record || record.revokedAt) throw new AuthError('unauthenticated', 'the API key is not valid');
  return {
    principal: {
      uid: record.owner,
      via,
      keyId: record.id,
      ...(record.webhookUrl ? { keyWebhookUrl: record.webhookUrl } : {}),
    },
    user: await deps.accounts.getUser(record.owner),
  };
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
