/**
 * The embedded default has no Firebase project to check ID tokens against, so it refuses them with a
 * clear message and callers use API keys (`npx mdraft dev-key`). The GCP adapter verifies tokens with
 * firebase-admin.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { AuthError, type Identity, type VerifiedIdentity } from '../../service/ports.ts';

export class LocalIdentity implements Identity {
  async verifyIdToken(_token: string): Promise<VerifiedIdentity> {
    throw new AuthError(
      'token_unsupported',
      'Firebase ID tokens are not accepted by the embedded server; send X-API-Key (get one with `npx mdraft dev-key`)',
    );
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
