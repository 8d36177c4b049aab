/**
 * The analysis engine from configuration (`MDRAFT_ANALYZER`): the offline engine (default), or Gemini on
 * Vertex AI, whose client (`@google/genai`) loads on the first analysis, so instances that never analyse never
 * load it.
 */
import { createOfflineAnalyzer } from '../analysis/offline.ts';
import type { Analyzer } from '../analysis/port.ts';
import type { Config } from '../service/config.ts';

export function analyzerFromConfig(config: Pick<Config, 'analysis'>): Analyzer {
  const { engine, project, location, model } = config.analysis;
  if (engine === 'offline' || !project) return createOfflineAnalyzer();
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
