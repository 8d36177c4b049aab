/**
 * The OpenAPI 3.1 document of the public API, generated from the route specs (`schemas/index.ts`) with zod's
 * own JSON Schema output (`z.toJSONSchema`, draft 2020-12: the dialect OpenAPI 3.1 uses, OAS 3.1 §4.8.24).
 * Request bodies and query parameters are described by the schemas' input side (what a caller may send:
 * defaults make a field optional), responses by the output side (what the service sends). Named schemas
 * become `components.schemas` and are referenced with `$ref`; every error status a route can answer
 * (`errorStatuses`) points at the one error envelope.
 */
import { z } from 'zod';
import { errorStatuses, pathParams, type RouteSpec } from './route-spec.ts';
import {
  ErrorEnvelopeSchema,
  ApiKeySchema,
  JobSchema,
  QuotaSchema,
  SignedRequestSchema,
  WarningSchema,
} from './schemas/common.ts';
import { ChunksResponse, JobResponse, ResultLinkResponse } from './schemas/jobs.ts';
import { AnalysisResponse, AnalysisSchema } from './schemas/analyses.ts';
import { analysisResultSchema } from '../../analysis/schema.ts';
import { EstimateSchema, MeResponse, MeSchema, UsageRowSchema } from './schemas/account.ts';
import { RedirectSessionSchema } from './schemas/billing.ts';
import { AdminUserResponse, AdminUserSchema, AuditEntrySchema, UsageRecordSchema } from './schemas/admin.ts';
import { SESSION_COOKIE } from '../auth/authenticate.ts';

type JsonSchema = Record<string, unknown>;
export type OpenApiDocument = Record<string, unknown> & {
  openapi: string;
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, JsonSchema> } & Record<string, unknown>;
};

/** Schemas named in `components.schemas` whatever route uses them first (the rest are named after their route). */
const NAMED: Record<string, z.ZodType> = {
  Error: ErrorEnvelopeSchema,
  Job: JobSchema,
  Warning: WarningSchema,
  ApiKey: ApiKeySchema,
  SignedRequest: SignedRequestSchema,
  Quota: QuotaSchema,
  Me: MeSchema,
  Estimate: EstimateSchema,
  UsageRow: UsageRowSchema,
  RedirectSession: RedirectSessionSchema,
  AdminUser: AdminUserSchema,
  UsageRecord: UsageRecordSchema,
  AuditEntry: AuditEntrySchema,
  JobResponse,
  Chunks: ChunksResponse,
  ResultLink: ResultLinkResponse,
  Analysis: AnalysisSchema,
  AnalysisResult: analysisResultSchema,
  AnalysisResponse,
  MeResponse,
  AdminUserResponse,
};

/** The credentials `shared/service/auth/authenticate.ts` accepts, as OpenAPI security schemes. */
export const SECURITY_SCHEMES = {
  apiKey: {
    type: 'apiKey',
    in: 'header',
    name: 'X-API-Key',
    description: 'An MDraft API key (`mdk_` + 43 base64url characters), from `POST /v1/keys` or `npm start`.',
  },
  firebaseIdToken: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'A Firebase Auth ID token: `Authorization: Bearer <token>` (Google Cloud deployments).',
  },
  sessionCookie: {
    type: 'apiKey',
    in: 'cookie',
    name: SESSION_COOKIE,
    description: "The embedded default's session, set by its one-time sign-in link (browsers only).",
  },
} as const;

const ERROR_TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Missing or invalid credentials',
  402: 'Payment required: the monthly quota is used up',
  403: 'Forbidden',
  404: 'Not found (another user’s resource answers the same)',
  409: 'Conflict with the resource’s state',
  413: 'Too large',
  415: 'Unsupported media type',
  429: 'Too many requests or jobs',
  500: 'Internal error',
  501: 'Not configured on this deployment',
  503: 'Temporarily unavailable',
};

const pascal = (s: string) => s[0].toUpperCase() + s.slice(1);

/** Removes the per-schema `$schema`/`$id` zod adds: a component is part of the document's dialect. */
function bare(schema: JsonSchema): JsonSchema {
  const { $schema: _s, $id: _i, ...rest } = schema;
  return rest;
}

/**
 * @param specs the routes (`Object.values(API_ROUTES)`); operationIds must be unique.
 * @returns the OpenAPI 3.1.1 document (plain JSON).
 * @throws Error on a duplicate operationId, a duplicate method+path, or a schema JSON Schema cannot express.
 */
