/**
 * The Terraform deployment checked against the code, offline: every `.tf` file is parsed with
 * @cdktf/hcl2json. The expectations come from the sources (the functions `functions/index.ts` registers,
 * the settings the GCP adapters refuse to start without, the job store's queries), not from a copy here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, ConfigError } from '../../shared/service/config.ts';
import { gcpSettings } from '../../shared/adapters/gcp/index.ts';
import {
  REPO,
  TERRAFORM,
  MODULE_DIR,
  ENV_DIRS,
  tfFiles,
  parseFile,
  loadDir,
  block,
  maybeBlock,
  reference,
  evaluate,
  type TfDir,
  type Block,
  type Samples,
} from './hcl.ts';

let mod: TfDir;
beforeAll(async () => {
  mod = await loadDir(MODULE_DIR);
});

/** The functions `functions/index.ts` registers: `ff.http('name'` and `ff.cloudEvent<…>('name'`. */
function registeredFunctions(): { name: string; kind: 'http' | 'cloudEvent' }[] {
  const source = fs.readFileSync(path.join(REPO, 'functions/index.ts'), 'utf8');
  return [...source.matchAll(/\bff\.(http|cloudEvent)\s*(?:<[^>]*>)?\(\s*['"]([^'"]+)['"]/g)].map((m) => ({
    name: m[2],
    kind: m[1] as 'http' | 'cloudEvent',
  }));
}

function functions(): [string, Block][] {
  return Object.entries(mod.resources.google_cloudfunctions2_function ?? {});
}

/** The function resource deployed for an entry point. */
function functionFor(entryPoint: string): [string, Block] {
  const found = functions().filter(([, body]) => block(body, 'build_config').entry_point === entryPoint);
  if (found.length !== 1)
    throw new Error(`expected one function with entry_point ${entryPoint}, found ${found.length}`);
  return found[0];
}

/** Every IAM member granted on the Cloud Run service of the function resource `name`, by any IAM resource type. */
function invokerGrants(name: string): { type: string; role: unknown; members: unknown[] }[] {
  const grants = [];
  for (const [type, byName] of Object.entries(mod.resources)) {
    if (!/^google_(cloud_run_service|cloud_run_v2_service|cloudfunctions2_function)_iam_/.test(type)) continue;
    for (const body of Object.values(byName)) {
      const target = reference(body.service ?? body.name ?? body.cloud_function);
      if (target !== `google_cloudfunctions2_function.${name}.name`) continue;
      const members = 'member' in body ? [body.member] : 'members' in body ? (body.members as unknown[]) : ['<policy>'];
      grants.push({ type, role: body.role, members });
    }
  }
  return grants;
}

/** The members a grant resource gives, expanding `for_each` maps of `member = each.value`. */
function membersOf(body: Block): (string | undefined)[] {
  if (reference(body.member) === 'each.value') {
    if (!body.for_each || typeof body.for_each !== 'object') throw new Error('each.value over an unreadable for_each');
    return Object.values(body.for_each as Record<string, unknown>).map(reference);
  }
  return [reference(body.member)];
}

// Sample values for attributes Terraform only knows after apply, shaped as the provider documents them.
const VARS = {
  project_id: 'your-project-id',
  name_prefix: 'mdraft-dev',
  function_source_zip: '/workspace/dist/functions.zip',
};
const SAMPLES: Samples = {
  'data.google_project.this.number': '123456789012',
  'google_storage_bucket.uploads.name': 'your-project-id-mdraft-dev-uploads',
  'google_storage_bucket.results.name': 'your-project-id-mdraft-dev-results',
  'google_firestore_database.main.name': '(default)',
  'google_cloud_tasks_queue.convert.id': 'projects/your-project-id/locations/europe-west1/queues/mdraft-dev-convert',
  'google_service_account.tasks.email': 'mdraft-dev-tasks@your-project-id.iam.gserviceaccount.com',
  'google_document_ai_processor.ocr.id': 'projects/your-project-id/locations/eu/processors/0123456789abcdef',
};

describe('terraform files', () => {
  it('every .tf file parses', async () => {
    const files = tfFiles();
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) await expect(parseFile(file)).resolves.toBeDefined();
  });

  it('a syntax error is caught by the parser (the check above can fail)', async () => {
    const tmp = path.join(fs.mkdtempSync(path.join(REPO, 'node_modules/.cache-tf-')), 'bad.tf');
    try {
      fs.writeFileSync(tmp, 'resource "x" "y" { a = 1 b = 2 }\n');
      await expect(parseFile(tmp)).rejects.toThrow();
    } finally {
      fs.rmSync(path.dirname(tmp), { recursive: true, force: true });
    }
  });

  it.each(ENV_DIRS.map((d) => [path.basename(d), d]))(
    'env %s pins Terraform and the provider, keeps state in GCS and calls the module',
    async (_env, dir) => {
      const env = await loadDir(dir);
      const settings = env.terraform[0];
      expect(settings.required_version).toMatch(/^~>\s*1\.\d+/);
      const providers = (settings.required_providers as Block[])[0];
      expect(providers.google).toEqual({
        source: 'hashicorp/google',
        version: expect.stringMatching(/^~>\s*\d+\.\d+/),
      });
      expect(settings.backend).toEqual({ gcs: [{}] });
      expect(env.modules.mdraft.source).toBe('../../modules/mdraft');
      const example = fs.readFileSync(path.join(dir, 'terraform.tfvars.example'), 'utf8');
      expect(example).toMatch(/project_id\s*=\s*"your-project-id"/);
    },
  );

  it('the module pins the same provider range as the environments', () => {
    const providers = (mod.terraform[0].required_providers as Block[])[0];
    expect((providers.google as Block).version).toMatch(/^~>\s*\d+\.\d+/);
  });
});

