/**
 * `IdentityAdmin` for the embedded default: there is no Firebase project, so there are no refresh tokens to
 * revoke (API keys are revoked in the store) and no custom claims (the admin flag lives in the store,
 * `UserAdminStore.setAdmin`). Both calls succeed without effect, and the admin routes say so in their answer.
 */
import type { IdentityAdmin } from '../../service/ports.ts';

export class LocalIdentityAdmin implements IdentityAdmin {
  readonly kind = 'local' as const;
  async revokeRefreshTokens(_uid: string): Promise<void> {}
  async setAdminClaim(_uid: string, _admin: boolean): Promise<void> {}
}
