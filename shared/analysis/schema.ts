/**
 * The result shapes of every analysis, as zod schemas (strict: an unknown field is an error), so both
 * engines' results are checked against one contract and a document cannot change the shape of an answer.
 * Offsets are UTF-16 code-unit indexes into the analysed Markdown, [start, end).
 */
import { z } from 'zod';

const section = z.strictObject({ number: z.string().optional(), heading: z.string() });

export const quoteSchema = z.strictObject({
  text: z.string(),
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  page: z.number().int().positive().optional(),
  section: section.optional(),
});

/** One statement of an answer or summary and the verbatim passages backing it. */
export const claimSchema = z.strictObject({ text: z.string(), quotes: z.array(quoteSchema).min(1) });

const warning = z.strictObject({
  code: z.enum(['prompt_injection_suspected', 'quotes_unverified', 'analysis_incomplete', 'urls_removed']),
  message: z.string(),
  locations: z
    .array(
      z.strictObject({
        kind: z.enum(['instruction', 'hidden', 'exfiltration']),
        start: z.number().int(),
        end: z.number().int(),
        excerpt: z.string(),
        page: z.number().int().optional(),
      }),
    )
    .optional(),
});

const usage = z.strictObject({
  model: z.string(),
  calls: z.number().int().nonnegative(),
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  /** Estimated from the model's list prices (`gemini-analyzer.ts`), US dollars. */
  costUsd: z.number().nonnegative(),
});

const base = {
  engine: z.enum(['offline', 'gemini']),
  warnings: z.array(warning),
  /** Claims dropped because a quote they rested on is not in the document verbatim. */
  droppedClaims: z.number().int().nonnegative(),
  usage: usage.optional(),
};

export const requirementSchema = z.strictObject({
  id: z.string(),
  text: z.string(),
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  section: section.optional(),
  headingPath: z.array(z.string()),
  page: z.number().int().positive().optional(),
  modalText: z.string(),
  modal: z.enum(['shall', 'must', 'will', 'should', 'may', 'required']),
  negative: z.boolean(),
  level: z.enum(['mandatory', 'prohibited', 'recommended', 'not_recommended', 'permitted', 'declared']),
  party: z.string().optional(),
  dates: z.array(z.string()),
  quantities: z.array(z.string()),
  category: z.enum(['submission', 'evaluation', 'contractual', 'personnel', 'schedule', 'technical', 'general']),
});

const passage = z.strictObject({
  start: z.number().int(),
  end: z.number().int(),
  text: z.string(),
  page: z.number().int().optional(),
  pages: z.array(z.number().int()),
  section: section.optional(),
  headingPath: z.array(z.string()),
  score: z.number(),
  coverage: z.number(),
});

export const analysisResultSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('requirements'), ...base, requirements: z.array(requirementSchema) }),
  z.strictObject({
    kind: z.literal('ask'),
    ...base,
    question: z.string(),
    found: z.boolean(),
    answer: z.string(),
    claims: z.array(claimSchema),
    passages: z.array(passage),
  }),
  z.strictObject({
    kind: z.literal('summary'),
    ...base,
    overall: z.array(claimSchema),
    sections: z.array(
      z.strictObject({
        section: section.optional(),
        headingPath: z.array(z.string()),
        start: z.number().int(),
        end: z.number().int(),
        pages: z.array(z.number().int()),
        claims: z.array(claimSchema),
      }),
    ),
  }),
  z.strictObject({
    kind: z.literal('outline'),
    ...base,
    outline: z.array(
      z.strictObject({
        depth: z.number().int(),
        number: z.string().optional(),
        heading: z.string(),
        start: z.number().int(),
        end: z.number().int(),
        sectionEnd: z.number().int(),
        page: z.number().int().optional(),
        pages: z.array(z.number().int()),
        lead: quoteSchema.optional(),
      }),
    ),
  }),
]);

export type AnalysisResult = z.infer<typeof analysisResultSchema>;
export type Claim = z.infer<typeof claimSchema>;
