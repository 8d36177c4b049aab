#!/usr/bin/env node
/**
 * Starts the real Firebase Auth emulator (from firebase-tools) on a loopback port, for the embedded default
 * to accept Firebase ID tokens without a Firebase project:
 *
 *   npm run auth-emulator [-- --port 9099]
 *   FIREBASE_AUTH_EMULATOR_HOST=127.0.0.1:9099 npm start          (in another terminal)
 *
 * It runs `firebase emulators:start --only auth --project demo-mdraft` in a temporary directory holding a
 * generated `firebase.json` (auth on the given port, the hub and logging emulators on free ports, no UI), so
 * nothing is written to the repository and parallel runs do not collide. `demo-` projects are Firebase's
 * emulator-only projects: the CLI needs no login and reaches no real resources. The emulator keeps its
 * accounts in memory; they are gone when it stops (Ctrl-C).
 *
 * The CLI is `node_modules/.bin/firebase` when installed (the `firebase-tools` devDependency), else
 * `npx --yes firebase-tools@<the devDependency's version>` (downloaded once into npm's cache, not into
 * node_modules). The Auth emulator itself is JavaScript; no Java is needed for it.
 *
 * Tests import `startAuthEmulator` (test/e2e/firebase-auth-emulator.test.ts).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { freePort, supervise } from './lib/supervised-process.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AUTH_EMULATOR_PROJECT } from '../shared/service/config.ts';

/** The project the emulator runs as: the one the embedded default checks tokens against by default. */
export const EMULATOR_PROJECT = AUTH_EMULATOR_PROJECT;

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** How to run the firebase CLI: the installed binary, or npx with the pinned version. */
export interface FirebaseCommand {
  command: string;
  args: string[];
  /** For messages: `node_modules/.bin/firebase` or `npx firebase-tools@15.34.2`. */
  label: string;
}

/** The exact version of the `firebase-tools` devDependency (its range without `^`/`~`). */
export function firebaseToolsVersion(): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    devDependencies?: Record<string, string>;
  };
  const range = pkg.devDependencies?.['firebase-tools'];
  if (!range) throw new Error('package.json has no firebase-tools devDependency');
  return range.replace(/^[\^~=]/, '');
}

export function firebaseCommand(): FirebaseCommand {
  const bin = join(ROOT, 'node_modules', '.bin', 'firebase');
  if (existsSync(bin)) return { command: bin, args: [], label: 'node_modules/.bin/firebase' };
  const version = firebaseToolsVersion();
  return {
    command: 'npx',
    args: ['--yes', `firebase-tools@${version}`],
    label: `npx firebase-tools@${version}`,
  };
}

/**
 * Whether the firebase CLI runs here (`firebase --version`): undefined when it does, else why not (not
 * installed and npx could not fetch it, e.g. without network). The first npx run downloads the package,
 * which can take minutes: `timeoutMs` bounds it.
 */
export function firebaseUnavailable(options: { timeoutMs?: number } = {}): string | undefined {
  const cli = firebaseCommand();
  const run = spawnSync(cli.command, [...cli.args, '--version'], {
    cwd: tmpdir(),
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 600_000,
    env: cliEnv(),
  });
  if (run.error) return `${cli.label} could not run: ${run.error.message}`;
  if (run.status !== 0) return `${cli.label} --version exited ${run.status}: ${(run.stderr || run.stdout).trim()}`;
  return undefined;
}

export interface AuthEmulator {
  /** `127.0.0.1:<port>`, the value of `FIREBASE_AUTH_EMULATOR_HOST`. */
  host: string;
  projectId: string;
  stop(): Promise<void>;
}

/**
 * Starts the emulator and resolves once it answers on `host` (its root URL reports `authEmulator.ready`).
 * Throws with the CLI's output when it exits or does not answer within `readyTimeoutMs`.
 */
export async function startAuthEmulator(
  options: { port?: number; readyTimeoutMs?: number } = {},
): Promise<AuthEmulator> {
  // A port found free can be taken before the CLI binds it (other test workers open outgoing connections
  // from the same ephemeral range), so a port we chose ourselves is chosen again; a caller's port is not.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options.port ?? (await freePort()), options.readyTimeoutMs);
    } catch (error) {
      if (options.port !== undefined || attempt >= 3 || !(error instanceof PortTakenError)) throw error;
    }
  }
}

class PortTakenError extends Error {}

async function startOnce(port: number, readyTimeoutMs: number | undefined): Promise<AuthEmulator> {
  const host = `127.0.0.1:${port}`;
  const dir = mkdtempSync(join(tmpdir(), 'mdraft-auth-emulator-'));
  writeFileSync(
    join(dir, 'firebase.json'),
    JSON.stringify({
      emulators: {
        auth: { host: '127.0.0.1', port },
        hub: { host: '127.0.0.1', port: await freePort() },
        logging: { host: '127.0.0.1', port: await freePort() },
        ui: { enabled: false },
        singleProjectMode: true,
      },
    }),
  );
  const cli = firebaseCommand();
  // npx and the CLI are separate processes: supervise the whole group.
  const emulator = supervise(
    cli.command,
    [...cli.args, 'emulators:start', '--only', 'auth', '--project', EMULATOR_PROJECT],
    {
      cwd: dir,
      env: cliEnv(),
      group: true,
      graceMs: 10_000,
    },
  );
  const stop = async () => {
    await emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + (readyTimeoutMs ?? 180_000);
  while (!(await ready(host))) {
    const exited = emulator.exited();
    if (exited) {
      await stop();
      const Failure = /port taken|is not open on/i.test(emulator.output()) ? PortTakenError : Error;
      throw new Failure(
        `the Firebase Auth emulator (${cli.label}) exited (code ${exited.code}, signal ${exited.signal}) before it was ready:\n${emulator.output()}`,
      );
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the Firebase Auth emulator did not answer on ${host} in time:\n${emulator.output()}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { host, projectId: EMULATOR_PROJECT, stop };
}

/** No update check or usage prompt from the CLI: it runs unattended. */
function cliEnv(): NodeJS.ProcessEnv {
  return { ...process.env, CI: 'true', FIREBASE_CLI_DISABLE_UPDATE_CHECK: 'true', NO_UPDATE_NOTIFIER: '1' };
}

async function ready(host: string): Promise<boolean> {
  try {
    const res = await fetch(`http://${host}/`, { signal: AbortSignal.timeout(1000) });
    const body = (await res.json()) as { authEmulator?: { ready?: boolean } };
    return body.authEmulator?.ready === true;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '9099' } } });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new Error(`--port must be 1–65535, got ${values.port}`);
  process.stderr.write(`starting the Firebase Auth emulator with ${firebaseCommand().label} …\n`);
  const emulator = await startAuthEmulator({ port });
  process.stderr.write(
    `\nFirebase Auth emulator (project ${emulator.projectId}) at http://${emulator.host}\n` +
      `start MDraft against it in another terminal:\n\n` +
      `  FIREBASE_AUTH_EMULATOR_HOST=${emulator.host} npm start\n\n` +
      `Ctrl-C stops the emulator (its accounts live in memory only).\n`,
  );
  const stop = () => {
    void emulator.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error: unknown) => {
    process.stderr.write(`auth-emulator: ${(error as Error).message}\n`);
    process.exit(1);
  });
}
