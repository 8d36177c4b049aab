/**
 * The administration stores' contract (rate limiter, user administration, audit log) against the official
 * Firestore emulator, with the account store on the same project. Without gcloud the suite FAILS (see
 * test/setup/firestore-emulator.ts) unless MDRAFT_SKIP_EMULATOR=1 says so.
 */
import { randomBytes } from 'node:crypto';
import { Firestore } from '@google-cloud/firestore';
import { FirestoreAccountStore } from '../../../shared/adapters/gcp/firestore-account-store.ts';
import { FirestoreRateLimiter, shardCount } from '../../../shared/adapters/gcp/firestore-rate-limiter.ts';
import { FirestoreUserAdminStore } from '../../../shared/adapters/gcp/firestore-user-admin.ts';
import { FirestoreAuditLog } from '../../../shared/adapters/gcp/firestore-audit-log.ts';
import { describeAdminStoresContract, type AdminStoresHandle } from '../../contracts/account-admin.contract.ts';
import { withFirestoreEmulator } from '../../setup/firestore-emulator.ts';

function stores(): AdminStoresHandle & { firestore: Firestore } {
  const firestore = new Firestore({ projectId: `mdraft-test-${randomBytes(6).toString('hex')}` });
  return {
    firestore,
    accounts: new FirestoreAccountStore({ firestore }),
    rateLimiter: new FirestoreRateLimiter({ firestore }),
    userAdmin: new FirestoreUserAdminStore({ firestore }),
    audit: new FirestoreAuditLog({ firestore, retentionMs: 30 * 86_400_000 }),
    dispose: () => firestore.terminate(),
  };
}

test('shards: the per-second rate of the limit, rounded up, between 1 and 100', () => {
  expect(shardCount(60, 60_000)).toBe(1);
  expect(shardCount(61, 60_000)).toBe(2);
  expect(shardCount(600, 60_000)).toBe(10);
  expect(shardCount(3000, 60_000)).toBe(50);
  expect(shardCount(1_000_000, 60_000)).toBe(100);
});

withFirestoreEmulator('the administration stores contract for Firestore', () => {
  describeAdminStoresContract('Firestore (official emulator)', async () => stores());

  describe('Firestore administration specifics', () => {
    test('a busy key is spread over several counter documents whose sum is the count; each has a TTL', async () => {
      const h = stores();
      try {
        let n = 0;
        const limiter = new FirestoreRateLimiter({ firestore: h.firestore, random: () => (n++ % 4) / 4 });
        const p = { limit: 240, windowMs: 60_000, now: Date.UTC(2027, 0, 1, 0, 0, 30) };
        for (let i = 0; i < 8; i++) await limiter.hit('user:busy', p);
        const docs = await h.firestore.collection('rateLimits').get();
        expect(docs.size).toBe(4);
        expect(docs.docs.map((d) => d.get('count') as number)).toEqual([2, 2, 2, 2]);
        expect(docs.docs[0].get('expiresAt').toMillis()).toBe(Date.UTC(2027, 0, 1, 0, 2, 0));
        expect(await limiter.hit('user:busy', p)).toMatchObject({ allowed: true, remaining: 240 - 9 });
      } finally {
        await h.dispose();
      }
    });

    test('status and admin flag are fields of the user document; audit entries carry expiresAt', async () => {
      const h = stores();
      try {
        await h.accounts.ensureUser({ id: 'alice', now: 1 });
        await h.userAdmin.setStatus('alice', 'suspended', 2);
        const doc = await h.firestore.collection('users').doc('alice').get();
        expect(doc.data()).toMatchObject({ id: 'alice', status: 'suspended', suspendedAt: 2 });
        await h.audit.append({ id: '0000000000005_x', at: 5, actor: 'r', action: 'a', target: 't', requestId: 'q' });
        const entry = await h.firestore.collection('auditLog').doc('0000000000005_x').get();
        expect(entry.get('expiresAt').toMillis()).toBe(5 + 30 * 86_400_000);
      } finally {
        await h.dispose();
      }
    });
  });
});
