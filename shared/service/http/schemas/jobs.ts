/**
 * The jobs and API-key routes (`functions/api.ts`): their request schemas (the handlers parse with these very
 * objects), response schemas and route specs. Flow: `createJob` → PUT the bytes to `upload` → poll `getJob` →
 * `getJobResult` (a 302 to a short-lived signed URL).
 */
import { z } from 'zod';
import type { RouteSpec } from '../route-spec.ts';
import { agree, ApiKeySchema, JobOptionsSchema, JobSchema, SignedRequestSchema, type Same } from './common.ts';
import { CHUNK_TOKENS, type JobChunks } from '../../analyses/chunks.ts';
import { LONE_SURROGATE } from '../../jobs/download-name.ts';
import { CONTROL_CHARS_MESSAGE, noControlChars } from './text-rules.ts';

export const CreateJobBody = z
  .object({
    filename: z
      .string()
      .trim()
      .min(1)
      .max(255)
      .refine(noControlChars, CONTROL_CHARS_MESSAGE)
      // A lone surrogate (`\ud800` in JSON) is no character: it has no UTF-8 form for a download name.
      .refine((s) => !new RegExp(LONE_SURROGATE.source).test(s), 'must be well-formed Unicode (no lone surrogates)'),
    contentType: z.string().trim().min(3).max(200),
    size: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).describe('bytes the upload will have'),
    confirm: z
      .boolean()
      .optional()
      .describe('stop in `awaiting_confirmation` once the upload is counted (`POST /v1/jobs/{id}/confirm` converts)'),
    maxUnits: z.number().int().min(1).max(100_000_000).optional().describe('spending cap in billable units'),
    options: JobOptionsSchema.optional().describe('conversion options (JobConvertOptions)'),
    webhookUrl: z
      .string()
      .max(2048)
      .optional()
      .describe(
        "https URL POSTed a signed event when the job ends (default: the API key's `webhookUrl`); needs an API key",
      ),
  })
  .strict();

/** One page of a newest-first listing (jobs, a job's analyses). */
export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(500).optional().describe("the previous page's `nextCursor`"),
});

export const ListJobsQuery = PageQuery.extend({
  q: z
    .string()
    .max(200)
    .refine((s) => /[\p{L}\p{N}]/u.test(s), 'must contain a letter or digit')
    .optional()
    .describe(
      'search by file name: jobs whose file name, or a word in it, begins with `q`, case-insensitively ' +
        '(`rep` finds `Quarterly report.pdf`; `port` does not); the first 32 characters count. Paging as ' +
        'without it (pass the same `q` with the `cursor`).',
    ),
});

export const ResultQuery = z.object({
  format: z
    .enum(['md', 'markdown', 'json', 'chunks'])
    .default('md')
    .describe('`chunks`: heading-aware chunks for retrieval, answered inline (200) instead of a redirect'),
  targetTokens: z.coerce
    .number()
    .int()
    .min(CHUNK_TOKENS.min)
    .max(CHUNK_TOKENS.max)
    .default(CHUNK_TOKENS.default)
    .describe('for `chunks`: target size in estimated tokens (4 characters each)'),
  redirect: z
    .enum(['true', 'false'])
    .default('true')
    .describe(
      "`false` (md, json): answer 200 with the signed URL in the body instead of a 302 (a browser's fetch cannot read a redirect's Location, and following it would send the credentials to the storage)",
    ),
});

const ChunkSchema = z.object({
  index: z.number().int().describe('0-based position in the document'),
  start: z.number().int().describe('offset into the Markdown, UTF-16 code units (inclusive)'),
  end: z.number().int().describe('offset into the Markdown, UTF-16 code units (exclusive)'),
  text: z.string().describe('`markdown.slice(start, end)`'),
  headingPath: z.array(z.string()).describe('the headings above the chunk, outermost first'),
  section: z.object({ number: z.string().optional(), heading: z.string() }).optional(),
  pages: z.array(z.number().int()).describe('pages the chunk touches; empty for documents without pages'),
  tokens: z.number().int().describe('estimated tokens of `text`'),
});
export const ChunksResponse = z.object({
  jobId: z.string(),
  targetTokens: z.number().int(),
  markdownLength: z.number().int().describe('characters (UTF-16 code units) of the whole Markdown'),
  chunks: z.array(ChunkSchema),
});
agree<Same<z.output<typeof ChunksResponse>, JobChunks>>();

export const CreateKeyBody = z
  .object({
    name: z.string().trim().min(1).max(100).refine(noControlChars, CONTROL_CHARS_MESSAGE).optional(),
    webhookUrl: z.string().max(2048).optional().describe('https URL: the default webhook of jobs created with the key'),
  })
  .strict();

