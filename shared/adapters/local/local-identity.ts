/**
 * `Identity` (and `IdentityAdmin`) for the embedded default. Without Firebase it refuses ID tokens with a clear
 * message: callers use API keys (`npx mdraft dev-key`) or the one-time sign-in link. With the Firebase Auth
 * emulator configured (`FIREBASE_AUTH_EMULATOR_HOST`, `scripts/auth-emulator.ts` starts one) it verifies the
 * emulator's ID tokens through firebase-admin, the same `FirebaseIdentity` the cloud uses: in emulator mode
 * firebase-admin accepts the emulator's unsigned tokens (its documented emulator behaviour; expiry, audience
 * and issuer are still checked) and asks the emulator, not Google, whether the user was revoked or disabled.
 * The user record is created on the first verified identity by `authenticate` (`ensureUser`), as in the cloud.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { AuthError, type Identity, type IdentityAdmin, type VerifiedIdentity } from '../../service/ports.ts';
import type { FirebaseIdentity } from '../gcp/firebase-identity.ts';

export interface LocalIdentityOptions {
  /** The Firebase Auth emulator (`host:port`) and the project its tokens name; absent = ID tokens refused. */
  authEmulator?: { host: string; projectId: string };
}

export class LocalIdentity implements Identity, IdentityAdmin {
  private readonly authEmulator: LocalIdentityOptions['authEmulator'];
  /** Created on first use: firebase-admin is not loaded by servers that never see an ID token. */
  private firebase: Promise<FirebaseIdentity> | undefined;

  constructor(options: LocalIdentityOptions = {}) {
    this.authEmulator = options.authEmulator;
  }

  /** Whether ID tokens are verified (against the Auth emulator) rather than refused. */
  get acceptsIdTokens(): boolean {
    return this.authEmulator !== undefined;
  }

  async verifyIdToken(token: string): Promise<VerifiedIdentity> {
    const firebase = await this.emulated();
    if (!firebase)
      throw new AuthError(
        'token_unsupported',
        'Firebase ID tokens are not accepted by the embedded server unless FIREBASE_AUTH_EMULATOR_HOST names a ' +
          'Firebase Auth emulator; send X-API-Key (get one with `npx mdraft dev-key`)',
      );
    return firebase.verifyIdToken(token);
  }

  /** On the emulator: its refresh tokens are revoked. Without it there are no sessions but API keys. */
  async revokeRefreshTokens(uid: string): Promise<void> {
    await (await this.emulated())?.revokeRefreshTokens(uid);
  }

  /** On the emulator: the `admin` custom claim. Without it the store's admin flag is all there is. */
  async setAdminClaim(uid: string, admin: boolean): Promise<void> {
    await (await this.emulated())?.setAdminClaim(uid, admin);
  }

  async close(): Promise<void> {
    const firebase = this.firebase;
    this.firebase = undefined;
    if (firebase) await (await firebase).close();
  }

  private emulated(): Promise<FirebaseIdentity | undefined> {
    const emulator = this.authEmulator;
    if (!emulator) return Promise.resolve(undefined);
    this.firebase ??= (async () => {
      // firebase-admin takes the emulator only from process.env, read when its Auth instance is created;
      // the configuration may come from another environment object (tests, `startLocalServer({ env })`).
      process.env.FIREBASE_AUTH_EMULATOR_HOST = emulator.host;
      const { FirebaseIdentity } = await import('../gcp/firebase-identity.ts');
      // Revocation checked on every token: one loopback call to the emulator, and `revokeRefreshTokens` or a
      // disabled account then takes effect on the next request, as with MDRAFT_FIREBASE_CHECK_REVOKED in the cloud.
      return new FirebaseIdentity({ projectId: emulator.projectId, checkRevoked: true });
    })();
    return this.firebase;
  }
}

/**
 * The embedded default's one-time sign-in link (the Jupyter habit): `npm start` prints
 * `<url>/signin?token=<token>`; opening it once exchanges the token for a session (`functions/local.ts`).
 * The token carries 256 random bits, lives in memory only (a restart prints a new one), is compared in
 * constant time through its SHA-256, and works once: a second use, or a use after `ttlMs`, is refused.
 */
export class OneTimeSignIn {
  private hash: Buffer | undefined;
  private expiresAt = 0;
  private readonly ttlMs: number;

  constructor(options: { ttlMs?: number } = {}) {
    this.ttlMs = options.ttlMs ?? 24 * 3600_000;
  }

  /** A new token; any earlier one stops working. */
  issue(now: number): string {
    const token = randomBytes(32).toString('base64url');
    this.hash = createHash('sha256').update(token).digest();
    this.expiresAt = now + this.ttlMs;
    return token;
  }

  /** True exactly once for the current token before it expires. */
  redeem(token: string, now: number): boolean {
    if (!this.hash || now > this.expiresAt) return false;
    const given = createHash('sha256').update(token).digest();
    if (!timingSafeEqual(given, this.hash)) return false;
    this.hash = undefined;
    return true;
  }
}
