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
  const projectId = `mdraft-test-${randomBytes(6).toString('hex')}`;
  const firestore = new Firestore({ projectId });
  const peer = new Firestore({ projectId });
  return {
    jobs: new FirestoreJobStore({ firestore, ...options }),
    accounts: new FirestoreAccountStore({ firestore }),
    peerJobs: new FirestoreJobStore({ firestore: peer, ...options }),
    // One client for both stores: terminating it once closes both (and the peer's own client).
    dispose: async () => {
      await Promise.all([firestore.terminate(), peer.terminate()]);
    },
  };
}
