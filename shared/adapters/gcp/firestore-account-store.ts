/**
 * `AccountStore` on Firestore: `users/<uid>` (user ids that are not plain document ids are hashed),
 * `apiKeys/<sha256 of the key>`, `usage/<YYYY-MM>_<uid>` (written by `FirestoreJobStore.complete` in the
 * job's transaction; read here), `stripeCustomers/<customer id>` → `{ userId }` and `billingEvents/<event
 * id>` (the webhook events applied). Creation uses `create()`; every read-then-write runs in
 * `runTransaction`. Use the same `Firestore` and `collectionPrefix` as the deployment's `FirestoreJobStore`.
 */
import { FieldValue } from '@google-cloud/firestore';
import type { CollectionReference, Firestore } from '@google-cloud/firestore';
import type {
  AccountStore,
  ApiKeyRecord,
  BillingEvent,
  BillingEventOutcome,
  QuotaState,
  UsageDay,
  UsageRecord,
  UserPatch,
  UserRecord,
  UserStatus,
} from '../../service/ports.ts';
import { docIdFor, quotaDocId, usageDocId, withoutUndefined } from './firestore-docs.ts';
import { nextBillingState } from '../../service/accounts/billing-state.ts';

export interface FirestoreAccountStoreOptions {
  firestore: Firestore;
  /** Prefixed to every collection name (several deployments or test runs in one database). */
  collectionPrefix?: string;
}

export class FirestoreAccountStore implements AccountStore {
  readonly firestore: Firestore;
  private readonly users: CollectionReference;
  private readonly keys: CollectionReference;
  private readonly usage: CollectionReference;
  /** `stripeCustomers/<customer id>` → `{ userId }`; `billingEvents/<event id>`: webhook events applied. */
  private readonly customers: CollectionReference;
  private readonly billingEvents: CollectionReference;
  /** Written by `FirestoreJobStore`'s transitions; read here. */
  private readonly quota: CollectionReference;
  private readonly usageDays: CollectionReference;

  constructor(options: FirestoreAccountStoreOptions) {
    this.firestore = options.firestore;
    const prefix = options.collectionPrefix ?? '';
    this.users = this.firestore.collection(`${prefix}users`);
    this.keys = this.firestore.collection(`${prefix}apiKeys`);
    this.usage = this.firestore.collection(`${prefix}usage`);
    this.customers = this.firestore.collection(`${prefix}stripeCustomers`);
    this.billingEvents = this.firestore.collection(`${prefix}billingEvents`);
    this.quota = this.firestore.collection(`${prefix}quota`);
    this.usageDays = this.firestore.collection(`${prefix}usageDays`);
  }

  async ensureUser(user: { id: string; email?: string; displayName?: string; now: number }): Promise<UserRecord> {
    const ref = this.users.doc(docIdFor(user.id));
    return this.firestore.runTransaction(async (tx) => {
      const snap = await tx.get(ref);
      if (!snap.exists) {
        const created: UserDoc = {
          id: user.id,
          createdAt: user.now,
          ...(user.email ? { email: user.email } : {}),
          ...(user.displayName ? { displayName: user.displayName } : {}),
        };
        tx.create(ref, created);
        return toUser(created);
      }
      const existing = snap.data() as UserDoc;
      if (user.email && existing.email !== user.email) {
        tx.update(ref, { email: user.email });
        return toUser({ ...existing, email: user.email });
      }
      return toUser(existing);
    });
  }

  async updateUser(id: string, patch: UserPatch): Promise<UserRecord | undefined> {
    const ref = this.users.doc(docIdFor(id));
    return this.firestore.runTransaction(async (tx) => {
      const snap = await tx.get(ref);
      if (!snap.exists) return undefined;
      const changes: Partial<UserDoc> = withoutUndefined(patch);
      if (patch.status !== 'suspended') delete changes.suspendedAt;
      const after: UserDoc = { ...(snap.data() as UserDoc), ...changes };
      // A reactivation clears the suspension time (`UserPatch`).
      if (patch.status === 'active') delete after.suspendedAt;
      if (Object.keys(changes).length > 0)
        tx.update(ref, patch.status === 'active' ? { ...changes, suspendedAt: FieldValue.delete() } : changes);
      return toUser(after);
    });
  }