export const CreateJobResponse = z.object({ job: JobSchema, upload: SignedRequestSchema });
export const JobPageResponse = z.object({ jobs: z.array(JobSchema), nextCursor: z.string().optional() });
export const JobResponse = z.object({ job: JobSchema });
export const ResultLinkResponse = z.object({ url: z.string(), expiresAt: z.string() });
export const CreateKeyResponse = z.object({
  key: ApiKeySchema,
  secret: z.string().describe('the API key itself (`mdk_…`): shown this once, never again'),
  webhookSecret: z
    .string()
    .describe("the key's webhook signing secret (`mdwhsec_…`, HMAC-SHA256 key of `MDraft-Signature`): shown this once"),
});
export const KeyListResponse = z.object({ keys: z.array(ApiKeySchema) });

const JOB_ID = { 404: ['not_found'] } as const;

export const jobRoutes = {
  createJob: {
    operationId: 'createJob',
    method: 'POST',
    path: '/v1/jobs',
    tag: 'jobs',
    summary: 'Create a job and get the signed URL to upload the document to',
    auth: 'user',
    body: CreateJobBody,
    responses: {
      201: {
        description: 'created; PUT the bytes to `upload.url` with exactly `upload.headers`',
        schema: CreateJobResponse,
        headers: { Location: 'the job: `/v1/jobs/{id}`' },
      },
    },
    errors: {
      400: ['invalid_webhook_url', 'webhook_unavailable'],
      402: ['quota_exceeded'],
      413: ['too_large'],
      415: ['unsupported_media_type'],
      429: ['too_many_jobs'],
    },
  },
  listJobs: {
    operationId: 'listJobs',
    method: 'GET',
    path: '/v1/jobs',
    tag: 'jobs',
    summary: "The caller's jobs, newest first; `q` searches by file name",
    auth: 'user',
    query: ListJobsQuery,
    responses: { 200: { description: 'one page', schema: JobPageResponse } },
    errors: { 400: ['invalid_cursor'] },
  },
  getJob: {
    operationId: 'getJob',
    method: 'GET',
    path: '/v1/jobs/{id}',
    tag: 'jobs',
    summary: 'A job (another user’s job is 404, like a missing one)',
    auth: 'user',
    responses: { 200: { description: 'the job', schema: JobResponse } },
    errors: JOB_ID,
  },
  getJobResult: {
    operationId: 'getJobResult',
    method: 'GET',
    path: '/v1/jobs/{id}/result',
    tag: 'jobs',
    summary: 'Redirect to a short-lived signed download URL of the Markdown (`md`) or JSON result; or its chunks',
    description:
      '`format=chunks` answers 200 with heading-aware chunks of about `targetTokens` each (a chunk never spans ' +
      'two sections and never splits a table row or list item), with heading path, pages and offsets into the ' +
      'Markdown.',
    auth: 'user',
    query: ResultQuery,
    responses: {
      200: {
        description: '`format=chunks`: the chunks; `redirect=false` (md, json): the signed URL in the body',
        schema: z.union([ChunksResponse, ResultLinkResponse]),
      },
      302: {
        description: 'the signed URL, in `Location` and in the body',
        schema: ResultLinkResponse,
        headers: { Location: 'the signed download URL' },
      },
    },
    errors: { ...JOB_ID, 409: ['result_not_ready', 'job_failed'], 503: ['chunking_timeout'] },
  },
  deleteJob: {
    operationId: 'deleteJob',
    method: 'DELETE',
    path: '/v1/jobs/{id}',
    tag: 'jobs',
    summary: 'Delete a job with its upload and results (idempotent)',
    auth: 'user',
    responses: { 204: { description: 'deleted' } },
    errors: JOB_ID,
  },
  createKey: {
    operationId: 'createKey',
    method: 'POST',
    path: '/v1/keys',
    tag: 'keys',
    summary: 'Create an API key (its secret is shown once)',
    auth: 'user',
    body: CreateKeyBody,
    responses: { 201: { description: 'created', schema: CreateKeyResponse } },
    errors: { 400: ['invalid_webhook_url'] },
  },
  listKeys: {
    operationId: 'listKeys',
    method: 'GET',
    path: '/v1/keys',
    tag: 'keys',
    summary: "The caller's API keys (never their secrets)",
    auth: 'user',
    responses: { 200: { description: 'the keys', schema: KeyListResponse } },
  },
  revokeKey: {
    operationId: 'revokeKey',
    method: 'DELETE',
    path: '/v1/keys/{id}',
    tag: 'keys',
    summary: 'Revoke an API key',
    auth: 'user',
    responses: { 204: { description: 'revoked' } },
  },
} as const satisfies Record<string, RouteSpec>;
