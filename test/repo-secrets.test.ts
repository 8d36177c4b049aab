/**
 * Nothing in the repository holds a secret, a key file or a real project id: every file git tracks (or
 * would add: untracked and not ignored) is scanned for private keys, Google API keys, Stripe keys, service
 * account key JSON, and Terraform variable/backend files naming a project that is not a placeholder.
 * The patterns are built so this file does not match them itself.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

const REPO = path.resolve(import.meta.dirname, '..');

const DETECTORS: { what: string; pattern: RegExp }[] = [
  { what: 'a PEM private key', pattern: new RegExp(['-----BEGIN', '(?:[A-Z0-9]+ )*PRIVATE KEY-----'].join(' ')) },
  { what: 'a Google API key', pattern: new RegExp(['AI', 'za', '[0-9A-Za-z_-]{35}'].join('')) },
  {
    what: 'a Stripe secret or restricted key',
    pattern: new RegExp(['\\b[sr]k_', '(?:live|test)_', '[0-9A-Za-z]{16,}'].join('')),
  },
  { what: 'a Stripe webhook secret', pattern: new RegExp(['\\bwh', 'sec_', '[0-9A-Za-z]{16,}'].join('')) },
  {
    what: 'a service account key file',
    pattern: new RegExp(['"type"\\s*:\\s*"service', '_account"[\\s\\S]*"private', '_key"'].join('')),
  },
];

const KEY_FILE_NAMES =
  /(\.pem|\.p12|\.pfx|\.key|\.tfstate(\.backup)?|^terraform\.tfvars|^backend\.hcl|credentials\.json|service-account.*\.json)$/i;

/** Placeholders allowed where a project id is named in Terraform settings. */
const PLACEHOLDER_PROJECT = /^(your-project-id|your-project-id-[a-z0-9-]+|example-[a-z0-9-]+)$/;

function findSecrets(text: string): string[] {
  return DETECTORS.filter((d) => d.pattern.test(text)).map((d) => d.what);
}

/** Project ids named in Terraform variable or backend files (`project_id = "…"`, `bucket = "…"`). */
function realLookingProjectIds(text: string): string[] {
  const named = [...text.matchAll(/^\s*(?:project_id|project)\s*=\s*"([^"]*)"/gm)].map((m) => m[1]);
  const buckets = [...text.matchAll(/^\s*bucket\s*=\s*"([^"]*)"/gm)].map((m) => m[1].replace(/-tfstate$/, ''));
  return [...named, ...buckets].filter((id) => !PLACEHOLDER_PROJECT.test(id));
}

function repoFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: REPO,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return [...new Set(out.split('\0').filter(Boolean))].filter((f) => fs.existsSync(path.join(REPO, f)));
}

function readText(file: string): string | undefined {
  const full = path.join(REPO, file);
  const stat = fs.statSync(full);
  if (!stat.isFile() || stat.size > 5 * 1024 * 1024) return undefined;
  const bytes = fs.readFileSync(full);
  if (bytes.subarray(0, 8000).includes(0)) return undefined; // binary
  return bytes.toString('utf8');
}

describe('the detectors', () => {
  // Fakes assembled at run time, so no such string is stored in the repository.
  const fake = (parts: string[]) => parts.join('');
  const alnum = (n: number) => 'aB3dE5gH7jK9mN1pQ2sT4vW6yZ8'.repeat(4).slice(0, n);

  it.each([
    ['a PEM private key', fake(['-----BEGIN ', 'RSA ', 'PRIVATE KEY-----\nMIIE\n'])],
    ['a PEM private key', fake(['-----BEGIN ', 'PRIVATE KEY-----'])],
    ['a Google API key', fake(['AI', 'za', alnum(35)])],
    ['a Stripe secret or restricted key', fake(['sk', '_live_', alnum(24)])],
    ['a Stripe secret or restricted key', fake(['sk', '_test_', alnum(24)])],
    ['a Stripe webhook secret', fake(['wh', 'sec_', alnum(32)])],
    [
      'a service account key file',
      fake(['{"type": "service', '_account", "project_id": "x", "private', '_key": "..."}']),
    ],
  ])('find %s', (what, text) => {
    expect(findSecrets(text)).toContain(what);
  });

  it('leave ordinary text alone', () => {
    expect(findSecrets('STRIPE_SECRET_KEY is mounted from Secret Manager; sk_live_ keys never go in the repo')).toEqual(
      [],
    );
    expect(findSecrets('const key = `mdk_${randomBytes(32)}`')).toEqual([]);
  });

  it('tell placeholders from real-looking project ids', () => {
    expect(realLookingProjectIds('project_id = "your-project-id"\nbucket = "your-project-id-tfstate"\n')).toEqual([]);
    expect(realLookingProjectIds('project_id   = "acme-prod-4821"\n')).toEqual(['acme-prod-4821']);
    expect(realLookingProjectIds('bucket = "acme-prod-4821-tfstate"\n')).toEqual(['acme-prod-4821']);
  });
});

describe('the repository', () => {
  const files = repoFiles();

  it('lists its files through git', () => {
    expect(files).toContain('package.json');
    expect(files.some((f) => f.startsWith('node_modules/'))).toBe(false);
  });

  it('holds no key, credential, state or real variable file', () => {
    expect(files.filter((f) => KEY_FILE_NAMES.test(path.basename(f)))).toEqual([]);
  });

  it('holds no secret in any text file', () => {
    const found: string[] = [];
    for (const file of files) {
      const text = readText(file);
      if (text === undefined) continue;
      for (const what of findSecrets(text)) found.push(`${file}: ${what}`);
    }
    expect(found).toEqual([]);
  });

  it('names no real project in Terraform variable, backend or Cloud Build files', () => {
    const settings = files.filter(
      (f) => /\.(tfvars|tfvars\.example|hcl|hcl\.example)$/.test(f) || f === 'cloudbuild.yaml',
    );
    expect(settings.length).toBeGreaterThanOrEqual(4);
    const found = settings.flatMap((f) => realLookingProjectIds(readText(f) ?? '').map((id) => `${f}: ${id}`));
    expect(found).toEqual([]);
  });
});