  async deleteUser(id: string): Promise<boolean> {
    const ref = this.users.doc(docIdFor(id));
    const keys = await this.keys.where('owner', '==', id).get();
    return this.firestore.runTransaction(async (tx) => {
      const snap = await tx.get(ref);
      const user = snap.exists ? (snap.data() as UserDoc) : undefined;
      const link = user?.stripeCustomerId ? this.customers.doc(docIdFor(user.stripeCustomerId)) : undefined;
      const linkSnap = link ? await tx.get(link) : undefined;
      for (const k of keys.docs) tx.delete(k.ref);
      if (link && linkSnap?.exists && (linkSnap.data() as { userId: string }).userId === id) tx.delete(link);
      if (snap.exists) tx.delete(ref);
      return snap.exists;
    });
  }

  async getQuota(owner: string, month: string): Promise<QuotaState> {
    const snap = await this.quota.doc(quotaDocId(owner, month)).get();
    const d = snap.exists ? (snap.data() as { used?: number; reserved?: number }) : {};
    return { owner, month, used: d.used ?? 0, reserved: d.reserved ?? 0 };
  }

  async listUsageDays(owner: string, range: { from: string; to: string }): Promise<UsageDay[]> {
    // Index: owner ASC, day ASC.
    const snap = await this.usageDays
      .where('owner', '==', owner)
      .where('day', '>=', range.from)
      .where('day', '<=', range.to)
      .orderBy('day')
      .get();
    const rows: UsageDay[] = [];
    for (const doc of snap.docs) {
      const d = doc.data() as { day: string; formats?: Record<string, Partial<UsageDay>> };
      for (const format of Object.keys(d.formats ?? {}).sort()) {
        const f = d.formats![format];
        rows.push({
          owner,
          day: d.day,
          format,
          jobs: f.jobs ?? 0,
          failures: f.failures ?? 0,
          units: f.units ?? 0,
          pages: f.pages ?? 0,
        });
      }
    }
    return rows;
  }

  async createApiKey(key: ApiKeyRecord): Promise<void> {
    const ref = this.keyRef(key.id);
    if (!ref) throw new Error('an API key id is the SHA-256 hex of the key');
    await ref.create(withoutUndefined(key));
  }

  async findApiKeyByHash(id: string): Promise<ApiKeyRecord | undefined> {
    const snap = await this.keyRef(id)?.get();
    return snap?.exists ? (snap.data() as ApiKeyRecord) : undefined;
  }

  async listApiKeys(owner: string): Promise<ApiKeyRecord[]> {
    const snap = await this.keys.where('owner', '==', owner).orderBy('createdAt').orderBy('id').get();
    return snap.docs.map((d) => d.data() as ApiKeyRecord);
  }

  async revokeApiKey(owner: string, id: string, now: number): Promise<boolean> {
    const ref = this.keyRef(id);
    if (!ref) return false;
    return this.firestore.runTransaction(async (tx) => {
      const snap = await tx.get(ref);
      const key = snap.exists ? (snap.data() as ApiKeyRecord) : undefined;
      if (!key || key.owner !== owner || key.revokedAt !== undefined) return false;
      tx.update(ref, { revokedAt: now });
      return true;
    });
  }

  async getUsage(owner: string, month: string): Promise<UsageRecord> {
    const snap = await this.usage.doc(usageDocId(owner, month)).get();
    const data = snap.exists ? (snap.data() as { jobs?: number; pages?: number }) : undefined;
    return { owner, month, jobs: data?.jobs ?? 0, pages: data?.pages ?? 0 };
  }

  async getUser(id: string): Promise<UserRecord | undefined> {
    const snap = await this.users.doc(docIdFor(id)).get();
    return snap.exists ? toUser(snap.data() as UserDoc) : undefined;
  }

