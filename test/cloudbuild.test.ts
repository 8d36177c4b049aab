/**
 * cloudbuild.yaml: the pipeline runs install → lint → test (with the Firestore emulator) → build → package →
 * ClamAV bridge image → terraform plan → terraform apply, in that order, and the apply only happens on the
 * deploy branch. Steps are recognised by what they run, not by their ids; the apply gate, the image step and
 * the plan's image variable are executed with stub `terraform` and `docker` commands; the image's file set is
 * copied out of the Dockerfile and run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
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
  ['image', (s) => /docker build -f docker\/clamav-bridge\.Dockerfile/.test(commandOf(s))],
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
  it('runs install → lint → test → build → package → image → plan → apply, in order, one step each', () => {
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

/** Runs a step's `bash|sh -c` script with stub commands on PATH; returns what each stub was called with. */
function runStep(
  step: Step,
  stubs: Record<string, string>,
  values: Record<string, string>,
): { status: number | null; calls: string[]; stdout: string; stderr: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mdraft-cb-'));
  try {
    const log = path.join(dir, 'calls');
    for (const [name, body] of Object.entries(stubs)) {
      fs.writeFileSync(path.join(dir, name), `#!/bin/sh\necho "${name} $*" >> '${log}'\n${body}\n`, { mode: 0o755 });
    }
    const script = substitute(step.args![1], { ...build.substitutions!, ...BUILTINS, ...values });
    const run = spawnSync(step.entrypoint === 'bash' ? 'bash' : 'sh', ['-c', script], {
      env: { PATH: `${dir}:${process.env.PATH}` },
      encoding: 'utf8',
    });
    const calls = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n') : [];
    return { status: run.status, calls, stdout: run.stdout, stderr: run.stderr };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('the ClamAV bridge image', () => {
  const imageStep = () => build.steps[stageIndex('image')];
  const DIGEST = 'europe-west1-docker.pkg.dev/p/mdraft/clamav-bridge@sha256:' + 'a'.repeat(64);

  it('is built every time, pushed only to a configured repository, and handed to the plan by digest', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mdraft-img-')), 'image');
    const docker = `case "$1" in inspect) echo '${DIGEST}';; esac`;
    const off = runStep(imageStep(), { docker }, { _IMAGE_REPOSITORY: '', _CLAMAV_IMAGE_FILE: file, BUILD_ID: 'b1' });
    expect(off.status).toBe(0);
    expect(off.calls).toEqual(['docker build -f docker/clamav-bridge.Dockerfile -t clamav-bridge:b1 .']);
    expect(fs.readFileSync(file, 'utf8')).toBe('');

    const repo = 'europe-west1-docker.pkg.dev/p/mdraft';
    const on = runStep(imageStep(), { docker }, { _IMAGE_REPOSITORY: repo, _CLAMAV_IMAGE_FILE: file, BUILD_ID: 'b2' });
    expect(on.status).toBe(0);
    expect(on.calls).toEqual([
      'docker build -f docker/clamav-bridge.Dockerfile -t clamav-bridge:b2 .',
      `docker tag clamav-bridge:b2 ${repo}/clamav-bridge:b2`,
      `docker push ${repo}/clamav-bridge:b2`,
      `docker inspect --format {{index .RepoDigests 0}} ${repo}/clamav-bridge:b2`,
    ]);
    expect(fs.readFileSync(file, 'utf8').trim()).toBe(DIGEST);

    // The plan passes it as clamav_bridge_image only when there is one.
    const plan = build.steps[stageIndex('plan')];
    const planned = runStep(plan, { terraform: '' }, { _TF_STATE_BUCKET: 'state', _CLAMAV_IMAGE_FILE: file });
    expect(planned.status).toBe(0);
    expect(planned.calls.find((c) => c.startsWith('terraform plan'))).toContain(`-var=clamav_bridge_image=${DIGEST}`);
    fs.writeFileSync(file, '');
    const without = runStep(plan, { terraform: '' }, { _TF_STATE_BUCKET: 'state', _CLAMAV_IMAGE_FILE: file });
    expect(without.calls.find((c) => c.startsWith('terraform plan'))).not.toContain('clamav_bridge_image');
  });

  it("the Dockerfile's files are all the bridge needs: copied alone, it starts and answers /healthz", async () => {
    const dockerfile = fs.readFileSync(path.join(REPO, 'docker/clamav-bridge.Dockerfile'), 'utf8');
    const copies = [...dockerfile.matchAll(/^COPY\s+(.+)$/gm)].map((m) => m[1].trim().split(/\s+/));
    expect(copies.length).toBeGreaterThan(0);
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mdraft-bridge-'));
    try {
      for (const parts of copies) {
        const dest = path.join(root, parts.at(-1)!);
        for (const src of parts.slice(0, -1)) {
          const target = parts.at(-1)!.endsWith('/') ? path.join(dest, path.basename(src)) : dest;
          fs.cpSync(path.join(REPO, src), target, { recursive: true });
        }
      }
      const cmd = JSON.parse(/^CMD\s+(\[.*\])$/m.exec(dockerfile)![1]) as string[];
      expect(cmd[0]).toBe('node');
      const port = 20000 + Math.floor(Math.random() * 20000);
      const child = spawn(process.execPath, cmd.slice(1), {
        cwd: root,
        // clamd is not there: the bridge must still start and say so on /healthz.
        env: { PORT: String(port), MDRAFT_CLAMD_HOST: '127.0.0.1', MDRAFT_CLAMD_PORT: '9', PATH: process.env.PATH },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      try {
        let status = 0;
        for (let i = 0; i < 100 && status === 0; i++) {
          status = await fetch(`http://127.0.0.1:${port}/healthz`)
            .then((r) => r.status)
            .catch(() => 0);
          if (status === 0) await new Promise((r) => setTimeout(r, 100));
        }
        expect({ status, stderr }).toEqual({ status: 503, stderr: '' });
      } finally {
        child.kill();
      }
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  }, 30_000);
});
