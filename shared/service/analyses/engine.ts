/** The analysis engine in force: the configured one (`PipelinePorts.analyzer`), else the offline engine. */
import { createOfflineAnalyzer } from '../../analysis/offline.ts';
import type { Analyzer } from '../../analysis/port.ts';
import type { PipelinePorts } from '../ports.ts';

const offline = createOfflineAnalyzer();

export function analyzerOf(deps: Pick<PipelinePorts, 'analyzer'>): Analyzer {
  return deps.analyzer ?? offline;
}
