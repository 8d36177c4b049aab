/**
 * Starts the official Firestore emulator (`gcloud emulators firestore start`) on a free loopback port for
 * one test suite and stops it afterwards. The emulator runs in its own process group (gcloud → a shell
 * script → java), so stopping kills the whole group and nothing is left listening.
 *
 * A machine without gcloud (or its Java) FAILS the suite with a message saying what is missing; set
 * `MDRAFT_SKIP_EMULATOR=1` to skip those suites on purpose, which prints a loud warning instead.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export interface FirestoreEmulator {
  /** `127.0.0.1:<port>`, the value of `FIRESTORE_EMULATOR_HOST`. */
  host: string;
  stop(): Promise<void>;
}

export const SKIP_EMULATOR_ENV = 'MDRAFT_SKIP_EMULATOR';

export function emulatorSkipped(): boolean {
  return process.env[SKIP_EMULATOR_ENV] === '1';
}

export function warnEmulatorSkipped(what: string): void {
  const line = '!'.repeat(100);
  console.warn(
    `${line}\n!! ${SKIP_EMULATOR_ENV}=1: ${what} NOT RUN against the Firestore emulator.\n!! These tests prove nothing on this run.\n${line}`,
  );
}

/** Why the emulator cannot start here, or undefined when gcloud and Java are both present. */
export function missingPrerequisite(): string | undefined {
  const gcloud = spawnSync('gcloud', ['--version'], { encoding: 'utf8', timeout: 30_000 });
  if (gcloud.error || gcloud.status !== 0) {
    return (
      'the Google Cloud CLI (`gcloud`) is not installed or not on PATH; install it with the ' +
      '`cloud-firestore-emulator` component and Java 17+ (or set MDRAFT_SKIP_EMULATOR=1 to skip these tests on purpose)'
    );
  }
  const java = spawnSync('java', ['-version'], { encoding: 'utf8', timeout: 30_000 });
  if (java.error || java.status !== 0) {
    return 'Java is not installed or not on PATH; the Firestore emulator needs Java 17+ (or set MDRAFT_SKIP_EMULATOR=1)';
  }
  return undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function answersOk(host: string): Promise<boolean> {
  try {
    const res = await fetch(`http://${host}/`, { signal: AbortSignal.timeout(1000) });
    return (await res.text()).trim() === 'Ok';
  } catch {
    return false;
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

export async function startFirestoreEmulator(options: { readyTimeoutMs?: number } = {}): Promise<FirestoreEmulator> {
  const missing = missingPrerequisite();
  if (missing) throw new Error(`Firestore emulator tests cannot run: ${missing}`);
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const child = spawn('gcloud', ['emulators', 'firestore', 'start', `--host-port=${host}`, '--quiet'], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-8000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exitPromise = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      resolve();
    });
  });
  // If jest dies without running teardown, do not leave java listening.
  const onExit = () => killGroup(child, 'SIGKILL');
  process.once('exit', onExit);

  const stop = async () => {
    process.removeListener('exit', onExit);
    if (!exited) {
      killGroup(child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5000);
      await exitPromise;
      clearTimeout(timer);
    }
    // gcloud may exit before its java child: make sure the whole group is gone.
    killGroup(child, 'SIGKILL');
    child.stdout?.destroy();
    child.stderr?.destroy();
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 90_000);
  while (!(await answersOk(host))) {
    if (exited) {
      await stop();
      throw new Error(
        `the Firestore emulator exited (code ${exited.code}, signal ${exited.signal}) before it was ready:\n${output}`,
      );
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the Firestore emulator did not answer "Ok" on ${host} in time:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { host, stop };
}
