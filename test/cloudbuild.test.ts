/**
 * cloudbuild.yaml: the pipeline runs install → lint → test (with the Firestore emulator) → build → package →
 * terraform plan → terraform apply, in that order, and the apply only happens on the deploy branch. Steps are
 * recognised by what they run, not by their ids; the apply gate is executed with a stub `terraform`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parse } from 'yaml';

const REPO = path.resolve(import.meta.dirname, '..');

interface Step {
  id?: string;
  name: string;
  entrypoint?: string;
  args?: string[];
  dir?: string;
  waitFor?: string[];
}

interface Build {
  steps: Step[];
  substitutions?: Record<string, string>;
  options?: Record<string, unknown>;
}

const build = parse(fs.readFileSync(path.join(REPO, 'cloudbuild.yaml'), 'utf8')) as Build;
const commandOf = (step: Step) => [step.entrypoint ?? '', ...(step.args ?? [])].join(' ');

/** Cloud Build's substitution: `$$` is a literal `$`; `$NAME` / `${NAME}` are replaced. */
function substitute(text: string, values: Record<string, string>): string {
  return text.replace(/\$\$|\$\{(\w+)\}|\$(\w+)/g, (m, braced: string | undefined, bare: string | undefined) => {
    if (m === '$$') return '$';
    const name = braced ?? bare!;
    if (!(name in values)) throw new Error(`unknown substitution ${name}`);
    return values[name];
  });
}

const STAGES: [string, (s: Step) => boolean][] = [
  ['install', (s) => /\bnpm ci\b/.test(commandOf(s))],
  ['lint', (s) => /\bnpm\b.*\brun lint\b/.test(commandOf(s))],
  ['test', (s) => /\bnpm test\b/.test(commandOf(s))],
  ['build', (s) => /\bnpm\b.*\brun build\b/.test(commandOf(s))],
  ['package', (s) => /package:functions|package-functions\.mjs/.test(commandOf(s))],
  ['plan', (s) => /\bterraform plan\b/.test(commandOf(s))],
  ['apply', (s) => /\bterraform apply\b/.test(commandOf(s))],
];

function stageIndex(stage: string): number {
  const match = STAGES.find(([name]) => name === stage)![1];
  const found = build.steps.map((s, i) => (match(s) ? i : -1)).filter((i) => i >= 0);
  expect({ stage, steps: found.length }).toEqual({ stage, steps: 1 });
  return found[0];
}

const BUILTINS = {
  PROJECT_ID: 'your-project-id',
  BRANCH_NAME: 'main',
  COMMIT_SHA: '0'.repeat(40),
  SHORT_SHA: '0000000',
  BUILD_ID: 'b',
  LOCATION: 'global',
  REPO_NAME: 'mdraft',
  TAG_NAME: '',
  PROJECT_NUMBER: '123456789012',
  TRIGGER_NAME: 't',
};

describe('cloudbuild.yaml', () => {
  it('runs install → lint → test → build → package → plan → apply, in order, one step each', () => {
    const order = STAGES.map(([stage]) => stageIndex(stage));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    // No step is started early: steps run sequentially unless waitFor says otherwise.
    for (const step of build.steps) expect(step.waitFor).toBeUndefined();
  });

  it('tests run where the Firestore emulator can start: an image with gcloud emulators and Java, with Node 24', () => {
    const step = build.steps[stageIndex('test')];
    const image = substitute(step.name, { ...build.substitutions, ...BUILTINS });
    expect(image).toMatch(/^gcr\.io\/google\.com\/cloudsdktool\/(google-cloud-cli|cloud-sdk):emulators$/);
    // That image has no Node: the step puts the `node` dev dependency (Node 24) first on PATH.
    expect(commandOf(step)).toContain('/workspace/node_modules/.bin');
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    expect(pkg.devDependencies.node).toMatch(/^\^?24\./);
  });

  it('terraform runs in the environment directory, plans to a file, and applies exactly that plan', () => {
    const plan = build.steps[stageIndex('plan')];
    const apply = build.steps[stageIndex('apply')];
    expect(plan.dir).toBe('terraform/envs/${_ENV}');
    expect(apply.dir).toBe(plan.dir);
    expect(fs.existsSync(path.join(REPO, substitute(plan.dir!, { ...build.substitutions!, ...BUILTINS })))).toBe(true);
    expect(commandOf(plan)).toMatch(/terraform init -input=false -backend-config/);
    expect(commandOf(plan)).toMatch(/terraform plan -input=false -out=tfplan/);
    expect(commandOf(plan)).toContain('function_source_zip=/workspace/dist/functions.zip');
    expect(commandOf(apply)).toMatch(/terraform apply -input=false tfplan/);
  });

  it('the package the plan deploys is the one the package step writes', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
      main: string;
    };
    expect(pkg.scripts['package:functions']).toBe('node scripts/package-functions.mjs');
    expect(fs.readFileSync(path.join(REPO, 'scripts/package-functions.mjs'), 'utf8')).toContain("'dist/functions.zip'");
    expect(pkg.main).toBe('dist/functions/index.js');
  });

  it('every $ reference is a declared substitution or a Cloud Build built-in', () => {
    const text = fs.readFileSync(path.join(REPO, 'cloudbuild.yaml'), 'utf8').replace(/^\s*#.*$/gm, '');
    expect(() => substitute(text, { ...build.substitutions!, ...BUILTINS })).not.toThrow();
  });

  describe('the apply gate (executed with a stub terraform)', () => {
    const apply = () => build.steps[stageIndex('apply')];

    function runApply(branch: string): { status: number | null; applied: boolean; stdout: string } {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mdraft-cb-'));
      try {
        const marker = path.join(dir, 'applied');
        fs.writeFileSync(path.join(dir, 'terraform'), `#!/bin/sh\necho "$@" > '${marker}'\n`, { mode: 0o755 });
        const step = apply();
        expect(step.entrypoint).toBe('sh');
        expect(step.args![0]).toBe('-c');
        const script = substitute(step.args![1], { ...build.substitutions!, ...BUILTINS, BRANCH_NAME: branch });
        const run = spawnSync('sh', ['-c', script], { env: { PATH: `${dir}:${process.env.PATH}` }, encoding: 'utf8' });
        const applied = fs.existsSync(marker) ? fs.readFileSync(marker, 'utf8').trim() : '';
        return { status: run.status, applied: applied === 'apply -input=false tfplan', stdout: run.stdout };
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }

    it('applies on the deploy branch', () => {
      const branch = build.substitutions!._DEPLOY_BRANCH;
      expect(branch).toBe('main');
      expect(runApply(branch)).toMatchObject({ status: 0, applied: true });
    });

    it('does not apply on any other branch or a pull request build (and does not fail it)', () => {
      for (const branch of ['feature/x', 'main-old', '']) {
        const result = runApply(branch);
        expect(result).toMatchObject({ status: 0, applied: false });
        expect(result.stdout).toContain('nothing applied');
      }
    });
  });
});
