/**
 * A small JSON Schema (draft 2020-12) validator for tests: the keywords `z.toJSONSchema` emits, with local
 * `$ref`s resolved against a root document (an OpenAPI document, for `#/components/schemas/…`). Any keyword
 * it does not know is an error, not a silent pass, so a schema it cannot check fails the test that uses it.
 * Semantics follow JSON Schema 2020-12 Validation §6 (type, enum, const, numeric and string limits, required,
 * properties/additionalProperties/propertyNames, items) and Core §10.2 (allOf/anyOf/oneOf/not).
 */
type Schema = boolean | Record<string, unknown>;

/** Keywords that only annotate (no effect on validity). */
const ANNOTATIONS = new Set([
  'description',
  'title',
  'default',
  'examples',
  'deprecated',
  'readOnly',
  'writeOnly',
  'format',
  '$comment',
]);
const ASSERTIONS = new Set([
  '$ref',
  'type',
  'enum',
  'const',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'pattern',
  'required',
  'properties',
  'additionalProperties',
  'propertyNames',
  'items',
  'prefixItems',
  'minItems',
  'maxItems',
  'allOf',
  'anyOf',
  'oneOf',
  'not',
]);

/** Resolves a local JSON pointer (`#/a/b`, RFC 6901 escapes) in `root`; throws when it points nowhere. */
export function resolvePointer(root: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) throw new Error(`only local $refs are supported: ${ref}`);
  let node: unknown = root;
  for (const raw of ref.slice(1).split('/').slice(1)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key))
      throw new Error(`$ref ${ref} does not resolve`);
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

const typeOf = (v: unknown): string =>
  v === null
    ? 'null'
    : Array.isArray(v)
      ? 'array'
      : typeof v === 'number' && Number.isInteger(v)
        ? 'integer'
        : typeof v;

const equal = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Every way `value` breaks `schema`, as `path: reason` strings (empty when valid).
 * @throws Error when the schema uses a keyword this checker does not implement, or a `$ref` does not resolve.
 */
export function validate(schema: Schema, value: unknown, root: unknown = schema, path = '$'): string[] {
  if (schema === true) return [];
  if (schema === false) return [`${path}: no value is allowed here`];
  const errors: string[] = [];
  for (const k of Object.keys(schema))
    if (!ANNOTATIONS.has(k) && !ASSERTIONS.has(k)) throw new Error(`unsupported JSON Schema keyword ${k} at ${path}`);
  const s = schema as Record<string, unknown>;
  if (typeof s.$ref === 'string') errors.push(...validate(resolvePointer(root, s.$ref) as Schema, value, root, path));
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
    const t = typeOf(value);
    if (!types.some((want) => want === t || (want === 'number' && t === 'integer')))
      errors.push(`${path}: expected ${types.join('|')}, got ${t}`);
  }
  if (s.enum && !(s.enum as unknown[]).some((e) => equal(e, value)))
    errors.push(`${path}: not one of ${JSON.stringify(s.enum)}`);
  if ('const' in s && !equal(s.const, value)) errors.push(`${path}: must be ${JSON.stringify(s.const)}`);
  if (typeof value === 'number') {
    if (typeof s.minimum === 'number' && value < s.minimum) errors.push(`${path}: below ${s.minimum}`);
    if (typeof s.maximum === 'number' && value > s.maximum) errors.push(`${path}: above ${s.maximum}`);
    if (typeof s.exclusiveMinimum === 'number' && value <= s.exclusiveMinimum)
      errors.push(`${path}: not above ${s.exclusiveMinimum}`);
    if (typeof s.exclusiveMaximum === 'number' && value >= s.exclusiveMaximum)
      errors.push(`${path}: not below ${s.exclusiveMaximum}`);
    if (typeof s.multipleOf === 'number' && !Number.isInteger(value / s.multipleOf))
      errors.push(`${path}: not a multiple of ${s.multipleOf}`);
  }
  if (typeof value === 'string') {
    const length = [...value].length; // code points (JSON Schema counts characters, not UTF-16 units)
    if (typeof s.minLength === 'number' && length < s.minLength) errors.push(`${path}: shorter than ${s.minLength}`);
    if (typeof s.maxLength === 'number' && length > s.maxLength) errors.push(`${path}: longer than ${s.maxLength}`);
    if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(value))
      errors.push(`${path}: does not match ${s.pattern}`);
  }
  if (Array.isArray(value)) {
    if (typeof s.minItems === 'number' && value.length < s.minItems)
      errors.push(`${path}: fewer than ${s.minItems} items`);
    if (typeof s.maxItems === 'number' && value.length > s.maxItems)
      errors.push(`${path}: more than ${s.maxItems} items`);
    const prefix = (s.prefixItems as Schema[] | undefined) ?? [];
    value.forEach((item, i) => {
      const itemSchema = i < prefix.length ? prefix[i] : (s.items as Schema | undefined);
      if (itemSchema !== undefined) errors.push(...validate(itemSchema, item, root, `${path}[${i}]`));
    });
  }
  if (typeOf(value) === 'object') {
    const obj = value as Record<string, unknown>;
    for (const name of (s.required as string[] | undefined) ?? [])
      if (!Object.hasOwn(obj, name)) errors.push(`${path}: missing required property ${name}`);
    const props = (s.properties as Record<string, Schema> | undefined) ?? {};
    for (const [name, v] of Object.entries(obj)) {
      const at = `${path}.${name}`;
      if (s.propertyNames !== undefined) errors.push(...validate(s.propertyNames as Schema, name, root, `${at}(name)`));
      if (Object.hasOwn(props, name)) errors.push(...validate(props[name], v, root, at));
      else if (s.additionalProperties !== undefined)
        errors.push(
          ...validate(s.additionalProperties as Schema, v, root, at).map((e) =>
            s.additionalProperties === false ? `${at}: not a documented property` : e,
          ),
        );
    }
  }
  if (s.allOf) for (const sub of s.allOf as Schema[]) errors.push(...validate(sub, value, root, path));
  if (s.anyOf && !(s.anyOf as Schema[]).some((sub) => validate(sub, value, root, path).length === 0))
    errors.push(`${path}: matches none of anyOf`);
  if (s.oneOf && (s.oneOf as Schema[]).filter((sub) => validate(sub, value, root, path).length === 0).length !== 1)
    errors.push(`${path}: does not match exactly one of oneOf`);
  if (s.not !== undefined && validate(s.not as Schema, value, root, path).length === 0)
    errors.push(`${path}: matches not`);
  return errors;
}
