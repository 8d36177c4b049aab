/**
 * Starts the official Firestore emulator (`gcloud emulators firestore start`) on a free loopback port for
 * one test suite and stops it afterwards. The emulator runs in its own process group (gcloud → a shell
 * script → java), so stopping kills the whole group and nothing is left listening.
 *
 * A machine without gcloud (or its Java) FAILS the suite with a message saying what is missing; set
 * `MDRAFT_SKIP_EMULATOR=1` to skip those suites on purpose, which prints a loud warning instead.
 */
import { spawnSync } from 'node:child_process';
import { freePort, supervise } from '../../scripts/lib/supervised-process.ts';

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

async function answersOk(host: string): Promise<boolean> {
  try {
    const res = await fetch(`http://${host}/`, { signal: AbortSignal.timeout(1000) });
    return (await res.text()).trim() === 'Ok';
  } catch {
    return false;
  }
}

export async function startFirestoreEmulator(options: { readyTimeoutMs?: number } = {}): Promise<FirestoreEmulator> {
  const missing = missingPrerequisite();
  if (missing) throw new Error(`Firestore emulator tests cannot run: ${missing}`);
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  // gcloud starts java as its child: supervise the whole process group.
  const emulator = supervise('gcloud', ['emulators', 'firestore', 'start', `--host-port=${host}`, '--quiet'], {
    group: true,
    graceMs: 5000,
  });
  const stop = () => emulator.stop();
  const deadline = Date.now() + (options.readyTimeoutMs ?? 90_000);
  while (!(await answersOk(host))) {
    const exited = emulator.exited();
    if (exited) {
      await stop();
      throw new Error(
        `the Firestore emulator exited (code ${exited.code}, signal ${exited.signal}) before it was ready:\n${emulator.output()}`,
      );
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the Firestore emulator did not answer "Ok" on ${host} in time:\n${emulator.output()}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { host, stop };
}

/**
 * Runs `body` (describe/test calls) with the Firestore emulator started once for the file and
 * `FIRESTORE_EMULATOR_HOST` pointing at it; with `MDRAFT_SKIP_EMULATOR=1` warns loudly and registers a skipped
 * suite named after `what` instead, so the skip shows in jest's summary.
 */
export function withFirestoreEmulator(what: string, body: () => void): void {
  if (emulatorSkipped()) {
    warnEmulatorSkipped(what);
    describe.skip(`${what}: Firestore emulator (skipped by ${SKIP_EMULATOR_ENV}=1)`, () => {
      test('not run', () => undefined);
    });
    return;
  }
  let emulator: FirestoreEmulator | undefined;
  beforeAll(async () => {
    emulator = await startFirestoreEmulator();
    process.env.FIRESTORE_EMULATOR_HOST = emulator.host;
  }, 120_000);
  afterAll(async () => {
    delete process.env.FIRESTORE_EMULATOR_HOST;
    await emulator?.stop();
  }, 30_000);
  body();
}
