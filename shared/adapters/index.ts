/**
 * Chooses the adapters from configuration: `local` (the embedded default) or `gcp` (Cloud Storage,
 * Firestore, Cloud Tasks, Firebase Auth). The GCP adapters are the next step; until they land, asking
 * for them fails loudly instead of falling back.
 */
import type { Config } from '../config.ts';
import type { BlobStore, Identity, JobStore, TaskQueue } from '../ports.ts';
import { createLocalAdapters, type LocalAdapters } from './local/index.ts';

export interface Adapters {
  jobs: JobStore;
  uploads: BlobStore;
  results: BlobStore;
  tasks: TaskQueue;
  identity: Identity;
  /** Set for the local backend: the pieces the embedded server needs beyond the ports. */
  local?: LocalAdapters;
  close(): Promise<void>;
}

export class BackendUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackendUnavailableError';
  }
}

export async function createAdapters(config: Config): Promise<Adapters> {
  if (config.backend === 'gcp') {
    throw new BackendUnavailableError('the GCP adapters (Cloud Storage, Firestore, Cloud Tasks, Firebase Auth) are not yet available; use MDRAFT_BACKEND=local');
  }
  const local = createLocalAdapters(config);
  return { jobs: local.jobs, uploads: local.uploads, results: local.results, tasks: local.tasks, identity: local.identity, local, close: () => local.close() };
}
