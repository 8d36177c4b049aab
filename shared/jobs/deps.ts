/** Everything a use case needs, passed explicitly (no globals), so tests wire fakes or real adapters. */
import type { Config } from '../config.ts';
import type { BlobStore, Identity, JobStore, TaskQueue } from '../ports.ts';
import type { ConversionRunner } from './runner.ts';

export interface PipelineDeps {
  config: Config;
  jobs: JobStore;
  uploads: BlobStore;
  results: BlobStore;
  tasks: TaskQueue;
  identity: Identity;
  runner: ConversionRunner;
  now: () => number;
}
