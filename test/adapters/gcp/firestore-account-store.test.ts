/**
 * The AccountStore contract against the official Firestore emulator, started and stopped by this suite
 * (with the job store on the same project: usage is counted by its completions). Without gcloud the suite
 * FAILS (see test/setup/firestore-emulator.ts) unless MDRAFT_SKIP_EMULATOR=1 says so.
 */
import type { FirestoreAccountStore } from '../../../shared/adapters/gcp/firestore-account-store.ts';
import { describeAccountStoreContract } from '../../contracts/account-store.contract.ts';
import { withFirestoreEmulator } from '../../setup/firestore-emulator.ts';
import { newFirestoreStores, type FirestoreStores } from './firestore-stores.ts';

withFirestoreEmulator('the AccountStore contract for Firestore', () => {
  describeAccountStoreContract('Firestore (official emulator)', async () => newFirestoreStores());

  describe('FirestoreAccountStore specifics', () => {
    let h: FirestoreStores;
    let store: FirestoreAccountStore;
    beforeEach(() => {
      h = newFirestoreStores();
      store = h.accounts;
    });
    afterEach(async () => h.dispose());

    test('API keys live under their SHA-256 hash; other ids are never documents', async () => {
      const key = { id: 'd'.repeat(64), owner: 'alice', name: 'ci', prefix: 'mdk_dddd', createdAt: 1 };
      await store.createApiKey(key);
      expect((await store.firestore.collection('apiKeys').doc(key.id).get()).exists).toBe(true);
      await expect(store.createApiKey({ ...key, id: 'plain-text-key' })).rejects.toThrow(/SHA-256/);
      expect(await store.findApiKeyByHash('../users/alice')).toBeUndefined();
      expect(await store.revokeApiKey('alice', '../apiKeys/x', 2)).toBe(false);
    });

    test('user ids that are not plain document ids are hashed, not used as paths', async () => {
      const odd = 'tenant/alice';
      expect(await store.ensureUser({ id: odd, now: 5 })).toEqual({ id: odd, createdAt: 5 });
      expect(await store.ensureUser({ id: odd, email: 'a@example.com', now: 6 })).toEqual({
        id: odd,
        email: 'a@example.com',
        createdAt: 5,
      });
      const users = await store.firestore.collection('users').get();
      expect(users.docs.map((d) => d.id)).toEqual([expect.stringMatching(/^h_[0-9a-f]{64}$/)]);
    });
  });
});
