/**
 * The embedded default has no Firebase project to check ID tokens against, so it refuses them with a
 * clear message and callers use API keys (`npx mdraft dev-key`). The GCP adapter verifies tokens with
 * firebase-admin.
 */
import { AuthError, type Identity, type VerifiedIdentity } from '../../service/ports.ts';

export class LocalIdentity implements Identity {
  async verifyIdToken(_token: string): Promise<VerifiedIdentity> {
    throw new AuthError(
      'token_unsupported',
      'Firebase ID tokens are not accepted by the embedded server; send X-API-Key (get one with `npx mdraft dev-key`)',
    );
  }
}
