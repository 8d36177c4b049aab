/**
 * The deployed functions, registered with functions-framework (one per Cloud Run function: the deploy
 * picks the entry point by name). Adapters come from configuration once per instance
 * (`shared/adapters/index.ts`); the embedded default runs everything on one port instead (`local.ts`).
 */
// First: Sentry must be initialised before the other modules load (no-op without SENTRY_DSN).
import './node-gate.ts';
import '../shared/service/observability/instrument.ts';
import * as ff from '@google-cloud/functions-framework';
import { getConfig } from '../shared/service/config.ts';
import { createAdapters } from '../shared/adapters/index.ts';
import type { PipelineDeps } from '../shared/service/jobs/deps.ts';
import { createSandboxRunner, sandboxOptionsFrom } from '../shared/service/jobs/runner.ts';
import { ocrFactoryFromConfig, ocrProbeFromConfig } from '../shared/adapters/ocr-factories.ts';
import { scannerFromConfig } from '../shared/adapters/scanner-factory.ts';
import { serveHttp, type NodeListener } from '../shared/service/http/node.ts';
import type { HttpHandler } from '../shared/service/http/types.ts';
import { createApiHandler } from './api.ts';
import { createUploadFinalizedHandler, type CloudEventInput } from './upload-finalized.ts';
import { createConvertWorkerHandler } from './convert-worker.ts';
import { createCleanupHandler } from './cleanup.ts';
import { createStripeWebhookHandler } from './stripe-webhook.ts';
import { flushSentry, reportError, withErrorReporting, wrapListener } from '../shared/service/observability/sentry.ts';

let deps: Promise<PipelineDeps> | undefined;

function pipelineDeps(): Promise<PipelineDeps> {
  deps ??= (async () => {
    const config = getConfig();
    const adapters = await createAdapters(config);
    // onUploadFinalized counts pages in the sandbox too (a converter starts there on its first paged upload).
    const { runner, countPages } = createSandboxRunner(sandboxOptionsFrom(config, ocrFactoryFromConfig(config.ocr)));
    const scanner = scannerFromConfig(config);
    const ocrProbe = ocrProbeFromConfig(config.ocr);
    return {
      config,
      ...adapters,
      ...(scanner ? { scanner } : {}),
      ...(ocrProbe ? { ocrProbe } : {}),
      runner,
      countPages,
      now: Date.now,
    };
  })();
  return deps;
}

/** Unexpected errors go to Sentry (when configured) with the request id, then become the usual 500. */
function lazyHttp(name: string, make: (d: PipelineDeps) => HttpHandler): NodeListener {
  let listener: Promise<NodeListener> | undefined;
  return wrapListener(async (req, res) => {
    listener ??= pipelineDeps().then((d) =>
      serveHttp(withErrorReporting(make(d), name), {
        corsOrigins: d.config.corsOrigins,
        ...(d.config.gcp.projectId ? { traceProject: d.config.gcp.projectId } : {}),
      }),
    );
    return (await listener)(req, res);
  });
}

ff.http('api', lazyHttp('api', createApiHandler));
ff.http('convertWorker', lazyHttp('convertWorker', createConvertWorkerHandler));
ff.http('cleanup', lazyHttp('cleanup', createCleanupHandler));
ff.http(
  'stripeWebhook',
  lazyHttp('stripeWebhook', (d) =>
    createStripeWebhookHandler({
      accounts: d.accounts,
      ...(d.config.billing.webhookSecret ? { webhookSecret: d.config.billing.webhookSecret } : {}),
      now: d.now,
      graceMs: d.config.checkout.graceMs,
      plans: d.config.plans,
    }),
  ),
);
// Not Sentry's wrapCloudEventFunction (its types disagree with functions-framework's): report, flush, rethrow.
ff.cloudEvent<unknown>('onUploadFinalized', async (event: ff.CloudEvent<unknown>) => {
  try {
    const handle = createUploadFinalizedHandler(await pipelineDeps());
    await handle(event as unknown as CloudEventInput);
  } catch (error) {
    reportError(error, { requestId: event.id, fn: 'onUploadFinalized' });
    await flushSentry();
    throw error;
  }
});
