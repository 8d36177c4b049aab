/**
 * The two Firestore stores on one client and prefix, as `createGcpAdapters` wires them, for the store
 * contracts (test/contracts). One emulator project per call: the emulator keeps projects apart, so every
 * pair starts empty. Needs `FIRESTORE_EMULATOR_HOST` set (test/setup/firestore-emulator.ts).
 */
import { randomBytes } from 'node:crypto';
import { Firestore } from '@google-cloud/firestore';
import { FirestoreJobStore } from '../../../shared/adapters/gcp/firestore-job-store.ts';
import { FirestoreAccountStore } from '../../../shared/adapters/gcp/firestore-account-store.ts';
import type { StoreHandle } from '../../contracts/job-store.contract.ts';

export interface FirestoreStores extends StoreHandle {
  jobs: FirestoreJobStore;
  accounts: FirestoreAccountStore;
}

export function newFirestoreStores(options: { retentionMs?: number } = {}): FirestoreStores {
  const firestore = new Firestore({ projectId: `mdraft-test-${randomBytes(6).toString('hex')}` });
  return {
    jobs: new FirestoreJobStore({ firestore, ...options }),
    accounts: new FirestoreAccountStore({ firestore }),
    // One client for both: terminating it once closes both stores.
    dispose: () => firestore.terminate(),
  };
}
