/** Everything a use case needs, passed explicitly (no globals), so tests wire fakes or real adapters. */
import type { Config } from '../config.ts';
import type { PipelinePorts } from '../ports.ts';
import type { ConversionRunner } from './runner.ts';

export interface PipelineDeps extends PipelinePorts {
  config: Config;
  runner: ConversionRunner;
  now: () => number;
}
