/**
 * Imported first by `functions/index.ts` so that Sentry is initialised before the other modules load (its
 * instrumentation hooks modules as they are imported). Reads only the environment; an invalid
 * configuration is left for the functions to report when they start.
 */
import { loadConfig } from '../config.ts';
import { initSentry } from './sentry.ts';

try {
  initSentry(loadConfig(process.env).sentry);
} catch {
  // ConfigError: the first request fails with the full message; nothing to report to yet.
}
