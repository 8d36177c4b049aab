/** Request body parsing: JSON with a size cap, validated with zod; any failure is a 400 with a code. */
import type { z } from 'zod';
import { badRequest } from './errors.ts';
import type { HttpRequest } from './types.ts';

export function parseJsonBody<S extends z.ZodType>(req: HttpRequest, schema: S): z.infer<S> {
  const type = req.headers['content-type'] ?? '';
  if (req.body.length > 0 && !/^application\/(.+\+)?json\b/i.test(type)) {
    throw badRequest('invalid_content_type', 'the request body must be application/json');
  }
  let value: unknown;
  try {
    value = req.body.length === 0 ? {} : JSON.parse(req.body.toString('utf8'));
  } catch {
    throw badRequest('invalid_json', 'the request body is not valid JSON');
  }
  return parseWith(schema, value, 'invalid_request');
}

export function parseWith<S extends z.ZodType>(schema: S, value: unknown, code: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const detail = parsed.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`)
      .join('; ');
    throw badRequest(code, detail);
  }
  return parsed.data;
}
