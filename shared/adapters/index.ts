/**
 * Chooses the adapters from configuration: `local` (the embedded default) or `gcp` (Cloud Storage,
 * Firestore, Cloud Tasks, Firebase Auth; `./gcp/index.ts`, loaded only when chosen). A gcp configuration
 * missing a setting fails here with a ConfigError naming it, never by falling back to local. The analysis engine
 * (`analyzer-factory.ts`) is chosen the same way on both backends.
 */
import type { Config } from '../service/config.ts';
import type { PipelinePorts } from '../service/ports.ts';
import type { LocalAdapters } from './local/index.ts';
import { analyzerFromConfig } from './analyzer-factory.ts';

export interface Adapters extends PipelinePorts {
  /** Set for the local backend: the pieces the embedded server needs beyond the ports. */
  local?: LocalAdapters;
  close(): Promise<void>;
}

export async function createAdapters(config: Config): Promise<Adapters> {
  if (config.backend === 'gcp') {
    const { createGcpAdapters } = await import('./gcp/index.ts');
    return { ...createGcpAdapters(config), analyzer: analyzerFromConfig(config) };
  }
  // Loaded on demand like gcp: node:sqlite is only linked where the embedded default really runs.
  const { createLocalAdapters } = await import('./local/index.ts');
  const local = createLocalAdapters(config);
  return {
    jobs: local.jobs,
    accounts: local.accounts,
    uploads: local.uploads,
    results: local.results,
    tasks: local.tasks,
    webhooks: local.webhooks,
    identity: local.identity,
    billing: local.billing,
    rateLimiter: local.rateLimiter,
    userAdmin: local.userAdmin,
    audit: local.audit,
    checkout: local.checkout,
    identityAdmin: local.identityAdmin,
    analyzer: analyzerFromConfig(config),
    local,
    close: () => local.close(),
  };
}
