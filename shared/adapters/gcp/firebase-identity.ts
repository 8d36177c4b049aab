/**
 * `Identity` on Firebase Auth: `verifyIdToken` checks the RS256 signature against Google's published
 * certificates, the audience/issuer (the project), expiry, and with `checkRevoked` also asks the Auth backend
 * whether the user's sessions were revoked or the account disabled. Refusals become the port's typed
 * `AuthError`s (401 with a stable code); anything else (the certificates or the backend unreachable) is
 * rethrown unchanged, a 500 the caller may retry, never a spurious "invalid token".
 */
import type { Agent } from 'node:http';
import { randomBytes } from 'node:crypto';
import { deleteApp, initializeApp, type App, type Credential } from 'firebase-admin/app';
import { getAuth, type Auth } from 'firebase-admin/auth';
import { AuthError, type Identity, type IdentityAdmin, type VerifiedIdentity } from '../../service/ports.ts';

export interface FirebaseIdentityOptions {
  projectId: string;
  /** One backend call per verification: worth it for an API that hands out keys and results. */
  checkRevoked: boolean;
  /** Defaults to Application Default Credentials (needed only for the revocation check). */
  credential?: Credential;
  /** Carries every outgoing call of the SDK (certificate fetch, revocation lookup). */
  httpAgent?: Agent;
}

/**
 * Also the `IdentityAdmin`: `revokeRefreshTokens` (firebase-admin; tokens minted before it fail the
 * revocation check) and `setAdminClaim` (the `admin` custom claim, merged into the user's other claims;
 * it reaches ID tokens at their next refresh, within the hour).
 */
export class FirebaseIdentity implements Identity, IdentityAdmin {
  private readonly app: App;
  private readonly auth: Auth;
  private readonly checkRevoked: boolean;

  constructor(options: FirebaseIdentityOptions) {
    // A named app per instance: tests and several configurations never share SDK state.
    this.app = initializeApp(
      {
        projectId: options.projectId,
        ...(options.credential ? { credential: options.credential } : {}),
        ...(options.httpAgent ? { httpAgent: options.httpAgent } : {}),
      },
      `mdraft-identity-${randomBytes(6).toString('hex')}`,
    );
    this.auth = getAuth(this.app);
    this.checkRevoked = options.checkRevoked;
  }

  async verifyIdToken(token: string): Promise<VerifiedIdentity> {
    try {
      const decoded = await this.auth.verifyIdToken(token, this.checkRevoked);
      return {
        uid: decoded.uid,
        ...(typeof decoded.email === 'string' ? { email: decoded.email } : {}),
        ...(typeof decoded.name === 'string' && decoded.name ? { name: decoded.name } : {}),
        ...(decoded.admin === true ? { admin: true } : {}),
      };
    } catch (error) {
      throw toAuthError(error) ?? error;
    }
  }

  /** A user Firebase does not know (an API-key-only user) has no sessions: nothing to do. */
  async revokeRefreshTokens(uid: string): Promise<void> {
    try {
      await this.auth.revokeRefreshTokens(uid);
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'auth/user-not-found') throw error;
    }
  }

  /** A user Firebase does not know has no tokens to carry the claim: the store's flag is all there is. */
  async setAdminClaim(uid: string, admin: boolean): Promise<void> {
    let user;
    try {
      user = await this.auth.getUser(uid);
    } catch (error) {
      if ((error as { code?: unknown }).code === 'auth/user-not-found') return;
      throw error;
    }
    const claims: Record<string, unknown> = { ...(user.customClaims ?? {}) };
    if (admin) claims.admin = true;
    else delete claims.admin;
    await this.auth.setCustomUserClaims(uid, Object.keys(claims).length ? claims : null);
  }

  async close(): Promise<void> {
    await deleteApp(this.app);
  }
}

const KEY_FETCH_FAILURE = /Error while making request|Error fetching public keys/;

/** The caller's credential is at fault: a typed 401. Undefined for failures on our side. */
export function toAuthError(error: unknown): AuthError | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'auth/id-token-expired':
      return new AuthError('token_expired', 'the ID token has expired; get a fresh one from Firebase Auth');
    case 'auth/id-token-revoked':
      return new AuthError('token_revoked', 'the ID token has been revoked; sign in again');
    case 'auth/user-disabled':
      return new AuthError('token_revoked', 'the account behind this ID token is disabled');
    case 'auth/user-not-found':
      return new AuthError('token_revoked', 'the account behind this ID token no longer exists');
    case 'auth/argument-error':
    case 'auth/invalid-id-token':
      // The SDK reports "could not fetch Google's certificates" with this same code; that is our outage,
      // not a bad token, and must not turn into a 401 that tells the caller to sign in again.
      if (KEY_FETCH_FAILURE.test((error as Error).message)) return undefined;
      // The SDK's message says which check failed (audience, issuer, signature); it names no secrets.
      return new AuthError('token_invalid', `the ID token is not valid: ${(error as Error).message}`);
    default:
      return undefined;
  }
}
