/** Everything a use case needs, passed explicitly (no globals), so tests wire fakes or real adapters. */
import type { Config } from '../config.ts';
import type { Billing, BlobStore, Identity, JobStore, Llm, TaskQueue } from '../ports.ts';
import type { ConversionRunner } from './runner.ts';

export interface PipelineDeps {
  config: Config;
  jobs: JobStore;
  uploads: BlobStore;
  results: BlobStore;
  tasks: TaskQueue;
  identity: Identity;
  /** Usage reporting after a job succeeds; absent = billing off. */
  billing?: Billing;
  /** Optional LLM tidy-up of the converted Markdown, guarded against added content; absent = off. */
  llm?: Llm;
  runner: ConversionRunner;
  now: () => number;
}
