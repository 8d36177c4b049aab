/**
 * Offline view of the Terraform code for tests: every `.tf` file parsed with @cdktf/hcl2json (no Terraform
 * binary, no providers), resources and locals merged per directory, and a small evaluator for the
 * expressions the tests need to resolve (variables, locals, a few functions, sample values for attributes
 * only known after apply).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from '@cdktf/hcl2json';

export const REPO = path.resolve(import.meta.dirname, '../..');
export const TERRAFORM = path.join(REPO, 'terraform');
export const MODULE_DIR = path.join(TERRAFORM, 'modules/mdraft');
export const ENV_DIRS = ['dev', 'prod'].map((env) => path.join(TERRAFORM, 'envs', env));

export type Block = Record<string, unknown>;

export interface TfDir {
  dir: string;
  files: Record<string, Block>;
  /** type → name → the resource body (hcl2json gives each block as a one-element array). */
  resources: Record<string, Record<string, Block>>;
  data: Record<string, Record<string, Block>>;
  locals: Record<string, unknown>;
  variables: Record<string, Block>;
  modules: Record<string, Block>;
  terraform: Block[];
}

export function tfFiles(dir: string = TERRAFORM): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== '.terraform') out.push(...tfFiles(full));
    else if (entry.isFile() && entry.name.endsWith('.tf')) out.push(full);
  }
  return out.sort();
}

export async function parseFile(file: string): Promise<Block> {
  return (await parse(path.basename(file), fs.readFileSync(file, 'utf8'))) as Block;
}

export async function loadDir(dir: string): Promise<TfDir> {
  const result: TfDir = {
    dir,
    files: {},
    resources: {},
    data: {},
    locals: {},
    variables: {},
    modules: {},
    terraform: [],
  };
  for (const file of fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.tf'))
    .sort()) {
    const parsed = await parseFile(path.join(dir, file));
    result.files[file] = parsed;
    for (const [kind, target] of [
      ['resource', result.resources],
      ['data', result.data],
    ] as const) {
      for (const [type, byName] of Object.entries((parsed[kind] ?? {}) as Record<string, Record<string, Block[]>>)) {
        target[type] ??= {};
        for (const [name, bodies] of Object.entries(byName)) {
          if (target[type][name]) throw new Error(`${type}.${name} declared twice in ${dir}`);
          target[type][name] = bodies[0];
        }
      }
    }
    for (const locals of (parsed.locals ?? []) as Block[]) Object.assign(result.locals, locals);
    for (const [name, bodies] of Object.entries((parsed.variable ?? {}) as Record<string, Block[]>))
      result.variables[name] = bodies[0];
    for (const [name, bodies] of Object.entries((parsed.module ?? {}) as Record<string, Block[]>))
      result.modules[name] = bodies[0];
    result.terraform.push(...((parsed.terraform ?? []) as Block[]));
  }
  return result;
}

/** The first element of a nested block list (`build_config[0]` in Terraform terms). */
export function block(parent: unknown, name: string): Block {
  const list = (parent as Block | undefined)?.[name];
  if (!Array.isArray(list) || list.length === 0) throw new Error(`no ${name} block`);
  return list[0] as Block;
}

export function maybeBlock(parent: unknown, name: string): Block | undefined {
  const list = (parent as Block | undefined)?.[name];
  return Array.isArray(list) && list.length > 0 ? (list[0] as Block) : undefined;
}

/** `"${google_service_account.tasks.email}"` → `google_service_account.tasks.email`; anything else: undefined. */
export function reference(value: unknown): string | undefined {
  const m = typeof value === 'string' ? /^\$\{\s*([A-Za-z0-9_.[\]"-]+)\s*\}$/.exec(value) : null;
  return m?.[1];
}

/** Values of attributes only known after apply, in the shape the provider documents. */
export interface Samples {
  [pattern: string]: string;
}

/**
 * Evaluates a Terraform string (literal text with `${…}` interpolations) the way the tests need: variable
 * defaults (or overrides), locals (recursively), `tostring`, `join`, `a + n`, `a == "x" ? b : c`, and resource attributes from
 * `samples` (keyed by reference). Anything else throws, so an unexpected expression fails the test loudly.
 */
export function evaluate(tf: TfDir, value: unknown, vars: Record<string, unknown>, samples: Samples): unknown {
  if (Array.isArray(value)) return value.map((v) => evaluate(tf, v, vars, samples));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, evaluate(tf, v, vars, samples)]));
  }
  if (typeof value !== 'string') return value;
  const whole = /^\$\{([\s\S]*)\}$/.exec(value);
  if (whole && !whole[1].includes('${')) return evalExpr(tf, whole[1].trim(), vars, samples);
  return value.replace(/\$\{([^}]*)\}/g, (_m, expr: string) => String(evalExpr(tf, expr.trim(), vars, samples)));
}

function evalExpr(tf: TfDir, expr: string, vars: Record<string, unknown>, samples: Samples): unknown {
  let m: RegExpExecArray | null;
  if (/^-?\d+(\.\d+)?$/.test(expr)) return Number(expr);
  if ((m = /^"([^"]*)"$/.exec(expr))) return m[1];
  if ((m = /^tostring\(([\s\S]+)\)$/.exec(expr))) return String(evalExpr(tf, m[1].trim(), vars, samples));
  if ((m = /^join\("([^"]*)",\s*([\s\S]+)\)$/.exec(expr)))
    return (evalExpr(tf, m[2].trim(), vars, samples) as unknown[]).join(m[1]);
  // `a == "literal" ? b : c` (and `!=`): the only conditional form the module uses.
  if ((m = /^([\w.]+)\s*(==|!=)\s*"([^"]*)"\s*\?\s*([^?:]+?)\s*:\s*([^?:]+)$/.exec(expr))) {
    const equal = String(evalExpr(tf, m[1], vars, samples)) === m[3];
    return evalExpr(tf, (equal === (m[2] === '==') ? m[4] : m[5]).trim(), vars, samples);
  }
  if ((m = /^([\w.]+)\s*\+\s*(\d+)$/.exec(expr))) return Number(evalExpr(tf, m[1], vars, samples)) + Number(m[2]);
  if ((m = /^var\.(\w+)$/.exec(expr))) {
    if (m[1] in vars) return vars[m[1]];
    const variable = tf.variables[m[1]];
    if (!variable) throw new Error(`unknown variable ${m[1]}`);
    if (!('default' in variable)) throw new Error(`variable ${m[1]} has no default: pass it`);
    return variable.default;
  }
  if ((m = /^local\.(\w+)((?:\.\w+)*)$/.exec(expr))) {
    if (!(m[1] in tf.locals)) throw new Error(`unknown local ${m[1]}`);
    let v = tf.locals[m[1]];
    for (const key of m[2].split('.').filter(Boolean)) {
      v = evaluate(tf, v, vars, samples);
      v = (v as Record<string, unknown>)[key];
    }
    return evaluate(tf, v, vars, samples);
  }
  if (expr in samples) return samples[expr];
  throw new Error(`cannot evaluate \${${expr}} offline: add a sample for it`);
}
