/** Everything a use case needs, passed explicitly (no globals), so tests wire fakes or real adapters. */
import type { Config } from '../config.ts';
import type { PipelinePorts } from '../ports.ts';
import type { ConversionRunner, PageCounter } from './runner.ts';

export interface PipelineDeps extends PipelinePorts {
  config: Config;
  runner: ConversionRunner;
  /**
   * Counts PDF pages / PPTX slides in the sandbox before conversion (`createSandboxRunner().countPages`);
   * absent = paged uploads are counted by the size rule (bytes are never inspected without a budget).
   */
  countPages?: PageCounter;
  /**
   * Checks the configured OCR engine can start (its module and language data resolve; a Document AI processor
   * is named), for the admin health check: resolves to what was checked, rejects with why not. Absent: OCR off.
   */
  ocrProbe?: () => Promise<string>;
  now: () => number;
}