  async applyBillingEvent(event: BillingEvent): Promise<BillingEventOutcome> {
    const eventRef = this.billingEvents.doc(docIdFor(event.eventId));
    const customerRef = this.customers.doc(docIdFor(event.customerId));
    return this.firestore.runTransaction(async (tx): Promise<BillingEventOutcome> => {
      // Every read happens before any write (a Firestore transaction rule).
      const [seen, link, namedSnap] = await Promise.all([
        tx.get(eventRef),
        tx.get(customerRef),
        event.userId ? tx.get(this.users.doc(docIdFor(event.userId))) : Promise.resolve(undefined),
      ]);
      if (seen.exists) return 'duplicate';
      const linkedUser = link.exists ? (link.data() as { userId: string }).userId : undefined;
      const userRef = namedSnap?.exists ? namedSnap.ref : linkedUser ? this.users.doc(docIdFor(linkedUser)) : undefined;
      const userSnap = namedSnap?.exists ? namedSnap : userRef ? await tx.get(userRef) : undefined;
      const user = userSnap?.exists ? (userSnap.data() as UserDoc) : undefined;
      let previousOwner: UserDoc | undefined;
      if (user && linkedUser && linkedUser !== user.id) {
        const prev = await tx.get(this.users.doc(docIdFor(linkedUser)));
        previousOwner = prev.exists ? (prev.data() as UserDoc) : undefined;
      }
      const next = user
        ? nextBillingState(
            {
              ...(user.plan ? { plan: user.plan } : {}),
              ...(user.billingActive !== undefined ? { active: user.billingActive } : {}),
              ...(user.billingEventAt !== undefined ? { eventAt: user.billingEventAt } : {}),
              ...(user.graceUntil !== undefined ? { graceUntil: user.graceUntil } : {}),
            },
            event,
          )
        : undefined;
      const outcome: BillingEventOutcome = !user ? 'unmatched' : next === 'stale' ? 'stale' : 'applied';
      tx.create(eventRef, { id: event.eventId, type: event.type, outcome, receivedAt: event.now });
      if (outcome !== 'applied' || !user || !userRef || !next || next === 'stale') return outcome;
      // A customer belongs to one user: linking it here unlinks it from the previous one.
      if (previousOwner)
        tx.update(this.users.doc(docIdFor(previousOwner.id)), { stripeCustomerId: FieldValue.delete() });
      tx.set(customerRef, { userId: user.id });
      tx.update(userRef, {
        stripeCustomerId: event.customerId,
        plan: next.plan ?? FieldValue.delete(),
        billingActive: next.active ?? FieldValue.delete(),
        billingEventAt: next.eventAt ?? FieldValue.delete(),
        graceUntil: next.graceUntil ?? FieldValue.delete(),
      });
      return outcome;
    });
  }

  /** Terminates the `Firestore` client (shared with the job store when wired together: close one of them). */
  async close(): Promise<void> {
    await this.firestore.terminate();
  }

  private keyRef(id: string) {
    return /^[0-9a-f]{64}$/.test(id) ? this.keys.doc(id) : undefined;
  }
}

/** A `users` document as a `UserRecord` (also `FirestoreUserAdminStore`'s reading of it). */
export function toUser(d: UserDoc): UserRecord {
  return {
    id: d.id,
    ...(d.email ? { email: d.email } : {}),
    ...(d.displayName ? { displayName: d.displayName } : {}),
    createdAt: d.createdAt,
    ...(d.lastSeenAt !== undefined ? { lastSeenAt: d.lastSeenAt } : {}),
    ...(d.status ? { status: d.status } : {}),
    ...(d.status === 'suspended' && d.suspendedAt !== undefined ? { suspendedAt: d.suspendedAt } : {}),
    ...(d.admin === true ? { admin: true } : {}),
    ...(d.stripeCustomerId ? { stripeCustomerId: d.stripeCustomerId } : {}),
    ...(d.plan ? { plan: d.plan } : {}),
    ...(d.billingActive !== undefined ? { billingActive: d.billingActive } : {}),
    ...(d.graceUntil !== undefined ? { graceUntil: d.graceUntil } : {}),
  };
}

export interface UserDoc {
  id: string;
  email?: string;
  displayName?: string;
  lastSeenAt?: number;
  /** Status, suspension time and admin flag: also written by `FirestoreUserAdminStore` (the same document). */
  status?: UserStatus;
  suspendedAt?: number;
  admin?: boolean;
  createdAt: number;
  stripeCustomerId?: string;
  plan?: string;
  billingActive?: boolean;
  /** Creation time of the last subscription event applied (out-of-order deliveries older than it are stale). */
  billingEventAt?: number;
  /** End of a payment grace period (`shared/service/accounts/billing-state.ts`). */
  graceUntil?: number;
}
