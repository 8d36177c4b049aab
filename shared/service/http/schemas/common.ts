/**
 * Response shapes shared by several routes, as zod schemas: the error envelope, the job, the API key, the
 * signed request, the quota. They describe what the views (`toJobView`, `toApiKeyView`, `quotaView`…)
 * return; the type checks at the end keep each schema and its view's TypeScript type equal, so a field
 * added to one and not the other fails `tsc`. Times are ISO-8601 strings (UTC) unless a name says epoch ms.
 */
import { z } from 'zod';
import { DEFAULT_OCR_LANGUAGES, INSTALLED_OCR_LANGUAGES } from '../../../engine/ocr-languages.ts';
import type { JobView } from '../../jobs/view.ts';
import { JOB_STATUSES } from '../../jobs/states.ts';
import type { ApiKeyView } from '../../auth/api-keys.ts';
import type { QuotaView } from '../../accounts/profile.ts';
import type { SignedRequest } from '../../ports.ts';

const isoTime = () => z.string().describe('ISO-8601 instant (UTC)');

/** `{"error": {"code", "message", "requestId"}}`: every error (`errors.ts`). */
/** Conversion options a job may carry (`JobConvertOptions` in shared/service/ports.ts). */
export const JobOptionsSchema = z
  .object({
    charset: z
      .string()
      .regex(/^[A-Za-z0-9_.:-]{1,40}$/)
      .optional()
      .describe('charset of text input that declares none (a BOM still wins), e.g. shift_jis'),
    comments: z.boolean().optional().describe('comments as footnotes (DOCX, PPTX, XLSX threads)'),
    trackedChanges: z.enum(['accept', 'show']).optional().describe('DOCX tracked changes'),
    ocrLanguages: z
      .array(z.enum(INSTALLED_OCR_LANGUAGES))
      .min(1)
      .max(INSTALLED_OCR_LANGUAGES.length)
      .refine((codes) => new Set(codes).size === codes.length, 'each language at most once')
      .optional()
      .describe(
        `OCR languages, tesseract codes in order of weight, from the installed ${INSTALLED_OCR_LANGUAGES.join(', ')} ` +
          `(default: ${DEFAULT_OCR_LANGUAGES.join(', ')}; every language added costs recognition time)`,
      ),
    pageSeparators: z.boolean().optional().describe('<!-- page N --> before each page or slide'),
    pages: z
      .object({ first: z.number().int().min(1), last: z.number().int().min(1) })
      .strict()
      .refine((p) => p.last >= p.first, 'last must not be before first')
      .optional()
      .describe('1-based inclusive page range'),
  })
  .strict();

export const ErrorEnvelopeSchema = z.object({
  error: z.object({
    code: z.string().describe('stable, machine-readable error code (functions/README.md lists them)'),
    message: z.string().describe('safe to show to people'),
    requestId: z.string().describe('the X-Request-Id of the request'),
  }),
});

export const JobStatusSchema = z.enum(JOB_STATUSES);

export const WarningSchema = z.object({
  code: z.string(),
  message: z.string(),
  page: z.number().int().optional().describe('1-based page (or slide) the warning is about'),
});

export const JobSchema = z.object({
  id: z.string(),
  status: JobStatusSchema,
  filename: z.string(),
  contentType: z.string(),
  size: z.number().int().describe('bytes, as declared'),
  format: z.string().optional().describe('format detected from the uploaded bytes'),
  createdAt: isoTime(),
  updatedAt: isoTime(),
  uploadDeadline: isoTime().optional(),
  uploadedAt: isoTime().optional(),
  startedAt: isoTime().optional(),
  finishedAt: isoTime().optional(),
  attempts: z.number().int(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  warnings: z.array(WarningSchema),
  pages: z.number().int().optional(),
  units: z.number().int().optional().describe('billable units counted from the upload'),
  charge: z.enum(['reserved', 'settled', 'released']).optional(),
  maxUnits: z.number().int().optional(),
  options: JobOptionsSchema.optional(),
  confirmDeadline: isoTime().optional(),
  webhook: z
    .object({
      url: z.string(),
      eventId: z.string().describe('`evt_…`: the same in every delivery attempt of the event'),
      state: z.enum(['pending', 'delivered', 'failed']),
      attempts: z.number().int().describe('delivery attempts made so far'),
      lastAttemptAt: isoTime().optional(),
      lastStatus: z.number().int().optional().describe('the HTTP status the receiver last answered'),
      lastError: z
        .object({ code: z.string(), message: z.string() })
        .optional()
        .describe(
          'why the last attempt failed: address_refused, dns_failed, timeout, connection_failed, http_status, key_revoked',
        ),
      deliveredAt: isoTime().optional(),
    })
    .optional()
    .describe('the callback notified when the job ends, and its delivery state'),
  priceCents: z
    .number()
    .optional()
    .describe("price of the counted units on the owner's plan (single-job reads and confirmation only)"),
});

export const ApiKeySchema = z.object({
  id: z.string().describe("SHA-256 hex of the key: the key's id"),
  name: z.string(),
  prefix: z.string().describe('the first 10 characters of the key, to recognise it'),
  createdAt: isoTime(),
  revokedAt: isoTime().optional(),
  webhookUrl: z.string().optional().describe('the default webhook URL of jobs created with this key'),
});

export const SignedRequestSchema = z.object({
  url: z.string(),
  method: z.enum(['PUT', 'GET']),
  headers: z.record(z.string(), z.string()).describe('send exactly these headers'),
  expiresAt: isoTime(),
});

export const QuotaSchema = z.object({
  month: z.string().describe('YYYY-MM (UTC)'),
  limit: z.number().int().describe("the plan's monthly units"),
  used: z.number().int(),
  reserved: z.number().int(),
  remaining: z.number().int(),
});

/** Compile time: `true` when A and B are mutually assignable AND name the same keys (optional ones too). */
export type Same<A, B> = [A] extends [B]
  ? [B] extends [A]
    ? [keyof A] extends [keyof B]
      ? [keyof B] extends [keyof A]
        ? true
        : false
      : false
    : false
  : false;
/** Use: `agree<Same<X, Y>>()` fails to compile unless `Same` is `true`. */
export const agree = <T extends true>(): T | undefined => undefined;
agree<Same<z.output<typeof JobSchema>, JobView & { priceCents?: number }>>();
agree<Same<z.output<typeof ApiKeySchema>, ApiKeyView>>();
agree<Same<z.output<typeof SignedRequestSchema>, SignedRequest>>();
agree<Same<z.output<typeof QuotaSchema>, QuotaView>>();
