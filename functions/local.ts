/**
 * The embedded default: every function on one port over the local adapters, data in one directory.
 *   /v1/*, /healthz        → api
 *   /_blobs/<bucket>/…     → the signed-URL storage server (uploads, downloads)
 *   /_events/finalized     → onUploadFinalized (CloudEvents over HTTP, as Eventarc delivers them)
 *   /_tasks/convert        → convertWorker (POSTed by the local task queue): conversions, analyses and webhook
 *                            deliveries
 *   /_cron/cleanup         → cleanup (called on a timer, as Cloud Scheduler would)
 *   /_stripe/webhook       → stripeWebhook (only when STRIPE_WEBHOOK_SECRET is set; signature-checked)
 *   /signin?token=…        → the one-time sign-in link `npm start` prints: sets the session cookie
 *   /signout (POST)        → revokes the session cookie's key and clears the cookie (the page's "Sign out")
 *   /, /assets/*, /docs    → the web page and the API reference (served by `api`, see routes/web.ts)
 * Firebase ID tokens are accepted too when FIREBASE_AUTH_EMULATOR_HOST names a Firebase Auth emulator
 * (`npm run auth-emulator`); the first verified identity creates its user record.
 * Internal routes require the data directory's internal token (only the server's own queue, event
 * delivery and timer know it). `npm start` runs this file.
 */
import './node-gate.ts';
import { createServer, type Server } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { loadConfig, type Config } from '../shared/service/config.ts';
import { createLocalAdapters, INTERNAL_HEADER, type LocalAdapters } from '../shared/adapters/local/index.ts';
import { createBlobHttpHandler } from '../shared/adapters/local/blob-http.ts';
import { deliverFinalized } from '../shared/adapters/local/cloud-event-delivery.ts';
import { BLOB_ROUTE } from '../shared/adapters/local/url-signer.ts';
import { serveHttp, type NodeListener } from '../shared/service/http/node.ts';
import { errorResponse } from '../shared/service/http/errors.ts';
import type { HttpHandler } from '../shared/service/http/types.ts';
import type { PipelineDeps } from '../shared/service/jobs/deps.ts';
import {
  createSandboxRunner,
  sandboxOptionsFrom,
  type ConversionRunner,
  type PageCounter,
} from '../shared/service/jobs/runner.ts';
import { ocrFactoryFromConfig, ocrProbeFromConfig } from '../shared/adapters/ocr-factories.ts';
import { createApiKey, listApiKeys, revokeApiKey } from '../shared/service/accounts/api-keys.ts';
import { createApiHandler } from './api.ts';
import { createUploadFinalizedHttpHandler } from './upload-finalized.ts';
import { createConvertWorkerHandler } from './convert-worker.ts';
import { createCleanupHandler } from './cleanup.ts';
import { createStripeWebhookHandler } from './stripe-webhook.ts';
import { initSentry, withErrorReporting } from '../shared/service/observability/sentry.ts';
import { logs } from '../shared/service/logs.ts';
import { OneTimeSignIn } from '../shared/adapters/local/local-identity.ts';
import { SESSION_COOKIE, cookieValue } from '../shared/service/auth/authenticate.ts';
import { hashApiKey, looksLikeApiKey } from '../shared/service/auth/api-keys.ts';
import { scannerFromConfig } from '../shared/adapters/scanner-factory.ts';
import type { Scanner, WebhookTransport } from '../shared/service/ports.ts';
import type { Analyzer } from '../shared/analysis/port.ts';
import { analyzerFromConfig } from '../shared/adapters/analyzer-factory.ts';

function ocrProbeOf(config: Config): { ocrProbe?: () => Promise<string> } {
  const ocrProbe = ocrProbeFromConfig(config.ocr);
  return ocrProbe ? { ocrProbe } : {};
}

function withScanner(scanner: Scanner | undefined): { scanner?: Scanner } {
  return scanner ? { scanner } : {};
}

export const LOCAL_USER = 'local';

