/**
 * The analysis engine from configuration (`MDRAFT_ANALYZER`): the offline engine (default; a large document is
 * analysed in a worker thread, `offline-analyzer-thread.ts`), or Gemini on
 * Vertex AI, whose client (`@google/genai`) loads on the first analysis, so instances that never analyse never
 * load it.
 */
import { createThreadedOfflineAnalyzer } from './offline-analyzer-thread.ts';
import type { Analyzer } from '../analysis/port.ts';
import type { Config } from '../service/config.ts';

/** Budget of one offline analysis in its thread, ms (a large document's: `offline-analyzer-thread.ts`). */
const OFFLINE_BUDGET_MS = 300_000;

export function analyzerFromConfig(config: Pick<Config, 'analysis'>): Analyzer {
  const { engine, project, location, model } = config.analysis;
  if (engine === 'offline' || !project) return createThreadedOfflineAnalyzer(OFFLINE_BUDGET_MS);
  let made: Promise<Analyzer> | undefined;
  const make = async () => {
    const { createGeminiAnalyzerForProject } = await import('./gcp/gemini-analyzer.ts');
    return createGeminiAnalyzerForProject({ project, location, model });
  };
  return {
    engine: 'gemini',
    analyze: async (doc, request) => (await (made ??= make())).analyze(doc, request),
  };
}
