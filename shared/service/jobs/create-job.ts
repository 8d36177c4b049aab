/** `POST /v1/jobs`: records the job and signs a create-only upload URL for exactly the declared bytes. */
import type { Job, SignedRequest } from '../ports.ts';
import type { PipelineDeps } from './deps.ts';
import { InvalidJobRequestError } from './errors.ts';
import { inputObjectName, newJobId } from './names.ts';
import { acceptedType, essence } from './types-by-content.ts';
import { logs } from '../logs.ts';

export interface CreateJobInput {
  owner: string;
  filename: string;
  contentType: string;
  size: number;
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
  const now = deps.now();
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