export interface LocalServerOptions {
  /** Environment to configure from (default `process.env`); PORT 0 picks a free port. */
  env?: Record<string, string | undefined>;
  host?: string;
  runner?: ConversionRunner;
  /** Page counter instead of the sandbox's (tests). */
  countPages?: PageCounter;
  now?: () => number;
  /** Run cleanup this often (ms); 0 disables the timer. Default 10 minutes. */
  cleanupEveryMs?: number;
  /** Issue an API key for the `local` user on start (default true). */
  issueKey?: boolean;
  /** A scanner instead of the configured one (`false`: none). */
  scanner?: Scanner | false;
  /** A webhook transport instead of the network one (tests that count connection attempts). */
  webhooks?: WebhookTransport;
  /** An analysis engine instead of the configured one (tests). */
  analyzer?: Analyzer;
  /** The built web page (default `dist/web`; tests build their own). */
  webRoot?: string;
  /**
   * Start the sandbox's converter and page counter at start-up (default false: on first use). `npm start` does:
   * forking a converter process later, from a server that has grown, blocks every request for up to a second.
   */
  warmConverters?: boolean;
}

export interface LocalServer {
  url: string;
  config: Config;
  deps: PipelineDeps;
  adapters: LocalAdapters;
  server: Server;
  /** A fresh API key for the `local` user, when issued. */
  apiKey?: string;
  /** The one-time sign-in link for the `local` user (opened once in a browser: a session cookie). */
  signInUrl: string;
  close(): Promise<void>;
}