describe('functions', () => {
  const registered = registeredFunctions();

  it('the code registers the five functions (the parse of functions/index.ts works)', () => {
    expect(registered.map((f) => f.name).sort()).toEqual([
      'api',
      'cleanup',
      'convertWorker',
      'onUploadFinalized',
      'stripeWebhook',
    ]);
  });

  it('every registered function is deployed once, on nodejs24, with its entry point', () => {
    for (const { name } of registered) {
      const [, body] = functionFor(name);
      expect(block(body, 'build_config').runtime).toBe('nodejs24');
    }
    expect(functions()).toHaveLength(registered.length);
  });

  it('every function is built from the same package object in the source bucket', () => {
    for (const [, body] of functions()) {
      const source = block(block(block(body, 'build_config'), 'source'), 'storage_source');
      expect(reference(source.object)).toBe('google_storage_bucket_object.functions_source.name');
      expect(reference(source.bucket)).toBe('google_storage_bucket.source.name');
    }
    const object = mod.resources.google_storage_bucket_object.functions_source;
    expect(object.source).toBe('${var.function_source_zip}');
    expect(object.name).toContain('filemd5(var.function_source_zip)');
  });

  it('each function runs as its own service account', () => {
    const accounts = functions().map(([, body]) => reference(block(body, 'service_config').service_account_email));
    expect(new Set(accounts).size).toBe(accounts.length);
    for (const account of accounts) expect(account).toMatch(/^google_service_account\.\w+\.email$/);
  });

  it('the cloudEvent function is triggered by upload finalize on the uploads bucket, with retries', () => {
    for (const { name, kind } of registered) {
      const [, body] = functionFor(name);
      const trigger = maybeBlock(body, 'event_trigger');
      if (kind === 'http') {
        expect(trigger).toBeUndefined();
        continue;
      }
      expect(trigger).toBeDefined();
      expect(trigger!.event_type).toBe('google.cloud.storage.object.v1.finalized');
      expect(trigger!.retry_policy).toBe('RETRY_POLICY_RETRY');
      expect(block(trigger, 'event_filters')).toEqual({
        attribute: 'bucket',
        value: '${google_storage_bucket.uploads.name}',
      });
      const triggerAccount = reference(trigger!.service_account_email)!.replace(/\.email$/, '.member');
      const receivers = Object.values(mod.resources.google_project_iam_member).filter(
        (g) => g.role === 'roles/eventarc.eventReceiver',
      );
      expect(receivers.map((g) => reference(g.member))).toContain(triggerAccount);
    }
  });

  it('the GCS service agent may publish the events', () => {
    const grants = Object.values(mod.resources.google_project_iam_member).filter(
      (g) => g.role === 'roles/pubsub.publisher',
    );
    expect(grants.map((g) => g.member)).toEqual([
      'serviceAccount:${data.google_storage_project_service_account.gcs.email_address}',
    ]);
  });
});