export function openApiDocument(
  specs: readonly RouteSpec[],
  info: { title?: string; version?: string } = {},
): OpenApiDocument {
  const output = z.registry<{ id: string }>();
  const input = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(NAMED)) output.add(schema, { id });
  const ids = new Set<string>();
  const seen = new Set<string>();
  for (const spec of specs) {
    if (ids.has(spec.operationId)) throw new Error(`duplicate operationId ${spec.operationId}`);
    ids.add(spec.operationId);
    const key = `${spec.method} ${spec.path}`;
    if (seen.has(key)) throw new Error(`duplicate route ${key}`);
    seen.add(key);
    if (spec.body && !input.has(spec.body)) input.add(spec.body, { id: `${pascal(spec.operationId)}Request` });
    // A second JSON response of one operation is named with its status (two schemas under one id would merge).
    let named = 0;
    for (const [status, r] of Object.entries(spec.responses)) {
      if (!r.schema || (r.contentType ?? 'application/json') !== 'application/json' || output.has(r.schema)) continue;
      output.add(r.schema, { id: `${pascal(spec.operationId)}${named++ ? status : ''}Response` });
    }
  }
  const uri = (id: string) => `#/components/schemas/${id}`;
  const convert = (registry: z.core.$ZodRegistry<{ id: string }>, io: 'input' | 'output') =>
    (z.toJSONSchema(registry, { target: 'draft-2020-12', io, uri }) as { schemas: Record<string, JsonSchema> }).schemas;
  const schemas: Record<string, JsonSchema> = {};
  for (const [id, s] of [...Object.entries(convert(output, 'output')), ...Object.entries(convert(input, 'input'))]) {
    if (schemas[id]) throw new Error(`schema name ${id} is used twice`);
    schemas[id] = bare(s);
  }
  const ref = (registry: z.core.$ZodRegistry<{ id: string }>, schema: z.ZodType, io: 'input' | 'output') => {
    const id = registry.get(schema)?.id;
    return id ? { $ref: uri(id) } : bare(z.toJSONSchema(schema, { target: 'draft-2020-12', io }) as JsonSchema);
  };

  const paths: OpenApiDocument['paths'] = {};
  for (const spec of specs) {
    const operation: Record<string, unknown> = {
      operationId: spec.operationId,
      summary: spec.summary,
      ...(spec.description ? { description: spec.description } : {}),
      tags: [spec.tag],
      security: spec.auth === 'none' ? [] : Object.keys(SECURITY_SCHEMES).map((name) => ({ [name]: [] as string[] })),
    };
    const parameters = [
      ...pathParams(spec.path).map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
      ...(spec.query ? queryParameters(spec.query) : []),
    ];
    if (parameters.length) operation.parameters = parameters;
    if (spec.body)
      operation.requestBody = {
        // An empty body is parsed as `{}` (`parseJsonBody`): required only when `{}` is refused.
        required: !spec.body.safeParse({}).success,
        content: { 'application/json': { schema: ref(input, spec.body, 'input') } },
      };
    const responses: Record<string, unknown> = {};
    for (const [status, r] of Object.entries(spec.responses)) {
      responses[status] = {
        description: r.description,
        ...(r.headers
          ? {
              headers: Object.fromEntries(
                Object.entries(r.headers).map(([h, d]) => [h, { description: d, schema: { type: 'string' } }]),
              ),
            }
          : {}),
        ...(r.schema
          ? { content: { [r.contentType ?? 'application/json']: { schema: ref(output, r.schema, 'output') } } }
          : {}),
      };
    }
    for (const [status, codes] of errorStatuses(spec)) {
      responses[String(status)] = {
        description: `${ERROR_TITLES[status] ?? 'Error'}: ${codes.map((c) => `\`${c}\``).join(', ')}`,
        content: { 'application/json': { schema: { $ref: uri('Error') } } },
      };
    }
    operation.responses = responses;
    (paths[spec.path] ??= {})[spec.method.toLowerCase()] = operation;
  }

  return {
    openapi: '3.1.1',
    info: {
      title: info.title ?? 'MDraft API',
      version: info.version ?? '1',
      description:
        'Documents (PDF, DOCX, PPTX, XLSX, HTML, CSV, EPUB, images, text) to clean Markdown. Create a job, ' +
        'upload the bytes to its signed URL, poll it, fetch the result. Every error is ' +
        '`{"error": {"code", "message", "requestId"}}`.',
    },
    jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
    tags: [...new Set(specs.map((s) => s.tag))].map((name) => ({ name })),
    paths,
    components: { schemas, securitySchemes: SECURITY_SCHEMES },
  };
}

/** One `in: query` parameter per property of the query object (its input side: defaults are optional). */
function queryParameters(query: z.ZodObject): Array<Record<string, unknown>> {
  const json = z.toJSONSchema(query, { target: 'draft-2020-12', io: 'input' }) as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, schema]) => {
    const { description, ...rest } = schema;
    return {
      name,
      in: 'query',
      required: json.required?.includes(name) ?? false,
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    };
  });
}
