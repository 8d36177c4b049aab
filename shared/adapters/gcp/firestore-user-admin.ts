/**
 * `UserAdminStore` on Firestore: the status, admin flag and suspension time are fields of the user's own
 * document (`users/<uid>`, the `FirestoreAccountStore`'s), so `FirestoreAccountStore.getUser` (what
 * authentication reads, one document per request) sees every change made here.
 * Searches: by id (`orderBy('id')`, a single-field index), by email prefix (`email` range ordered by
 * `(email, id)`: the composite index in `firestore-indexes.json`). Emails match as stored (Firebase Auth
 * stores them lower-cased).
 */
import type { CollectionReference, DocumentData, Firestore, Query } from '@google-cloud/firestore';
import { FieldValue } from '@google-cloud/firestore';
import type { AdminUserPage, AdminUserView, UserAdminStore, UserStatus } from '../../service/ports.ts';
import { decodeCursor, prefixEnd, userPage } from '../admin-cursor.ts';
import { docIdFor } from './firestore-docs.ts';
import { toUser, type UserDoc } from './firestore-account-store.ts';

const NOT_FOUND = 5;

export class FirestoreUserAdminStore implements UserAdminStore {
  private readonly users: CollectionReference;

  /** The same `Firestore` and prefix as the deployment's `FirestoreAccountStore`. */
  constructor(options: { firestore: Firestore; collectionPrefix?: string }) {
    this.users = options.firestore.collection(`${options.collectionPrefix ?? ''}users`);
  }

  async getUserView(userId: string): Promise<AdminUserView | undefined> {
    const d = await this.doc(userId);
    return d ? view(d) : undefined;
  }

  async searchUsers(input: {
    idPrefix?: string;
    emailPrefix?: string;
    limit: number;
    cursor?: string;
  }): Promise<AdminUserPage> {
    const after = input.cursor ? decodeCursor(input.cursor) : undefined;
    const byEmail = input.emailPrefix !== undefined;
    let q: Query<DocumentData> = this.users;
    const prefix = byEmail ? input.emailPrefix! : (input.idPrefix ?? '');
    const field = byEmail ? 'email' : 'id';
    if (prefix) q = q.where(field, '>=', prefix).where(field, '<', prefixEnd(prefix));
    q = byEmail ? q.orderBy('email').orderBy('id') : q.orderBy('id');
    if (after) q = byEmail ? q.startAfter(after[0], after[1] ?? '') : q.startAfter(after[0]);
    const snap = await q.limit(input.limit + 1).get();
    return userPage(
      snap.docs.map((s) => s.data() as UserDoc),
      input.limit,
      byEmail,
      view,
    );
  }

  async setStatus(userId: string, status: UserStatus, now: number): Promise<boolean> {
    return this.update(userId, {
      status,
      suspendedAt: status === 'suspended' ? now : FieldValue.delete(),
    });
  }

  async setAdmin(userId: string, admin: boolean): Promise<boolean> {
    return this.update(userId, { admin });
  }

  async setPlan(userId: string, plan: string): Promise<boolean> {
    return this.update(userId, { plan });
  }

  /** `update` refuses a missing document (NOT_FOUND): no user is ever created here. */
  private async update(userId: string, data: Record<string, unknown>): Promise<boolean> {
    try {
      await this.users.doc(docIdFor(userId)).update(data);
      return true;
    } catch (error) {
      if ((error as { code?: unknown }).code === NOT_FOUND) return false;
      throw error;
    }
  }

  private async doc(userId: string): Promise<UserDoc | undefined> {
    const snap = await this.users.doc(docIdFor(userId)).get();
    return snap.exists ? (snap.data() as UserDoc) : undefined;
  }
}

function view(d: UserDoc): AdminUserView {
  const user = toUser(d);
  return { ...user, status: user.status ?? 'active', admin: user.admin === true };
}