describe('configuration', () => {
  /** The settings the GCP adapters refuse to start without, named by their own error message. */
  function requiredGcpVariables(): string[] {
    let message = '';
    try {
      gcpSettings(loadConfig({ MDRAFT_BACKEND: 'gcp' }));
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    return [...new Set(message.match(/MDRAFT_[A-Z_]+/g) ?? [])];
  }

  function envOf(body: Block): Record<string, string> {
    return evaluate(mod, block(body, 'service_config').environment_variables, VARS, SAMPLES) as Record<string, string>;
  }

  it('the required list derived from the code is not empty', () => {
    expect(requiredGcpVariables()).toEqual(
      expect.arrayContaining([
        'MDRAFT_GCP_PROJECT',
        'MDRAFT_TASKS_QUEUE',
        'MDRAFT_TASKS_SERVICE_ACCOUNT',
        'MDRAFT_WORKER_URL',
      ]),
    );
  });

  it.each(['api', 'onUploadFinalized', 'convertWorker', 'cleanup'])(
    '%s gets every variable the gcp backend requires, and they validate',
    (entryPoint) => {
      const [, body] = functionFor(entryPoint);
      const env = envOf(body);
      expect(env.MDRAFT_BACKEND).toBe('gcp');
      for (const name of [...requiredGcpVariables(), 'MDRAFT_UPLOADS_BUCKET', 'MDRAFT_RESULTS_BUCKET']) {
        expect({ [name]: env[name] }).toEqual({ [name]: expect.stringMatching(/./) });
      }
      // The whole environment goes through the real config loader and the GCP adapters' validation.
      const config = loadConfig(env);
      expect(() => gcpSettings(config)).not.toThrow();
      expect(config.buckets).toEqual({
        uploads: SAMPLES['google_storage_bucket.uploads.name'],
        results: SAMPLES['google_storage_bucket.results.name'],
      });
    },
  );

  it('the worker URL is the convertWorker function (deterministic Cloud Run URL), also the tasks audience', () => {
    const env = envOf(functionFor('api')[1]);
    const worker = functionFor('convertWorker')[1];
    const workerName = evaluate(mod, worker.name, VARS, SAMPLES) as string;
    expect(env.MDRAFT_WORKER_URL).toBe(`https://${workerName}-123456789012.europe-west1.run.app`);
    expect(env.MDRAFT_TASKS_AUDIENCE).toBe(env.MDRAFT_WORKER_URL);
    expect(workerName.length + 1 + 12).toBeLessThanOrEqual(63);
  });

  it('tasks go out as the account that alone may invoke the worker', () => {
    const env = block(functionFor('api')[1], 'service_config').environment_variables as string;
    const common = mod.locals[reference(env)!.replace(/^local\./, '')] as Record<string, string>;
    const invokers = invokerGrants(functionFor('convertWorker')[0]).flatMap((g) => g.members);
    expect(invokers.map(reference)).toEqual([
      reference(common.MDRAFT_TASKS_SERVICE_ACCOUNT)!.replace(/\.email$/, '.member'),
    ]);
  });

  it('MDRAFT_MAX_ATTEMPTS is the queue max_attempts', () => {
    const common = evaluate(mod, mod.locals.common_env, VARS, SAMPLES) as Record<string, string>;
    const retry = block(mod.resources.google_cloud_tasks_queue.convert, 'retry_config');
    expect(common.MDRAFT_MAX_ATTEMPTS).toBe(String(evaluate(mod, retry.max_attempts, VARS, SAMPLES)));
  });

  it('the dispatch deadline covers the conversion budget and is within Cloud Tasks limits', () => {
    const common = evaluate(mod, mod.locals.common_env, VARS, SAMPLES) as Record<string, string>;
    const deadline = Number(common.MDRAFT_QUEUE_DISPATCH_DEADLINE_S);
    expect(deadline).toBeGreaterThan(Number(common.MDRAFT_CONVERT_TIMEOUT_S));
    expect(deadline).toBeLessThanOrEqual(1800);
    const workerTimeout = evaluate(
      mod,
      block(functionFor('convertWorker')[1], 'service_config').timeout_seconds,
      VARS,
      SAMPLES,
    );
    expect(workerTimeout).toBeGreaterThanOrEqual(deadline);
  });
});

describe('access', () => {
  it('only the api and the Stripe webhook (it verifies signatures itself) are public; nothing else grants allUsers/allAuthenticatedUsers', () => {
    const publicGrants: string[] = [];
    for (const [type, byName] of Object.entries(mod.resources)) {
      for (const [name, body] of Object.entries(byName)) {
        if (/allUsers|allAuthenticatedUsers/.test(JSON.stringify(body))) publicGrants.push(`${type}.${name}`);
      }
    }
    const expected = ['api', 'stripeWebhook'].flatMap((entryPoint) => {
      const [fnName] = functionFor(entryPoint);
      const grants = Object.entries(mod.resources.google_cloud_run_service_iam_member)
        .filter(
          ([, g]) =>
            reference(g.service) === `google_cloudfunctions2_function.${fnName}.name` && g.member === 'allUsers',
        )
        .map(([name]) => `google_cloud_run_service_iam_member.${name}`);
      expect(grants).toHaveLength(1);
      return grants;
    });
    expect(publicGrants.sort()).toEqual(expected.sort());
  });

  it('Stripe secrets reach only the functions whose code uses them (api: Checkout/Portal; worker: meter events; webhook: signatures)', () => {
    const bySecret = evaluate(mod, mod.locals.function_secrets, VARS, SAMPLES) as Record<string, string[]>;
    const holders = (secret: string) =>
      Object.entries(bySecret)
        .filter(([, s]) => s.includes(secret))
        .map(([fn]) => fn)
        .sort();
    expect(holders('stripe_secret_key')).toEqual(['api', 'convertWorker']);
    expect(holders('stripe_webhook_secret')).toEqual(['stripeWebhook']);
    expect(holders('sentry_dsn')).toEqual(
      registeredFunctions()
        .map((f) => f.name)
        .sort(),
    );
  });

  it('the worker is invoked only by the tasks account, cleanup only by the scheduler account', () => {
    const expected: Record<string, string> = {
      convertWorker: 'google_service_account.tasks.member',
      cleanup: 'google_service_account.scheduler.member',
      onUploadFinalized: 'google_service_account.trigger.member',
    };
    for (const [entryPoint, member] of Object.entries(expected)) {
      const grants = invokerGrants(functionFor(entryPoint)[0]);
      expect(grants).toEqual([
        { type: 'google_cloud_run_service_iam_member', role: 'roles/run.invoker', members: [`\${${member}}`] },
      ]);
    }
  });

  it('the scheduler calls cleanup with an OIDC token of the scheduler account, audience = cleanup URI', () => {
    const [cleanupName] = functionFor('cleanup');
    const target = block(mod.resources.google_cloud_scheduler_job.cleanup, 'http_target');
    const oidc = block(target, 'oidc_token');
    const uri = `\${google_cloudfunctions2_function.${cleanupName}.service_config[0].uri}`;
    expect(target.uri).toBe(uri);
    expect(oidc).toEqual({ service_account_email: '${google_service_account.scheduler.email}', audience: uri });
  });

  it('the api signs URLs as itself: token creator on its own account, and no other account gets it', () => {
    const grants = Object.values(mod.resources.google_service_account_iam_member).filter(
      (g) => g.role === 'roles/iam.serviceAccountTokenCreator',
    );
    const apiAccount = reference(block(functionFor('api')[1], 'service_config').service_account_email)!.replace(
      /\.email$/,
      '',
    );
    expect(grants.map((g) => [reference(g.service_account_id), reference(g.member)])).toEqual([
      [`${apiAccount}.name`, `${apiAccount}.member`],
    ]);
  });

  it('only the functions that enqueue (upload-finalized and cleanup call enqueueConversion) may create tasks', () => {
    const source = (f: string) => fs.readFileSync(path.join(REPO, 'shared/service/jobs', f), 'utf8');
    expect(source('upload-finalized.ts')).toMatch(/tasks\.enqueue\(/);
    expect(source('cleanup.ts')).toMatch(/enqueueConversion\(/);
    const enqueuers = Object.values(mod.resources.google_cloud_tasks_queue_iam_member).flatMap(membersOf);
    const accountOf = (ep: string) =>
      reference(block(functionFor(ep)[1], 'service_config').service_account_email)!.replace(/\.email$/, '.member');
    expect(enqueuers.sort()).toEqual([accountOf('onUploadFinalized'), accountOf('cleanup')].sort());
    const actAs = Object.values(mod.resources.google_service_account_iam_member).filter(
      (g) => g.role === 'roles/iam.serviceAccountUser',
    );
    expect(actAs.flatMap(membersOf).sort()).toEqual(enqueuers.sort());
    for (const g of actAs) expect(reference(g.service_account_id)).toBe('google_service_account.tasks.name');
  });

  it('no project-wide storage, owner or editor roles', () => {
    for (const g of Object.values(mod.resources.google_project_iam_member)) {
      const roles = typeof g.role === 'string' ? [g.role] : [];
      for (const role of roles) expect(role).not.toMatch(/^roles\/(owner|editor|storage\.)/);
    }
  });
});

describe('storage', () => {
  it('every bucket is private: uniform access and public access prevention enforced', () => {
    const buckets = Object.entries(mod.resources.google_storage_bucket);
    expect(buckets.length).toBeGreaterThanOrEqual(3);
    for (const [, bucket] of buckets) {
      expect(bucket.uniform_bucket_level_access).toBe(true);
      expect(bucket.public_access_prevention).toBe('enforced');
    }
  });

  it('uploads and results are deleted by lifecycle after the retention', () => {
    for (const name of ['uploads', 'results']) {
      const rule = block(mod.resources.google_storage_bucket[name], 'lifecycle_rule');
      expect(block(rule, 'action').type).toBe('Delete');
      expect(evaluate(mod, block(rule, 'condition').age, VARS, SAMPLES)).toBe(31);
    }
  });

  it('the uploads bucket CORS allows PUT with the signed headers from the configured origins', () => {
    const cors = (mod.resources.google_storage_bucket.uploads.dynamic as Record<string, Block[]>).cors[0];
    const content = block(cors, 'content');
    expect(content.origin).toBe('${var.cors_origins}');
    expect(content.method).toEqual(['PUT']);
    expect(content.response_header).toEqual(
      expect.arrayContaining(['Content-Type', 'x-goog-content-length-range', 'x-goog-if-generation-match']),
    );
  });
});

describe('firestore', () => {
  const spec = JSON.parse(fs.readFileSync(path.join(REPO, 'shared/adapters/gcp/firestore-indexes.json'), 'utf8')) as {
    indexes: { collectionGroup: string; fields: { fieldPath: string; order: string }[] }[];
    fieldOverrides: { collectionGroup: string; fieldPath: string; ttl?: boolean }[];
  };
  // Both Firestore stores: the job store (jobs, usage writes) and the account store (users, keys, usage reads).
  const store = ['firestore-job-store.ts', 'firestore-account-store.ts']
    .map((f) => fs.readFileSync(path.join(REPO, 'shared/adapters/gcp', f), 'utf8'))
    .join('\n');

  it("native mode database; the TTL field and indexes come from the adapter's index file", () => {
    expect(mod.resources.google_firestore_database.main.type).toBe('FIRESTORE_NATIVE');
    expect(String(mod.locals.firestore_spec)).toContain('shared/adapters/gcp/firestore-indexes.json');
    expect(mod.resources.google_firestore_field.ttl.for_each).toBe('${local.firestore_ttl_fields}');
    expect(maybeBlock(mod.resources.google_firestore_field.ttl, 'ttl_config')).toEqual({});
    expect(mod.resources.google_firestore_index.composite.for_each).toBe('${local.firestore_indexes}');
  });

  it('the TTL fields are the ones the stores write (jobs, rate-limit counters, the audit log)', () => {
    const ttlField = /export const TTL_FIELD = '([^']+)'/.exec(store)?.[1];
    const admin = ['firestore-rate-limiter.ts', 'firestore-audit-log.ts'].map((f) =>
      fs.readFileSync(path.join(REPO, 'shared/adapters/gcp', f), 'utf8'),
    );
    for (const source of admin) expect(source).toMatch(/expiresAt: new Date\(/);
    expect(spec.fieldOverrides.filter((f) => f.ttl)).toEqual([
      expect.objectContaining({ collectionGroup: 'jobs', fieldPath: ttlField }),
      expect.objectContaining({ collectionGroup: 'analyses', fieldPath: ttlField }),
      expect.objectContaining({ collectionGroup: 'rateLimits', fieldPath: 'expiresAt' }),
      expect.objectContaining({ collectionGroup: 'auditLog', fieldPath: 'expiresAt' }),
    ]);
  });

  it('every query with an equality filter and an order has its composite index', () => {
    const collections = Object.fromEntries(
      [...store.matchAll(/this\.(\w+) = this\.firestore\.collection\(`\$\{prefix\}(\w+)`\)/g)].map((m) => [m[1], m[2]]),
    );
    const queries = [
      ...store.matchAll(/this\.(jobs|users|keys|usage|analyses|aiUsageDays)((?:\s*\.(?:where|orderBy)\([^)]*\))+)/g),
    ];
    let checked = 0;
    for (const [, handle, chain] of queries) {
      const equal = [...chain.matchAll(/\.where\('(\w+)',\s*'=='/g)].map((m) => ({
        fieldPath: m[1],
        order: 'ASCENDING',
      }));
      const ordered = [...chain.matchAll(/\.orderBy\('(\w+)'(?:,\s*'(asc|desc)')?\)/g)].map((m) => ({
        fieldPath: m[1],
        order: m[2] === 'desc' ? 'DESCENDING' : 'ASCENDING',
      }));
      if (equal.length === 0 || ordered.length === 0) continue; // single-field indexes suffice
      checked++;
      const wanted = { collectionGroup: collections[handle], fields: [...equal, ...ordered] };
      expect(spec.indexes.map((ix) => ({ collectionGroup: ix.collectionGroup, fields: ix.fields }))).toContainEqual(
        wanted,
      );
    }
    expect(checked).toBeGreaterThanOrEqual(4);
  });
});

describe('queue, scheduler, secrets, Document AI', () => {
  it('the queue retries with backoff and starts conversions below the Document AI quota', () => {
    const queue = mod.resources.google_cloud_tasks_queue.convert;
    const retry = block(queue, 'retry_config');
    expect(evaluate(mod, retry.max_attempts, VARS, SAMPLES)).toBeGreaterThan(1);
    expect(retry.min_backoff).toMatch(/^\d+s$/);
    expect(retry.max_backoff).toMatch(/^\d+s$/);
    const rate = evaluate(mod, block(queue, 'rate_limits').max_dispatches_per_second, VARS, SAMPLES) as number;
    expect(rate).toBeGreaterThan(0);
    expect(rate * 60).toBeLessThan(600);
  });

  it('secrets are declared without values and mounted as secret environment variables', () => {
    const all = JSON.stringify(mod.resources);
    expect(all).not.toMatch(/secret_data/);
    expect(mod.resources.google_secret_manager_secret_version).toBeUndefined();
    const secrets = evaluate(mod, mod.locals.secrets, VARS, SAMPLES) as Record<string, { env: string }>;
    expect(
      Object.values(secrets)
        .map((s) => s.env)
        .sort(),
    ).toEqual(['SENTRY_DSN', 'STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET']);
    for (const [, body] of functions()) {
      const dyn = (block(body, 'service_config').dynamic as Record<string, Block[]>).secret_environment_variables[0];
      expect(block(dyn, 'content').secret).toBe(
        '${google_secret_manager_secret.app[secret_environment_variables.value].secret_id}',
      );
    }
  });

  it('a Document AI OCR processor exists, and only the worker may use Document AI', () => {
    expect(mod.resources.google_document_ai_processor.ocr.type).toBe('OCR_PROCESSOR');
    const users = Object.values(mod.resources.google_project_iam_member).filter((g) =>
      String(g.role).startsWith('roles/documentai.'),
    );
    const worker = reference(block(functionFor('convertWorker')[1], 'service_config').service_account_email)!.replace(
      /\.email$/,
      '.member',
    );
    expect(users.map((g) => reference(g.member))).toEqual([worker]);
  });

  it('the worker, where analyses and the tidy-up call Gemini, may use Vertex AI; no other account may', () => {
    const worker = reference(block(functionFor('convertWorker')[1], 'service_config').service_account_email)!.replace(
      /\.email$/,
      '.member',
    );
    const grants = Object.values(mod.resources.google_project_iam_member).filter((g) =>
      String(g.role).startsWith('roles/aiplatform.'),
    );
    expect(grants.map((g) => [g.role, reference(g.member), g.project])).toEqual([
      ['roles/aiplatform.user', worker, '${var.project_id}'],
    ]);
  });

  it('outputs the API URL and the bucket names', () => {
    const outputs = Object.assign(
      {},
      ...Object.values(mod.files).map((f) =>
        Object.fromEntries(
          Object.entries((f.output ?? {}) as Record<string, Block[]>).map(([k, v]) => [k, v[0].value]),
        ),
      ),
    );
    expect(outputs.api_url).toBe(`\${google_cloudfunctions2_function.${functionFor('api')[0]}.service_config[0].uri}`);
    expect(outputs.uploads_bucket).toBe('${google_storage_bucket.uploads.name}');
    expect(outputs.results_bucket).toBe('${google_storage_bucket.results.name}');
  });

  it('enables the APIs the resources need', () => {
    const text = String(mod.locals.services);
    expect(mod.resources.google_project_service.enabled.for_each).toBe('${local.services}');
    for (const api of [
      'run',
      'cloudfunctions',
      'cloudbuild',
      'artifactregistry',
      'eventarc',
      'pubsub',
      'storage',
      'firestore',
      'cloudtasks',
      'cloudscheduler',
      'secretmanager',
      'iamcredentials',
      'documentai',
      'aiplatform',
      'logging',
    ]) {
      expect(text).toContain(`${api}.googleapis.com`);
    }
  });
});

it('the module directory is where the tests look (guards against a moved module)', () => {
  expect(fs.existsSync(path.join(TERRAFORM, 'modules/mdraft/functions.tf'))).toBe(true);
});

describe('malware scanning (clamav.tf)', () => {
  const service = () => mod.resources.google_cloud_run_v2_service?.clamav;

  it('off by default: no bridge image, MDRAFT_SCANNER_URL empty', () => {
    const env = evaluate(mod, mod.locals.common_env, VARS, SAMPLES) as Record<string, string>;
    expect(env.MDRAFT_SCANNER_URL).toBe('');
    expect(loadConfig(env).scanner.url).toBeUndefined();
  });

  it('on with a bridge image: every function is configured with the service deterministic URL, which validates', () => {
    const vars = { ...VARS, clamav_bridge_image: 'europe-west1-docker.pkg.dev/p/mdraft/clamav-bridge:1' };
    const env = evaluate(mod, mod.locals.common_env, vars, SAMPLES) as Record<string, string>;
    const name = evaluate(mod, service()!.name, vars, SAMPLES) as string;
    expect(env.MDRAFT_SCANNER_URL).toBe(`https://${name}-123456789012.europe-west1.run.app`);
    expect(loadConfig(env).scanner.url).toBe(env.MDRAFT_SCANNER_URL);
  });

  it('a bridge in front of a public clamd image, internal ingress by default, only the worker may invoke it', () => {
    const body = service()!;
    expect(body.ingress).toBe('${var.clamav_ingress}');
    expect(mod.variables.clamav_ingress.default).toBe('INGRESS_TRAFFIC_INTERNAL_ONLY');
    expect(String(mod.variables.clamav_image.default)).toMatch(/^docker\.io\/clamav\/clamav:/);
    const containers = block(body, 'template').containers as Block[];
    expect(containers.map((c) => c.name)).toEqual(['bridge', 'clamd']);
    expect(containers[0].image).toBe('${var.clamav_bridge_image}');
    expect(containers[1].image).toBe('${var.clamav_image}');
    const grants = Object.values(mod.resources.google_cloud_run_v2_service_iam_member ?? {});
    expect(grants.map((g) => [reference(g.name), g.role, reference(g.member)])).toEqual([
      ['google_cloud_run_v2_service.clamav[0].name', 'roles/run.invoker', 'google_service_account.worker.member'],
    ]);
  });

  it('the worker reaches the internal-only service through the VPC: a connector with ALL_TRAFFIC egress, Private Google Access, Cloud NAT', () => {
    // Declared exactly when the scanner is deployed with internal ingress.
    expect(mod.locals.worker_vpc_egress).toBe(
      '${local.clamav_enabled && var.clamav_ingress == "INGRESS_TRAFFIC_INTERNAL_ONLY"}',
    );
    const conditional = '${local.worker_vpc_egress ? 1 : 0}';
    const connector = mod.resources.google_vpc_access_connector?.worker;
    const subnet = mod.resources.google_compute_subnetwork?.connector;
    const nat = mod.resources.google_compute_router_nat?.egress;
    for (const r of [
      connector,
      subnet,
      nat,
      mod.resources.google_compute_network?.egress,
      mod.resources.google_compute_router?.egress,
    ])
      expect(r?.count).toBe(conditional);
    expect(block(connector, 'subnet').name).toBe('${google_compute_subnetwork.connector[0].name}');
    expect(subnet!.private_ip_google_access).toBe(true);
    expect(subnet!.ip_cidr_range).toBe('${var.vpc_connector_cidr}');
    expect(String(mod.variables.vpc_connector_cidr.default)).toMatch(/\/28$/);
    expect(nat!.source_subnetwork_ip_ranges_to_nat).toBe('ALL_SUBNETWORKS_ALL_IP_RANGES');
    // Only the worker (the one function that calls the scanner) egresses through it, all of its traffic.
    const [, worker] = functionFor('convertWorker');
    const config = block(worker, 'service_config');
    expect(config.vpc_connector).toBe('${local.worker_vpc_egress ? google_vpc_access_connector.worker[0].id : null}');
    expect(config.vpc_connector_egress_settings).toBe('${local.worker_vpc_egress ? "ALL_TRAFFIC" : null}');
    for (const [name, body] of functions()) {
      if (name === 'convert_worker') continue;
      expect(block(body, 'service_config').vpc_connector).toBeUndefined();
    }
    const services = String(mod.locals.services);
    for (const api of ['vpcaccess.googleapis.com', 'compute.googleapis.com']) expect(services).toContain(`"${api}"`);
  });
});