export async function startLocalServer(options: LocalServerOptions = {}): Promise<LocalServer> {
  const env = options.env ?? process.env;
  let listener: NodeListener = async (_req, res) => {
    res.writeHead(503).end();
  };
  const server = createServer((req, res) => void listener(req, res));
  const initial = loadConfig(env);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(initial.port, options.host ?? initial.host, () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  const config = loadConfig({ ...env, PORT: String(port) });
  initSentry(config.sentry);
  const adapters = createLocalAdapters(config);
  // Lazy unless `warmConverters`: no converter starts before the first conversion or page count. An injected
  // runner (tests) still counts pages in the sandbox unless a counter is injected too.
  const sandbox =
    options.runner && options.countPages
      ? undefined
      : createSandboxRunner(sandboxOptionsFrom(config, ocrFactoryFromConfig(config.ocr)));
  const deps: PipelineDeps = {
    config,
    jobs: adapters.jobs,
    accounts: adapters.accounts,
    uploads: adapters.uploads,
    results: adapters.results,
    tasks: adapters.tasks,
    webhooks: options.webhooks ?? adapters.webhooks,
    identity: adapters.identity,
    billing: adapters.billing,
    rateLimiter: adapters.rateLimiter,
    userAdmin: adapters.userAdmin,
    audit: adapters.audit,
    checkout: adapters.checkout,
    identityAdmin: adapters.identityAdmin,
    analyzer: options.analyzer ?? analyzerFromConfig(config),
    ...withScanner(options.scanner === undefined ? scannerFromConfig(config) : options.scanner || undefined),
    ...ocrProbeOf(config),
    runner: options.runner ?? sandbox!.runner,
    countPages: options.countPages ?? sandbox!.countPages,
    now: options.now ?? Date.now,
  };
  if (options.warmConverters) sandbox?.warm();
  const internal = { [INTERNAL_HEADER]: adapters.internalToken };
  const pending = new Set<Promise<unknown>>();
  const blobs = createBlobHttpHandler({
    stores: [adapters.uploads, adapters.results],
    signer: adapters.signer,
    now: deps.now,
    corsOrigins: config.corsOrigins,
    onFinalized: (notice) => {
      if (notice.bucket !== config.buckets.uploads) return;
      const p = deliverFinalized(notice, { url: `${config.publicUrl}/_events/finalized`, headers: internal });
      pending.add(p);
      void p.finally(() => pending.delete(p));
    },
  });
  const serve = (h: HttpHandler, name: string) =>
    serveHttp(withErrorReporting(h, name), {
      corsOrigins: config.corsOrigins,
      maxBodyBytes: 1024 * 1024,
      ...(config.gcp.projectId ? { traceProject: config.gcp.projectId } : {}),
    });
  const api = serve(createApiHandler(deps, options.webRoot ? { root: options.webRoot } : {}), 'api');
  const finalize = serve(guard(adapters.internalToken, createUploadFinalizedHttpHandler(deps)), 'onUploadFinalized');
  const worker = serve(guard(adapters.internalToken, createConvertWorkerHandler(deps)), 'convertWorker');
  const cron = serve(guard(adapters.internalToken, createCleanupHandler(deps)), 'cleanup');
  const webhookSecret = config.billing.webhookSecret;
  const stripeWebhook = webhookSecret
    ? serve(
        createStripeWebhookHandler({
          accounts: deps.accounts,
          webhookSecret,
          now: deps.now,
          graceMs: config.checkout.graceMs,
          plans: config.plans,
        }),
        'stripeWebhook',
      )
    : undefined;

  const signIn = new OneTimeSignIn();
  const signInUrl = `${config.publicUrl}/signin?token=${signIn.issue(deps.now())}`;
  const signin = serve(createSignInHandler(deps, signIn), 'signin');
  const signout = serve(createSignOutHandler(deps), 'signout');

  listener = async (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/signin') return signin(req, res);
    if (path === '/signout') return signout(req, res);
    if (path.startsWith(BLOB_ROUTE)) return blobs(req, res);
    if (path === '/_events/finalized') return finalize(req, res);
    if (path === '/_tasks/convert') return worker(req, res);
    if (path === '/_cron/cleanup') return cron(req, res);
    if (path === '/_stripe/webhook' && stripeWebhook) return stripeWebhook(req, res);
    return api(req, res);
  };
  adapters.tasks.start();

  const every = options.cleanupEveryMs ?? 600_000;
  const timer =
    every > 0
      ? setInterval(() => {
          void fetch(`${config.publicUrl}/_cron/cleanup`, { method: 'POST', headers: internal })
            .then((r) => r.arrayBuffer())
            .catch(() => undefined);
        }, every).unref()
      : undefined;

  let apiKey: string | undefined;
  if (options.issueKey ?? true) {
    // A full disk must not keep the server from starting (users could not even delete jobs to make room):
    // without a new key it still serves, and existing keys keep working.
    try {
      apiKey = await issueStartupKey(deps);
    } catch (error) {
      logs.startupKeyFailed({ error: error instanceof Error ? error.message : String(error) });
    }
  }

  return {
    url: config.publicUrl,
    config,
    deps,
    adapters,
    server,
    ...(apiKey ? { apiKey } : {}),
    signInUrl,
    async close() {
      if (timer) clearInterval(timer);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await adapters.tasks.close();
      await Promise.allSettled([...pending]);
      await sandbox?.close();
      await adapters.close();
    },
  };
}

/** How long the session cookie lasts (its API key stays valid until revoked in `GET/DELETE /v1/keys`). */
const SESSION_MAX_AGE_S = 30 * 86400;

/**
 * `GET /signin?token=…`: redeems the one-time token for a session — a new API key for the `local` user named
 * `session`, set as an `HttpOnly; SameSite=Strict` cookie (scripts cannot read it, other sites cannot send
 * it), then 303 to `/`. A used, wrong or expired token is 401 `signin_link_invalid`.
 */
function createSignInHandler(deps: PipelineDeps, signIn: OneTimeSignIn): HttpHandler {
  return async (req) => {
    if (req.method !== 'GET')
      return errorResponse(405, 'method_not_allowed', 'GET only', req.requestId, { Allow: 'GET' });
    const token = req.query.get('token') ?? '';
    if (!signIn.redeem(token, deps.now()))
      return errorResponse(
        401,
        'signin_link_invalid',
        'this sign-in link was used already or is not valid; restart the server for a new one',
        req.requestId,
      );
    await deps.accounts.ensureUser({ id: LOCAL_USER, now: deps.now() });
    const issued = await createApiKey(deps, { owner: LOCAL_USER, name: 'session', requestId: req.requestId });
    const secure = deps.config.publicUrl.startsWith('https:') ? '; Secure' : '';
    return {
      status: 303,
      headers: {
        Location: '/',
        'Set-Cookie': `${SESSION_COOKIE}=${issued.key}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${SESSION_MAX_AGE_S}${secure}`,
        'Cache-Control': 'no-store',
      },
    };
  };
}

/**
 * `POST /signout`: ends the sign-in link's session — revokes the key the session cookie carries (so a copy of
 * the cookie is useless too), clears the cookie, 303 to `/`. Without a valid session it still clears the
 * cookie. POST only: the page's sign-out form; the cookie is `SameSite=Strict`, so no other site can send it.
 */
function createSignOutHandler(deps: PipelineDeps): HttpHandler {
  return async (req) => {
    if (req.method !== 'POST')
      return errorResponse(405, 'method_not_allowed', 'POST only', req.requestId, { Allow: 'POST' });
    const key = cookieValue(req.headers.cookie, SESSION_COOKIE);
    if (key && looksLikeApiKey(key)) {
      const record = await deps.accounts.findApiKeyByHash(hashApiKey(key));
      if (record && !record.revokedAt && record.name === 'session')
        await revokeApiKey(deps, { owner: record.owner, id: record.id, requestId: req.requestId });
    }
    const secure = deps.config.publicUrl.startsWith('https:') ? '; Secure' : '';
    return {
      status: 303,
      headers: {
        Location: '/',
        'Set-Cookie': `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${secure}`,
        'Cache-Control': 'no-store',
      },
    };
  };
}

/** A fresh key for the `local` user; the previous start's key is revoked so they do not pile up. */
async function issueStartupKey(deps: PipelineDeps): Promise<string> {
  await deps.accounts.ensureUser({ id: LOCAL_USER, now: deps.now() });
  for (const k of await listApiKeys(deps, LOCAL_USER)) {
    if (k.name === 'startup' && !k.revokedAt) await revokeApiKey(deps, { owner: LOCAL_USER, id: k.id });
  }
  return (await createApiKey(deps, { owner: LOCAL_USER, name: 'startup' })).key;
}

/** Internal routes answer 403 without the token (the cloud uses IAM/OIDC instead). */
function guard(token: string, handler: HttpHandler): HttpHandler {
  const expected = Buffer.from(token);
  return async (req) => {
    const given = Buffer.from(req.headers[INTERNAL_HEADER] ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return errorResponse(403, 'forbidden', 'internal route', req.requestId);
    }
    return handler(req);
  };
}

async function main(): Promise<void> {
  const local = await startLocalServer({ warmConverters: true });
  logs.serverStarted({ url: local.url, dataDir: local.config.dataDir });
  process.stderr.write(
    `\nMDraft is running at ${local.url}\n` +
      `data directory: ${local.config.dataDir}\n` +
      `web page: open this sign-in link in your browser (works once):\n\n  ${local.signInUrl}\n\n` +
      `API key for user "${LOCAL_USER}" (shown once):\n\n  ${local.apiKey ?? '(none issued: see the log)'}\n\n` +
      (local.config.authEmulator
        ? `Firebase ID tokens: accepted from the Auth emulator at ${local.config.authEmulator.host} ` +
          `(project ${local.config.authEmulator.projectId})\n\n`
        : '') +
      `try: npx mdraft submit some.docx --api ${local.url} --key ${local.apiKey}\n\n`,
  );
  const stop = () => {
    void local.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error: unknown) => {
    process.stderr.write(`mdraft: could not start: ${(error as Error).message}\n`);
    process.exit(1);
  });
}
