/**
 * Who is calling: `Authorization: Bearer <Firebase ID token>` (through the `Identity` port) or
 * `X-API-Key: <key>` (looked up by hash). Anything else, or anything invalid, is 401. The principal's
 * `uid` owns the jobs and keys it creates.
 *
 * With a `UserAdminStore` every request also reads the user's access record (one read): a suspended user's
 * keys and tokens are refused on the very next request (`account_suspended`, 403), and the principal gets the
 * user's plan and admin standing. Admin: an API key counts as admin when its user's admin flag is set; an ID
 * token when it carries the Firebase custom claim `admin: true`.
 */
import { AuthError, type AccountStore, type Identity, type UserAccess, type UserAdminStore } from '../ports.ts';
import { hashApiKey, looksLikeApiKey } from './api-keys.ts';
import { effectivePlanId } from '../accounts/billing-state.ts';

export interface Principal {
  uid: string;
  email?: string;
  via: 'id_token' | 'api_key';
  /** The API key's id (its SHA-256 hex) when `via` is `api_key`: the per-key rate limit counts on it. */
  keyId?: string;
  /** May call `/v1/admin/*`. */
  admin?: boolean;
  /** The user's plan id now (a lapsed payment's grace applied: `effectivePlanId`); absent = free. */
  plan?: string;
}

export async function authenticate(
  headers: Record<string, string | undefined>,
  deps: {
    accounts: Pick<AccountStore, 'findApiKeyByHash' | 'ensureUser'>;
    identity: Identity;
    now: () => number;
    userAdmin?: Pick<UserAdminStore, 'getAccess'>;
  },
): Promise<Principal> {
  const apiKey = headers['x-api-key']?.trim();
  if (apiKey) {
    if (!looksLikeApiKey(apiKey)) throw new AuthError('unauthenticated', 'the API key is not valid');
    const record = await deps.accounts.findApiKeyByHash(hashApiKey(apiKey));
    if (!record || record.revokedAt) throw new AuthError('unauthenticated', 'the API key is not valid');
    const access = await accessOf(deps, record.owner);
    return {
      uid: record.owner,
      via: 'api_key',
      keyId: record.id,
      admin: access?.admin === true,
      ...(access ? { plan: effectivePlanId(access, deps.now()) } : {}),
    };
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
    const access = await accessOf(deps, verified.uid);
    return {
      uid: verified.uid,
      ...(verified.email ? { email: verified.email } : {}),
      via: 'id_token',
      admin: verified.admin === true,
      ...(access ? { plan: effectivePlanId(access, deps.now()) } : {}),
    };
  }
  throw new AuthError('unauthenticated', 'send X-API-Key or Authorization: Bearer <Firebase ID token>');
}

/** The user's access record; a suspended user is refused here, whatever the credential. */
async function accessOf(
  deps: { userAdmin?: Pick<UserAdminStore, 'getAccess'> },
  uid: string,
): Promise<UserAccess | undefined> {
  const access = await deps.userAdmin?.getAccess(uid);
  if (access?.status === 'suspended')
    throw new AuthError('account_suspended', 'this account is suspended; contact the operator');
  return access;
}
