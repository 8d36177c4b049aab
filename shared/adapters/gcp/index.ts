/**
 * The GCP adapters wired from configuration: Cloud Storage (uploads and results buckets), Firestore,
 * Cloud Tasks and Firebase Auth. Everything the cloud needs is checked with zod here, once, at start, so a
 * missing queue path or service account fails the instance immediately instead of the first upload.
 * Credentials come from Application Default Credentials (the function's service account).
 */
import { z } from 'zod';
import { Storage } from '@google-cloud/storage';
import { Firestore } from '@google-cloud/firestore';
import { CloudTasksClient } from '@google-cloud/tasks';
import { ConfigError, type Config } from '../../service/config.ts';
import type { Llm, PipelinePorts } from '../../service/ports.ts';
import { GcsBlobStore } from './gcs-blob-store.ts';
import { FirestoreJobStore } from './firestore-job-store.ts';
import { FirestoreAccountStore } from './firestore-account-store.ts';
import { CloudTasksQueue, QUEUE_PATH_PATTERN } from './cloud-tasks-queue.ts';
import { FirebaseIdentity } from './firebase-identity.ts';
import { StripeBilling, stripeClientFor } from '../stripe/stripe-billing.ts';
import { createGeminiTidyForProject } from './gemini-tidy.ts';
import { FirestoreRateLimiter } from './firestore-rate-limiter.ts';
import { FirestoreUserAdminStore } from './firestore-user-admin.ts';
import { FirestoreAuditLog } from './firestore-audit-log.ts';
import { StripeCheckout } from '../stripe/stripe-checkout.ts';
import { UnconfiguredCheckout } from '../unconfigured-checkout.ts';
import { NodeWebhookTransport } from '../webhook-transport.ts';

/** Stripe Billing Meters when STRIPE_SECRET_KEY is set (billing off otherwise); Gemini when MDRAFT_LLM_TIDY=on. */
export interface GcpAdapters extends PipelinePorts {
  close(): Promise<void>;
}

const GcpSettings = z.object({
  projectId: z
    .string({ error: 'MDRAFT_GCP_PROJECT is required' })
    .regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, 'MDRAFT_GCP_PROJECT is not a project id'),
  tasksQueue: z
    .string({ error: 'MDRAFT_TASKS_QUEUE is required' })
    .regex(QUEUE_PATH_PATTERN, 'MDRAFT_TASKS_QUEUE must be projects/<p>/locations/<l>/queues/<q>'),
  tasksServiceAccount: z.email({ error: 'MDRAFT_TASKS_SERVICE_ACCOUNT must be a service account email' }),
  workerUrl: z.url({
    protocol: /^https$/,
    error: 'MDRAFT_WORKER_URL must be the https URL of the convertWorker function',
  }),
  workerUrlSet: z.literal(true, { error: 'MDRAFT_WORKER_URL is required (the convertWorker function URL)' }),
  dispatchDeadlineMs: z.number().min(15_000, 'MDRAFT_QUEUE_DISPATCH_DEADLINE_S must be at least 15 for Cloud Tasks'),
  firestoreDatabase: z.string().min(1),
  firestorePrefix: z
    .string()
    .regex(/^[A-Za-z0-9_-]*$/, 'MDRAFT_FIRESTORE_PREFIX may only use letters, digits, _ and -'),
  tasksAudience: z.url().optional(),
  checkRevoked: z.boolean(),
});

export type GcpSettings = z.infer<typeof GcpSettings>;

/** The GCP settings of a config, or a ConfigError naming every problem. */
export function gcpSettings(config: Config): GcpSettings {
  const parsed = GcpSettings.safeParse({
    ...config.gcp,
    workerUrl: config.workerUrl,
    dispatchDeadlineMs: config.queue.dispatchDeadlineMs,
  });
  if (!parsed.success) {
    throw new ConfigError(
      `invalid configuration for MDRAFT_BACKEND=gcp: ${parsed.error.issues.map((i) => i.message).join('; ')}`,
    );
  }
  return parsed.data;
}

export function createGcpAdapters(config: Config): GcpAdapters {
  const settings = gcpSettings(config);
  const storage = new Storage({ projectId: settings.projectId });
  const firestore = new Firestore({ projectId: settings.projectId, databaseId: settings.firestoreDatabase });
  const jobs = new FirestoreJobStore({
    firestore,
    collectionPrefix: settings.firestorePrefix,
    retentionMs: config.retentionMs,
  });
  // The same client and prefix: a job's completion counts usage in the documents the account store reads.
  const accounts = new FirestoreAccountStore({ firestore, collectionPrefix: settings.firestorePrefix });
  const tasks = new CloudTasksQueue({
    client: new CloudTasksClient(),
    queuePath: settings.tasksQueue,
    serviceAccountEmail: settings.tasksServiceAccount,
    audience: settings.tasksAudience ?? settings.workerUrl,
    dispatchDeadlineMs: settings.dispatchDeadlineMs,
  });
  const identity = new FirebaseIdentity({ projectId: settings.projectId, checkRevoked: settings.checkRevoked });
  const stripe = stripeClientFor(config.billing);
  const onStore = { firestore, collectionPrefix: settings.firestorePrefix };
  return {
    jobs,
    accounts,
    uploads: new GcsBlobStore({ storage, bucket: config.buckets.uploads }),
    results: new GcsBlobStore({ storage, bucket: config.buckets.results }),
    tasks,
    identity,
    webhooks: new NodeWebhookTransport(),
    ...(config.llm.tidy
      ? {
          llm: lazyLlm(() =>
            createGeminiTidyForProject({
              project: settings.projectId,
              location: config.llm.location,
              model: config.llm.model,
            }),
          ),
        }
      : {}),
    ...(stripe
      ? { billing: new StripeBilling({ stripe, users: accounts, meterEventName: config.billing.meterEventName }) }
      : {}),
    rateLimiter: new FirestoreRateLimiter(onStore),
    userAdmin: new FirestoreUserAdminStore(onStore),
    audit: new FirestoreAuditLog({ ...onStore, retentionMs: config.auditRetentionMs }),
    checkout: stripe ? new StripeCheckout({ stripe }) : new UnconfiguredCheckout(),
    // Firebase Auth: revoking sessions and the admin custom claim.
    identityAdmin: identity,
    async close() {
      // `jobs.close()` terminates the Firestore client the account store shares.
      await Promise.allSettled([jobs.close(), tasks.close(), identity.close()]);
    },
  };
}

/** The Gemini client loads `@google/genai` on first use, so instances that never tidy never load it. */
function lazyLlm(make: () => Promise<Llm>): Llm {
  let llm: Promise<Llm> | undefined;
  return { tidy: async (markdown, context) => (await (llm ??= make())).tidy(markdown, context) };
}
