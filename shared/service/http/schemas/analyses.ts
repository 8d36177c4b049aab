/**
 * The analyses routes (`functions/routes/analyses.ts`): analyses of a succeeded job — a requirements matrix,
 * an answer with quoted passages, a summary, an outline — run by the task queue and read like jobs. Flow:
 * `createAnalysis` (202) → poll `getAnalysis` until `succeeded` (its `result` is then included) →
 * `getAnalysisResult` for the result alone (`format=csv` for a requirements matrix).
 */
import { z } from 'zod';
import { analysisResultSchema } from '../../../analysis/schema.ts';
import type { AnalysisView } from '../../analyses/view.ts';
import type { RouteSpec } from '../route-spec.ts';
import { agree, type Same } from './common.ts';
import { PageQuery } from './jobs.ts';
import { CONTROL_CHARS_MESSAGE, noControlCharsButLineBreaks } from './text-rules.ts';

export const CreateAnalysisBody = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('requirements') }).strict(),
  z
    .object({
      kind: z.literal('ask'),
      question: z
        .string()
        .trim()
        .min(1)
        .max(1000)
        .refine(noControlCharsButLineBreaks, CONTROL_CHARS_MESSAGE)
        .describe('answered only from the document, each claim with its quoted passages'),
    })
    .strict(),
  z.object({ kind: z.literal('summary') }).strict(),
  z.object({ kind: z.literal('outline') }).strict(),
]);

export const ListAnalysesQuery = PageQuery;

export const AnalysisResultQuery = z.object({
  format: z.enum(['json', 'csv']).default('json').describe('`csv`: the requirements matrix only (RFC 4180)'),
});

const isoTime = () => z.string().describe('ISO-8601 instant (UTC)');

export const AnalysisSchema = z.object({
  id: z.string(),
  jobId: z.string(),
  kind: z.enum(['requirements', 'ask', 'summary', 'outline']),
  question: z.string().optional(),
  status: z.enum(['queued', 'running', 'succeeded', 'failed']),
  engine: z.enum(['offline', 'gemini']).describe('the engine that runs it (`MDRAFT_ANALYZER`)'),
  createdAt: isoTime(),
  updatedAt: isoTime(),
  startedAt: isoTime().optional(),
  finishedAt: isoTime().optional(),
  attempts: z.number().int(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  warnings: z
    .array(z.object({ code: z.string(), message: z.string() }))
    .describe('e.g. `prompt_injection_suspected`; locations are in the result'),
  droppedClaims: z.number().int().optional().describe('claims dropped because their quote is not in the document'),
  usage: z
    .object({
      model: z.string(),
      calls: z.number().int(),
      inputTokens: z.number().int(),
      outputTokens: z.number().int(),
      costUsd: z.number().describe('estimated from list prices, US dollars'),
    })
    .optional()
    .describe('model use, when the Gemini engine ran'),
  result: analysisResultSchema.optional().describe('the result, on single reads of a succeeded analysis'),
});
agree<Same<z.output<typeof AnalysisSchema>, AnalysisView>>();

export const AnalysisResponse = z.object({ analysis: AnalysisSchema });
export const AnalysisPageResponse = z.object({
  analyses: z.array(AnalysisSchema),
  nextCursor: z.string().optional(),
});

const IDS = { 404: ['not_found'] } as const;

export const analysisRoutes = {
  createAnalysis: {
    operationId: 'createAnalysis',
    method: 'POST',
    path: '/v1/jobs/{id}/analyses',
    tag: 'analyses',
    summary: 'Analyse a succeeded job: requirements matrix, ask (with `question`), summary or outline',
    description:
      'Counts one AI call against the plan’s `aiCallsPerMonth` (given back if the analysis fails) and has its ' +
      'own rate limit (`analysesPerMinute`). Runs on the task queue: poll `getAnalysis`.',
    auth: 'user',
    body: CreateAnalysisBody,
    responses: {
      202: {
        description: 'accepted and queued',
        schema: AnalysisResponse,
        headers: { Location: 'the analysis: `/v1/jobs/{id}/analyses/{analysisId}`' },
      },
    },
    errors: { ...IDS, 402: ['ai_quota_exceeded'], 409: ['job_not_succeeded'], 429: ['analysis_rate_limited'] },
  },
  listAnalyses: {
    operationId: 'listAnalyses',
    method: 'GET',
    path: '/v1/jobs/{id}/analyses',
    tag: 'analyses',
    summary: "The job's analyses, newest first (without results)",
    auth: 'user',
    query: ListAnalysesQuery,
    responses: { 200: { description: 'one page', schema: AnalysisPageResponse } },
    errors: { ...IDS, 400: ['invalid_cursor'] },
  },
  getAnalysis: {
    operationId: 'getAnalysis',
    method: 'GET',
    path: '/v1/jobs/{id}/analyses/{analysisId}',
    tag: 'analyses',
    summary: 'An analysis: status, warnings, error, tokens and cost, and its result once succeeded',
    auth: 'user',
    responses: { 200: { description: 'the analysis', schema: AnalysisResponse } },
    errors: IDS,
  },
  getAnalysisResult: {
    operationId: 'getAnalysisResult',
    method: 'GET',
    path: '/v1/jobs/{id}/analyses/{analysisId}/result',
    tag: 'analyses',
    summary: 'The result alone: JSON, or `format=csv` for a requirements matrix (text/csv, RFC 4180)',
    description:
      'CSV columns: id, section, heading, page, level, modal, party, category, dates, quantities, text, start, ' +
      'end (lists joined with `; `; offsets are UTF-16 code units into the job’s Markdown).',
    auth: 'user',
    query: AnalysisResultQuery,
    responses: { 200: { description: 'the result (JSON unless `format=csv`)', schema: analysisResultSchema } },
    errors: { ...IDS, 409: ['analysis_not_ready', 'analysis_failed', 'format_not_available'] },
  },
} as const satisfies Record<string, RouteSpec>;
