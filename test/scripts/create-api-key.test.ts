/**
 * scripts/create-api-key.ts, the operator's first key on a GCP deployment: run as a process against the
 * official Firestore emulator, then the key is looked up the way the api authenticates it (SHA-256 id).
 */
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { Firestore } from '@google-cloud/firestore';
import { FirestoreAccountStore } from '../../shared/adapters/gcp/firestore-account-store.ts';
import { hashApiKey, looksLikeApiKey } from '../../shared/service/auth/api-keys.ts';
import {
  emulatorSkipped,
  startFirestoreEmulator,
  warnEmulatorSkipped,
  type FirestoreEmulator,
} from '../setup/firestore-emulator.ts';

const REPO = path.resolve(import.meta.dirname, '../..');
const NODE = path.join(REPO, 'node_modules/.bin/node');

function runScript(args: string[], env: Record<string, string>) {
  return spawnSync(NODE, [path.join(REPO, 'scripts/create-api-key.ts'), ...args], {
    cwd: REPO,
    // No metadata-server probing: tests reach only loopback.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', METADATA_SERVER_DETECTION: 'none', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

it('refuses to run without a project', () => {
  const run = runScript([], {});
  expect(run.status).toBe(2);
  expect(run.stderr).toContain('--project');
});

if (emulatorSkipped()) {
  warnEmulatorSkipped('scripts/create-api-key.ts');
} else {
  let emulator: FirestoreEmulator | undefined;
  beforeAll(async () => {
    emulator = await startFirestoreEmulator();
  }, 120_000);
  afterAll(async () => {
    await emulator?.stop();
  }, 30_000);

  it('writes a key the store finds by its hash, owned by the user, and prints it last', async () => {
    const project = `mdraft-test-${randomBytes(6).toString('hex')}`;
    const run = runScript(['--project', project, '--user', 'ops', '--prefix', 'dev_'], {
      FIRESTORE_EMULATOR_HOST: emulator!.host,
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const key = run.stdout.trim().split('\n').at(-1)!;
    expect(looksLikeApiKey(key)).toBe(true);

    process.env.FIRESTORE_EMULATOR_HOST = emulator!.host;
    const store = new FirestoreAccountStore({
      firestore: new Firestore({ projectId: project }),
      collectionPrefix: 'dev_',
    });
    try {
      const record = await store.findApiKeyByHash(hashApiKey(key));
      expect(record).toMatchObject({ owner: 'ops', name: 'first-key', prefix: key.slice(0, 10) });
      // Another prefix is another deployment: the key is not there.
      const other = new FirestoreAccountStore({ firestore: store.firestore, collectionPrefix: 'prod_' });
      expect(await other.findApiKeyByHash(hashApiKey(key))).toBeUndefined();
    } finally {
      await store.close();
      delete process.env.FIRESTORE_EMULATOR_HOST;
    }
  }, 90_000);
}
