/**
 * `POST /v1/jobs`: records the job and signs a create-only upload URL for exactly the declared bytes.
 * Refused at once, before anything is recorded: a type not converted (`unsupported_media_type`), a size over
 * the type's limit or the plan's `maxFileBytes` (`too_large`), a month's allowance already spent
 * (`quota_exceeded`: used + reserved ≥ the plan's units), `concurrentJobs` unfinished jobs already
 * (`too_many_jobs`). The units themselves are reserved when the upload is counted (`upload-finalized.ts`).
 * The concurrency check is a read, not a transaction: two creations at the same instant may both pass it;
 * the allowance itself is never overrun (its reservation is transactional).
 */
import type { Job, JobConvertOptions, JobWebhook, SignedRequest } from '../ports.ts';
import type { PipelineDeps } from './deps.ts';
import { InvalidJobRequestError } from './errors.ts';
import { inputObjectName, newJobId } from './names.ts';
import { acceptedType, essence } from './types-by-content.ts';
import { logs } from '../logs.ts';
import { userPlan } from '../accounts/profile.ts';
import { monthOf } from './charges.ts';
import { checkWebhookUrl } from '../webhooks/url.ts';
import { newWebhook } from '../webhooks/state.ts';

export interface CreateJobInput {
  owner: string;
  filename: string;
  contentType: string;
  size: number;
  /** Stop in `awaiting_confirmation` once the upload is counted. */
  confirm?: boolean;
  /** Spending cap in billable units: a document counted above it fails `spending_cap_exceeded`. */
  maxUnits?: number;
  /** Conversion options (charset, comments, tracked changes, OCR languages, page separators, pages). */
  options?: JobConvertOptions;
  /** Notified when the job ends (`shared/service/webhooks/`); needs `keyId`, whose secret signs the event. */
  webhookUrl?: string;
  /** The API key the caller authenticated with (absent for an ID token). */
  keyId?: string;
  requestId?: string;
}

export async function createJob(
  deps: PipelineDeps,
  input: CreateJobInput,
): Promise<{ job: Job; upload: SignedRequest }> {
  const accepted = acceptedType(input.contentType);
  if (!accepted)
    throw new InvalidJobRequestError(
      'unsupported_media_type',
      `content type ${essence(input.contentType)} is not supported`,
    );
  const limit = deps.config.sizeLimits[accepted.sizeClass];
  if (input.size > limit) {
    throw new InvalidJobRequestError(
      'too_large',
      `${accepted.sizeClass} documents are limited to ${limit} bytes (declared ${input.size})`,
    );
  }
  if (input.size < 1) throw new InvalidJobRequestError('invalid_request', 'size must be at least 1 byte');
  const webhook = input.webhookUrl !== undefined ? await webhookOf(deps, input.webhookUrl, input.keyId) : undefined;
  const now = deps.now();
  const { id: planId, plan } = userPlan(deps, await deps.accounts.getUser(input.owner));
  if (input.size > plan.maxFileBytes) {
    throw new InvalidJobRequestError(
      'too_large',
      `the ${planId} plan accepts files up to ${plan.maxFileBytes} bytes (declared ${input.size})`,
    );
  }
  const quota = await deps.accounts.getQuota(input.owner, monthOf(now));
  if (quota.used + quota.reserved >= plan.monthlyUnits) {
    throw new InvalidJobRequestError(
      'quota_exceeded',
      `the ${planId} plan's ${plan.monthlyUnits} units for ${quota.month} are spent`,
    );
  }
  if ((await deps.jobs.countActiveJobs(input.owner)) >= plan.concurrentJobs) {
    throw new InvalidJobRequestError(
      'too_many_jobs',
      `the ${planId} plan allows ${plan.concurrentJobs} unfinished jobs at once`,
    );
  }
  const id = newJobId();
  const job: Job = {
    id,
    owner: input.owner,
    status: 'awaiting_upload',
    filename: input.filename,
    contentType: essence(input.contentType),
    size: input.size,
    inputObject: inputObjectName(input.owner, id),
    createdAt: now,
    updatedAt: now,
    uploadDeadline: now + deps.config.uploadWindowMs,
    attempts: 0,
    warnings: [],
    ...(input.confirm ? { confirm: true } : {}),
    ...(input.maxUnits !== undefined ? { maxUnits: input.maxUnits } : {}),
    ...(input.options && Object.keys(input.options).length ? { options: input.options } : {}),
    ...(webhook ? { webhook } : {}),
  };
  await deps.jobs.createJob(job);
  const upload = await deps.uploads.signUpload({
    name: job.inputObject,
    contentType: job.contentType,
    size: job.size,
    expiresAt: new Date(now + deps.config.uploadUrlTtlMs),
  });
  logs.jobCreated({
    requestId: input.requestId,
    jobId: id,
    owner: input.owner,
    contentType: job.contentType,
    size: job.size,
  });
  return { job, upload };
}

/**
 * The webhook state of a new job: the URL checked (`checkWebhookUrl`), signed with the caller's API key's
 * secret. Throws `webhook_unavailable` when the caller has no key (an ID token) or its key has no secret (a key
 * created before webhooks existed).
 */
async function webhookOf(deps: PipelineDeps, raw: string, keyId: string | undefined): Promise<JobWebhook> {
  const url = checkWebhookUrl(raw, deps.config.webhooks);
  const key = keyId ? await deps.accounts.findApiKeyByHash(keyId) : undefined;
  if (!key?.webhookSecret)
    throw new InvalidJobRequestError(
      'webhook_unavailable',
      keyId
        ? 'this API key has no webhook signing secret (it predates webhooks): create a new key'
        : "webhooks are signed with an API key's secret: create the job with an API key (X-API-Key)",
    );
  return newWebhook(url, key.id);
}
