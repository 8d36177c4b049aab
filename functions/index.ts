/**
 * The deployed functions, registered with functions-framework (one per Cloud Run function: the deploy
 * picks the entry point by name). Adapters come from configuration once per instance
 * (`shared/adapters/index.ts`); the embedded default runs everything on one port instead (`local.ts`).
 */
import * as ff from '@google-cloud/functions-framework';
import { getConfig } from '../shared/config.ts';
import { createAdapters } from '../shared/adapters/index.ts';
import type { PipelineDeps } from '../shared/jobs/deps.ts';
import { createSandboxRunner } from '../shared/jobs/runner.ts';
import { serveHttp, type NodeListener } from '../shared/http/node.ts';
import type { HttpHandler } from '../shared/http/types.ts';
import { createApiHandler } from './api.ts';
import { createUploadFinalizedHandler, type CloudEventInput } from './upload-finalized.ts';
import { createConvertWorkerHandler } from './convert-worker.ts';
import { createCleanupHandler } from './cleanup.ts';

let deps: Promise<PipelineDeps> | undefined;

function pipelineDeps(): Promise<PipelineDeps> {
  deps ??= (async () => {
    const config = getConfig();
    const adapters = await createAdapters(config);
    const { runner } = createSandboxRunner({ size: config.convert.workers, maxMemoryMb: config.convert.maxMemoryMb, timeoutMs: config.convertTimeoutMs });
    return { config, ...adapters, runner, now: Date.now };
  })();
  return deps;
}

function lazyHttp(make: (d: PipelineDeps) => HttpHandler): NodeListener {
  let listener: Promise<NodeListener> | undefined;
  return async (req, res) => {
    listener ??= pipelineDeps().then((d) => serveHttp(make(d), { corsOrigins: d.config.corsOrigins }));
    return (await listener)(req, res);
  };
}

ff.http('api', lazyHttp(createApiHandler));
ff.http('convertWorker', lazyHttp(createConvertWorkerHandler));
ff.http('cleanup', lazyHttp(createCleanupHandler));
ff.cloudEvent<unknown>('onUploadFinalized', async (event: ff.CloudEvent<unknown>) => {
  const handle = createUploadFinalizedHandler(await pipelineDeps());
  await handle(event as unknown as CloudEventInput);
});
